"""Entity resolution across agencies. Identifiers (KvK, IBAN, IMO, person pseudonym) resolve
deterministically at load time (one entity per identifier). Entities delivered by name only are
proposed as matches on normalised name plus place; a steward or analyst confirms or rejects each
proposal. Decisions are rows in entity_match, so they survive re-loads, and entity.resolved_id
is derived from them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, text

# Rules, strongest first: same normalised name in the same place; the same with spaces ignored
# ("Van Berg" and "Vanberg"); the same name where one side has no place.
_PROPOSE = """
with named as (
    select e.id, e.kind, e.municipality_code, nsoc_name_key(e.display_name) as name_key,
           (e.kvk_number is null and e.iban is null and e.imo_number is null) as unidentified
    from entity as e
    where e.kind <> 'person' and e.resolved_id is null
),

pairs as (
    select
        a.id as entity_id,
        b.id as candidate_id,
        case
            when a.name_key = b.name_key and a.municipality_code = b.municipality_code
                then 'name_place'
            when a.municipality_code = b.municipality_code then 'name_compact_place'
            else 'name_no_place'
        end as rule
    from named as a
    join named as b
        on b.kind = a.kind
        and b.id <> a.id
        and replace(b.name_key, ' ', '') = replace(a.name_key, ' ', '')
        and (a.municipality_code = b.municipality_code
             or a.municipality_code is null or b.municipality_code is null)
    -- the unidentified side is the one that gets resolved; two unidentified: the newer one
    where a.unidentified and (not b.unidentified or b.id < a.id)
)

insert into entity_match (entity_id, candidate_id, rule, score)
select entity_id, candidate_id, rule,
       case rule when 'name_place' then 0.9 when 'name_compact_place' then 0.8 else 0.6 end
from pairs
on conflict (entity_id, candidate_id) do nothing
"""

# Confirmed matches point an entity at the root of its candidate; rejected or undone ones not.
_APPLY = """
with recursive confirmed as (
    select entity_id, candidate_id from entity_match where status = 'confirmed'
),

roots as (
    select entity_id, candidate_id as root, 1 as depth from confirmed
    union all
    select r.entity_id, c.candidate_id, r.depth + 1
    from roots as r join confirmed as c on c.entity_id = r.root
    where r.depth < 20
),

final as (
    select distinct on (entity_id) entity_id, root from roots order by entity_id, depth desc
),

changes as (
    select e2.id, fin.root
    from entity as e2 left join final as fin on fin.entity_id = e2.id
    where e2.resolved_id is distinct from fin.root
)

update entity as e
set resolved_id = c.root
from changes as c
where e.id = c.id
"""


@dataclass(frozen=True)
class Proposal:
    id: int
    entity_id: int
    candidate_id: int
    rule: str
    score: float
    status: str


def propose_matches(*, conn: Connection) -> int:
    """Propose matches for entities delivered without an identifier; returns how many are new.
    Pairs already proposed or decided are never proposed again."""
    return int(conn.execute(text(_PROPOSE)).rowcount or 0)


def decide(
    *,
    conn: Connection,
    match_id: int,
    confirm: bool,
    decided_by: str,
    agency: str | None = None,
    role: str | None = None,
) -> Proposal:
    """Confirm or reject a proposal (a decision can be changed later); resolution follows.
    `agency` and `role` name the decider when the decision was taken in the app."""
    return _set_status(
        conn, match_id, "confirmed" if confirm else "rejected", decided_by[:200], agency, role
    )


def reopen(*, conn: Connection, match_id: int) -> Proposal:
    """Undo a decision: the proposal is open again and resolution follows (a confirmed merge is
    taken apart). Who decided before stays in the audit trail, not in the table."""
    return _set_status(conn, match_id, "proposed", None, None, None)


def _set_status(
    conn: Connection,
    match_id: int,
    status: str,
    by: str | None,
    agency: str | None,
    role: str | None,
) -> Proposal:
    row = conn.execute(
        text(
            "update entity_match set status = :s, "
            "decided_at = case when cast(:by as varchar) is null then null else now() end, "
            "decided_by = :by, decided_agency = :agency, decided_role = :role "
            "where id = :id returning id, entity_id, candidate_id, rule, score, status"
        ),
        {"s": status, "by": by, "agency": agency, "role": role, "id": match_id},
    ).one_or_none()
    if row is None:
        raise ValueError(f"no match proposal with id {match_id}")
    apply_decisions(conn=conn)
    return Proposal(row.id, row.entity_id, row.candidate_id, row.rule, float(row.score), row.status)


def apply_decisions(*, conn: Connection) -> None:
    """Derive entity.resolved_id from the confirmed matches (idempotent)."""
    conn.execute(text(_APPLY))


def proposals(*, conn: Connection, status: str = "proposed", limit: int = 100) -> pd.DataFrame:
    """Proposals with both sides' names and places, strongest first."""
    sql = text(
        """
        select m.id, m.rule, m.score, m.status, m.entity_id, a.display_name as entity_name,
               a.municipality_code as entity_place, m.candidate_id,
               b.display_name as candidate_name, b.municipality_code as candidate_place,
               coalesce(b.kvk_number, b.iban, b.imo_number) as candidate_identifier
        from entity_match as m
        join entity as a on a.id = m.entity_id
        join entity as b on b.id = m.candidate_id
        where m.status = :status
        order by m.score desc, m.id
        limit :limit
        """
    )
    return pd.read_sql(sql, conn, params={"status": status, "limit": limit})


def facilitator_ranking(*, conn: Connection, audience_mask: int, limit: int = 20) -> pd.DataFrame:
    """Facilitators by the number of networks and agencies per resolved entity, counting only
    links the viewer's audience mask may see."""
    sql = text(
        """
        with links as (
            select coalesce(e.resolved_id, e.id) as entity_id, s.owner_agency, s.network_id,
                   s.id as signal_id
            from signal_entity as l
            join entity as e on e.id = l.entity_id
            join signal as s on s.id = l.signal_id
            where l.role = 'facilitator' and (l.audience_mask & :mask) <> 0
        )

        select r.entity_id, e.display_name, e.kvk_number, e.facilitator_category,
               count(distinct r.network_id) as networks,
               count(distinct r.owner_agency) as agencies,
               count(distinct r.signal_id) as signals
        from links as r
        join entity as e on e.id = r.entity_id
        group by 1, 2, 3, 4
        order by networks desc, agencies desc, signals desc, r.entity_id
        limit :limit
        """
    )
    return pd.read_sql(sql, conn, params={"mask": audience_mask, "limit": limit})
