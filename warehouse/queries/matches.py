"""Match proposals and decisions as the viewer may see them (entity resolution, issue 7).

Row-level security on entity_match (migration 0010) shows a proposal only when both of its
entities are visible to the viewer under the entity rules: analysts through a signal or
intervention shared with their agency, stewards through their own agency's signals. Agencies and
signal counts per side are what the viewer may see of them, nothing more."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, text

from warehouse.viewer import Viewer

SIDE_COLUMNS = ("id", "kind", "name", "place", "identifier", "agencies", "signals")
PROPOSAL_COLUMNS = [
    "match_id",
    "rule",
    "score",
    *(f"entity_{c}" for c in SIDE_COLUMNS),
    *(f"candidate_{c}" for c in SIDE_COLUMNS),
]
DECISION_COLUMNS = [
    "match_id",
    "status",
    "decided_at",
    "decided_agency",
    "decided_role",
    "decided_by",
    "rule",
    "score",
    "entity_id",
    "entity_name",
    "candidate_id",
    "candidate_name",
]

# One row per open proposal, strongest first; per side the entity, its place and what the viewer
# sees of its reports (agencies and signals through visible links only).
_OPEN = """
with proposals as (
    select m.id, m.entity_id, m.candidate_id, m.rule, m.score
    from entity_match as m
    where m.status = 'proposed'
    order by m.score desc, m.id
    limit :limit
),

sides as (
    select entity_id from proposals
    union
    select candidate_id from proposals
),

-- one row per entity of a listed proposal
reported as (
    select l.entity_id,
           string_agg(distinct s.owner_agency, ', ' order by s.owner_agency) as agencies,
           count(distinct l.signal_id) as signals
    from signal_entity as l
    join signal as s on s.id = l.signal_id
    where l.entity_id in (select entity_id from sides)
    group by l.entity_id
)

select p.id as match_id, p.rule, p.score,
       a.id as entity_id, a.kind as entity_kind, a.display_name as entity_name,
       ma.name as entity_place,
       coalesce(a.kvk_number, a.iban, a.imo_number) as entity_identifier,
       ra.agencies as entity_agencies, coalesce(ra.signals, 0) as entity_signals,
       b.id as candidate_id, b.kind as candidate_kind, b.display_name as candidate_name,
       mb.name as candidate_place,
       coalesce(b.kvk_number, b.iban, b.imo_number) as candidate_identifier,
       rb.agencies as candidate_agencies, coalesce(rb.signals, 0) as candidate_signals
from proposals as p
join entity as a on a.id = p.entity_id
join entity as b on b.id = p.candidate_id
left join municipality as ma on ma.gm_code = a.municipality_code
left join municipality as mb on mb.gm_code = b.municipality_code
left join reported as ra on ra.entity_id = a.id
left join reported as rb on rb.entity_id = b.id
order by p.score desc, p.id
"""

# One row per decided proposal, newest first. Who decided: agency and role always; the subject
# only when it is someone of the viewer's own agency (partners see that a decision was taken by
# a steward of customs, not by whom).
_DECIDED = """
select m.id as match_id, m.status, m.decided_at, m.decided_agency, m.decided_role,
       case when m.decided_agency = (select current_setting('nsoc.agency', true))
            then m.decided_by end as decided_by,
       m.rule, m.score, a.id as entity_id, a.display_name as entity_name,
       b.id as candidate_id, b.display_name as candidate_name
from entity_match as m
join entity as a on a.id = m.entity_id
join entity as b on b.id = m.candidate_id
where m.status <> 'proposed'
order by m.decided_at desc nulls last, m.id desc
limit :limit
"""


def _clamp(limit: int) -> int:
    return max(1, min(limit, 200))


def open_proposals(*, conn: Connection, viewer: Viewer, limit: int = 50) -> pd.DataFrame:
    """Open proposals whose two entities the viewer may both see, strongest first."""
    if not viewer.sees_rows:
        return pd.DataFrame(columns=PROPOSAL_COLUMNS)
    rows = conn.execute(text(_OPEN), {"limit": _clamp(limit)}).mappings().all()
    frame = pd.DataFrame(rows, columns=PROPOSAL_COLUMNS)
    frame["score"] = frame["score"].astype(float)
    return frame


def open_proposal_count(*, conn: Connection, viewer: Viewer) -> int:
    """How many open proposals the viewer may see."""
    if not viewer.sees_rows:
        return 0
    sql = "select count(*) from entity_match where status = 'proposed'"
    return int(conn.execute(text(sql)).scalar_one())


def proposal(*, conn: Connection, viewer: Viewer, match_id: int) -> dict | None:
    """One proposal (open or decided) if the viewer may see both its entities, else None."""
    if not viewer.sees_rows:
        return None
    row = (
        conn.execute(
            text(
                "select id as match_id, entity_id, candidate_id, rule, score, status "
                "from entity_match where id = :id"
            ),
            {"id": match_id},
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def recent_decisions(*, conn: Connection, viewer: Viewer, limit: int = 20) -> pd.DataFrame:
    """The newest decisions on proposals the viewer may see: who (agency, role), when, what."""
    if not viewer.sees_rows:
        return pd.DataFrame(columns=DECISION_COLUMNS)
    rows = conn.execute(text(_DECIDED), {"limit": _clamp(limit)}).mappings().all()
    frame = pd.DataFrame(rows, columns=DECISION_COLUMNS)
    frame["score"] = frame["score"].astype(float)
    return frame
