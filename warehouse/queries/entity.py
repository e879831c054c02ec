"""One entity as the viewer may see it: who it is, its signals over time, the agencies that
reported it, linked entities and networks, interventions. Row-level security decides: an entity
without a visible link or intervention does not exist for the viewer (None / empty frames), and
nothing here says whether it exists for someone else."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, text

from warehouse.queries.frames import frame
from warehouse.viewer import Viewer

MAX_ID = 2**62
PROFILE_COLUMNS = [
    "entity_id",
    "kind",
    "display_name",
    "kvk_number",
    "iban",
    "imo_number",
    "facilitator_category",
    "category_nl",
    "category_en",
    "municipality",
]


def valid_id(value: object) -> int | None:
    """An entity id from a URL parameter, or None for anything that is not a positive integer."""
    raw = str(value).strip() if value is not None else ""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return None
    number = int(raw)
    return number if 0 < number < MAX_ID else None


def _frame(conn: Connection, sql: str, columns: list[str], **params: object) -> pd.DataFrame:
    return frame(conn.execute(text(sql), params), columns)


def entity_profile(*, conn: Connection, viewer: Viewer, entity_id: int) -> dict | None:
    """The entity's identity (pseudonyms only for persons), or None when not visible."""
    if not viewer.sees_rows:
        return None
    row = (
        conn.execute(
            text(
                """
            select e.id as entity_id, e.kind, e.display_name, e.kvk_number, e.iban,
                   e.imo_number, e.facilitator_category, c.name_nl as category_nl,
                   c.name_en as category_en, m.name as municipality
            from entity as e
            left join facilitator_category as c on c.code = e.facilitator_category
            left join municipality as m on m.gm_code = e.municipality_code
            where e.id = :id
            """
            ),
            {"id": entity_id},
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def entity_timeline(*, conn: Connection, viewer: Viewer, entity_id: int) -> pd.DataFrame:
    """Visible signals linking the entity, per month, owning agency and role."""
    sql = """
        select date_trunc('month', s.observed_on)::date as month, s.owner_agency as agency,
               l.role, count(*) as signals
        from signal_entity as l
        join signal as s on s.id = l.signal_id
        where l.entity_id = :id
        group by 1, 2, 3
        order by 1, 2, 3
    """
    return _frame(conn, sql, ["month", "agency", "role", "signals"], id=entity_id)


def entity_agencies(*, conn: Connection, viewer: Viewer, entity_id: int) -> pd.DataFrame:
    """Per reporting agency: signals, first and last observation, roles, amount."""
    sql = """
        select s.owner_agency as agency, a.name_nl, a.name_en, count(*) as signals,
               min(s.observed_on) as first_observed, max(s.observed_on) as last_observed,
               string_agg(distinct l.role, ', ' order by l.role) as roles,
               coalesce(sum(s.amount_eur), 0)::float8 as amount_eur
        from signal_entity as l
        join signal as s on s.id = l.signal_id
        join agency as a on a.code = s.owner_agency
        where l.entity_id = :id
        group by 1, 2, 3, a.bit
        order by a.bit
    """
    cols = [
        "agency",
        "name_nl",
        "name_en",
        "signals",
        "first_observed",
        "last_observed",
        "roles",
        "amount_eur",
    ]
    return _frame(conn, sql, cols, id=entity_id)


def entity_networks(*, conn: Connection, viewer: Viewer, entity_id: int) -> pd.DataFrame:
    """Networks of the visible signals that link the entity."""
    sql = """
        select n.id as network_id, n.code, n.name, n.region_code, count(*) as signals
        from signal_entity as l
        join signal as s on s.id = l.signal_id
        join network as n on n.id = s.network_id
        where l.entity_id = :id
        group by 1, 2, 3, 4
        order by 5 desc, 1
    """
    return _frame(conn, sql, ["network_id", "code", "name", "region_code", "signals"], id=entity_id)


def linked_entities(
    *, conn: Connection, viewer: Viewer, entity_id: int, limit: int = 25
) -> pd.DataFrame:
    """Other entities on the same visible signals, most shared signals first."""
    sql = """
        with mine as (
            select distinct signal_id from signal_entity where entity_id = :id
        )

        select o.entity_id, e.kind, e.display_name, e.facilitator_category,
               string_agg(distinct o.role, ', ' order by o.role) as roles,
               count(distinct o.signal_id) as shared_signals
        from mine
        join signal_entity as o on o.signal_id = mine.signal_id and o.entity_id <> :id
        join entity as e on e.id = o.entity_id
        group by 1, 2, 3, 4
        order by 6 desc, 1
        limit :limit
    """
    cols = ["entity_id", "kind", "display_name", "facilitator_category", "roles", "shared_signals"]
    return _frame(conn, sql, cols, id=entity_id, limit=max(1, min(limit, 100)))


def entity_interventions(*, conn: Connection, viewer: Viewer, entity_id: int) -> pd.DataFrame:
    """Visible interventions on the entity itself or on a network it served."""
    sql = """
        with networks as (
            select distinct s.network_id
            from signal_entity as l
            join signal as s on s.id = l.signal_id
            where l.entity_id = :id and s.network_id is not null
        )

        select i.id as intervention_id, i.decided_on, i.agency, i.intervention_type, i.outcome,
               case when i.entity_id = :id then 'entity' else 'network' end as target,
               n.code as network_code
        from intervention as i
        left join network as n on n.id = i.network_id
        where i.entity_id = :id or i.network_id in (select network_id from networks)
        order by i.decided_on desc, i.id
    """
    cols = [
        "intervention_id",
        "decided_on",
        "agency",
        "intervention_type",
        "outcome",
        "target",
        "network_code",
    ]
    return _frame(conn, sql, cols, id=entity_id)
