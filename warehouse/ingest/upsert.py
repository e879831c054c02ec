"""Set-based SQL that moves a staged batch into the warehouse: networks, entities (resolved on
identifiers, or on the agency's own name and place), then signals and their links. A row whose
content did not change is left alone; a changed one keeps its earlier version in history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, text

_NETWORKS = """
insert into network (code, name)
select distinct network_code, network_code from ingest_signal as st
where network_code is not null
    and not exists (select 1 from network as n where n.code = st.network_code)
order by network_code
on conflict (code) do nothing
"""

# kind, identifier column, display name when none was delivered
_IDENTIFIED = (
    ("company", "kvk_number", "'KvK ' || kvk_number"),
    ("bank_account", "iban", "'Rekening ' || iban"),
    ("vessel", "imo_number", "'IMO ' || imo_number"),
    ("person", "person_pseudonym", "'Persoon ' || left(person_pseudonym, 10)"),
)


# One row per distinct identifier in the batch (its first line's name and place): entities are
# looked up and created from this small table, not once per link.
_IDENTS = """
create temp table ingest_ident on commit drop as
select distinct on (kind, ident) kind, ident, name, category, municipality_code,
    null::bigint as entity_id
from (
    select kind, name, category, municipality_code, line_no,
        coalesce(kvk_number, iban, imo_number, person_pseudonym) as ident
    from ingest_link
) as l
where ident is not null
order by kind, ident, line_no;
analyze ingest_ident;
"""

# The entity of an identified link, for the lines that need it in ingest_link itself.
_IDENT = "coalesce(l.kvk_number, l.iban, l.imo_number, l.person_pseudonym)"


def _identified_sql(kind: str, column: str, fallback: str) -> str:
    # Persons are never named after what an agency delivered: only the pseudonym shows.
    name = fallback if kind == "person" else f"coalesce(name, {fallback})"
    name = name.replace(column, "ident")
    return f"""
    insert into entity (kind, display_name, {column}, facilitator_category, municipality_code)
    select '{kind}', {name}, ident, category, municipality_code
    from ingest_ident as i where kind = '{kind}'
        and not exists (select 1 from entity as e where e.{column} = i.ident)
    order by ident
    on conflict ({column}) do nothing;
    update ingest_ident i set entity_id = e.id
    from entity e where i.kind = '{kind}' and e.{column} = i.ident;
    """  # noqa: S608 (constants of this module only)


_ALIASES = """
create temp table ingest_alias on commit drop as
select distinct on (kind, name_key, municipality_code)
    kind, name_key, municipality_code, name, category, null::bigint as entity_id, false as new
from (
    select *, coalesce(nsoc_name_key(name), lower(name)) as name_key from ingest_link as l
    where coalesce(l.kvk_number, l.iban, l.imo_number, l.person_pseudonym) is null and kind <> 'person' and name is not null
) as l
order by kind, name_key, municipality_code, line_no;
update ingest_alias a set entity_id = x.entity_id
from entity_alias x
where x.agency = :agency and x.kind = a.kind and x.name_key = a.name_key
  and x.municipality_code is not distinct from a.municipality_code;
update ingest_alias
set entity_id = nextval((select pg_get_serial_sequence('entity', 'id')::regclass)), new = true
where entity_id is null;
insert into entity (id, kind, display_name, facilitator_category, municipality_code)
select entity_id, kind, name, category, municipality_code from ingest_alias where new;
insert into entity_alias (agency, kind, name_key, municipality_code, entity_id)
select :agency, kind, name_key, municipality_code, entity_id from ingest_alias where new;
update ingest_link l set entity_id = a.entity_id
from ingest_alias a
where coalesce(l.kvk_number, l.iban, l.imo_number, l.person_pseudonym) is null and l.kind = a.kind
  and coalesce(nsoc_name_key(l.name), lower(l.name)) = a.name_key
  and l.municipality_code is not distinct from a.municipality_code;
"""

# The delivered fields of a signal (every column but id, owner and source reference).
SIGNAL_FIELDS = (
    "phenomenon_code, observed_on, reported_at, municipality_code, node_code, origin_node_code, "
    "lat, lon, h3_r5, h3_r7, h3_r9, amount_eur, quantity_kg, severity, reliability, "
    "credibility, handling_code, audience_mask, network_id"
)
# The network's id is joined where a statement needs it (`nw`): writing it into every staged
# row first cost a rewrite of the staging table.
_ST_FIELDS = ", ".join(
    "nw.id" if f.strip() == "network_id" else f"st.{f.strip()}" for f in SIGNAL_FIELDS.split(",")
)
_NETWORK_JOIN = "left join network nw on nw.code = st.network_code"
_S_FIELDS = ", ".join(f"s.{f.strip()}" for f in SIGNAL_FIELDS.split(","))

_MATCH = f"""
create temp table ingest_match on commit drop as
select st.line_no, s.id as signal_id, s.observed_on as old_observed_on,
       s.phenomenon_code as old_phenomenon_code,
       ({_S_FIELDS}) is distinct from ({_ST_FIELDS}) as changed
from ingest_signal st
join signal s on s.owner_agency = :agency and s.source_ref = st.source_ref
{_NETWORK_JOIN};
update ingest_link l set entity_id = i.entity_id
from ingest_ident i, ingest_match m
where m.line_no = l.line_no and i.kind = l.kind and i.ident = {_IDENT};
update ingest_match m set changed = true
where not m.changed and exists (
    (select l.entity_id, l.role from ingest_link l where l.line_no = m.line_no
     except select se.entity_id, se.role from signal_entity se where se.signal_id = m.signal_id)
    union all
    (select se.entity_id, se.role from signal_entity se where se.signal_id = m.signal_id
     except select l.entity_id, l.role from ingest_link l where l.line_no = m.line_no)
);
"""  # noqa: S608 (column lists are constants)

_HISTORY = """
insert into signal_history (signal_id, batch_id, superseded_at, previous)
select s.id, :batch, now(), to_jsonb(s) || jsonb_build_object('links', coalesce((
    select jsonb_agg(jsonb_build_object('entity_id', se.entity_id, 'role', se.role)
                     order by se.entity_id, se.role)
    from signal_entity se where se.signal_id = s.id), '[]'::jsonb))
from signal s join ingest_match m on m.signal_id = s.id
where m.changed;
"""

_UPDATE = f"""
update signal s set ({SIGNAL_FIELDS}) = ({_ST_FIELDS})
from ingest_signal st join ingest_match m on m.line_no = st.line_no
{_NETWORK_JOIN}
where m.changed and s.id = m.signal_id;
delete from signal_entity se using ingest_match m where m.changed and se.signal_id = m.signal_id;
"""  # noqa: S608 (column lists are constants)

# New signals get their ids here, in line order (the same file gives the same ids), so that
# their links need not look the signals up again.
_INSERT = f"""
create temp table ingest_new on commit drop as
select line_no, nextval((select pg_get_serial_sequence('signal', 'id')::regclass)) as signal_id
from (
    select st.line_no from ingest_signal st
    where not exists (select 1 from ingest_match m where m.line_no = st.line_no)
    order by st.line_no
) as fresh;
insert into signal (id, owner_agency, source_ref, {SIGNAL_FIELDS})
select n.signal_id, :agency, st.source_ref, {_ST_FIELDS}
from ingest_signal st join ingest_new n on n.line_no = st.line_no
{_NETWORK_JOIN}
order by n.signal_id;
"""  # noqa: S608 (column lists are constants)

# Links of new signals and of changed ones (whose old links were deleted above).
_LINKS = f"""
insert into signal_entity (signal_id, entity_id, role, audience_mask)
select distinct t.signal_id, coalesce(l.entity_id, i.entity_id), l.role, st.audience_mask
from ingest_link l
left join ingest_ident i on i.kind = l.kind and i.ident = {_IDENT}
join ingest_signal st on st.line_no = l.line_no
join (
    select line_no, signal_id from ingest_new
    union all
    select line_no, signal_id from ingest_match where changed
) as t on t.line_no = l.line_no
where coalesce(l.entity_id, i.entity_id) is not null;
"""  # noqa: S608 (constants of this module only)

_COUNTS = """
select
    (select count(*) from ingest_signal) - (select count(*) from ingest_match) as inserted,
    (select count(*) from ingest_match where changed) as updated,
    (select count(*) from ingest_match where not changed) as unchanged
"""

# The months and phenomena a correction moved a signal out of or into: the rollups rebuild them
# for the agency.
_CHANGED_MONTHS = """
select date_trunc('month', st.observed_on)::date from ingest_signal st
join ingest_match m on m.line_no = st.line_no and m.changed
union
select date_trunc('month', m.old_observed_on)::date from ingest_match m where m.changed
"""
_CHANGED_PHENOMENA = """
select st.phenomenon_code from ingest_signal st
join ingest_match m on m.line_no = st.line_no and m.changed
union
select m.old_phenomenon_code from ingest_match m where m.changed
"""


@dataclass(frozen=True)
class Counts:
    inserted: int
    updated: int
    unchanged: int
    months: list[dt.date]  # of the corrected signals, before and after
    phenomena: list[str]  # the same


def apply_batch(*, conn: Connection, agency: str, batch_id: int) -> Counts:
    """Move the staged batch into the warehouse (inside the caller's transaction)."""
    conn.exec_driver_sql(_NETWORKS)
    conn.exec_driver_sql(_IDENTS)
    for kind, column, fallback in _IDENTIFIED:
        conn.exec_driver_sql(_identified_sql(kind, column, fallback))
    for statement in _ALIASES.split(";\n"):
        if statement.strip():
            conn.execute(text(statement), {"agency": agency})
    for sql in (_MATCH, _HISTORY, _UPDATE, _INSERT, _LINKS):
        for statement in sql.split(";\n"):
            if statement.strip():
                conn.execute(text(statement), {"agency": agency, "batch": batch_id})
    row = conn.execute(text(_COUNTS)).one()
    months = sorted(conn.scalars(text(_CHANGED_MONTHS)).all())
    phenomena = sorted(conn.scalars(text(_CHANGED_PHENOMENA)).all())
    return Counts(int(row.inserted), int(row.updated), int(row.unchanged), months, phenomena)


def new_signal_ids(conn: Connection) -> list[int]:
    """The ids of the signals the batch just applied inserted (same transaction)."""
    return list(conn.scalars(text("select signal_id from ingest_new order by signal_id")))
