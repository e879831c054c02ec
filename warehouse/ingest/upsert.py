"""Move a validated batch into the warehouse: networks, entities (resolved on identifiers, or
on the agency's own name and place), then signals and their links. A row whose content did not
change is left alone; a changed one keeps its earlier version in history.

Most rows of a delivery are new signals. Those go the short way: the database resolves only
the batch's distinct networks, identifiers and names (small tables), hands their ids back, and
the new signals and their links are written with one COPY each, ids and all. Only rows whose
source reference the agency delivered before are staged whole and compared in SQL. Joining
every row of the batch in SQL (staging, identifiers, new ids, links) cost the database three
times what writing the rows costs (docs/deliveries.md, "Speed")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np
import pandas as pd
import psycopg
import pyarrow as pa
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from warehouse import rollup_delta
from warehouse.ingest import stage
from warehouse.ingest.batch import Batch

_NETWORKS = """
insert into network (code, name)
select code, code from unnest(cast(:codes as text[])) as c (code)
where not exists (select 1 from network as n where n.code = c.code)
order by code
on conflict (code) do nothing
"""

# kind, identifier column, display name when none was delivered
_IDENTIFIED = (
    ("company", "kvk_number", "'KvK ' || kvk_number"),
    ("bank_account", "iban", "'Rekening ' || iban"),
    ("vessel", "imo_number", "'IMO ' || imo_number"),
    ("person", "person_pseudonym", "'Persoon ' || left(person_pseudonym, 10)"),
)

# One row per distinct identifier in the batch (its first line's name and place, staged from
# Python): entities are looked up and created from this small table, not once per link.
_IDENTS = """
drop table if exists ingest_ident;
create temp table ingest_ident (
    ord integer not null,
    kind text not null,
    ident text not null,
    name text,
    category text,
    municipality_code text,
    entity_id bigint
) on commit drop
"""


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


# Entities without an identifier: per agency, on normalised name plus place. The batch's
# distinct (kind, name, place) come staged from Python, first line first.
_ALIASES = """
drop table if exists ingest_alias_name, ingest_alias;
create temp table ingest_alias_name (
    ord integer not null,
    kind text not null,
    name text not null,
    municipality_code text,
    category text,
    line_no integer not null
) on commit drop;
"""
_ALIASES_RESOLVE = """
create temp table ingest_alias on commit drop as
select distinct on (kind, name_key, municipality_code)
    kind, name_key, municipality_code, name, category, null::bigint as entity_id, false as new
from (
    select *, coalesce(nsoc_name_key(name), lower(name)) as name_key from ingest_alias_name
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
"""
_ALIAS_IDS = """
select a.entity_id
from ingest_alias_name n join ingest_alias a
    on a.kind = n.kind and a.name_key = coalesce(nsoc_name_key(n.name), lower(n.name))
    and a.municipality_code is not distinct from n.municipality_code
order by n.ord
"""

# The delivered fields of a signal (every column but id, owner and source reference).
SIGNAL_FIELDS = (
    "phenomenon_code, observed_on, reported_at, municipality_code, node_code, origin_node_code, "
    "lat, lon, h3_r5, h3_r7, h3_r9, amount_eur, quantity_kg, severity, reliability, "
    "credibility, handling_code, audience_mask, network_id"
)
_FIELDS = [f.strip() for f in SIGNAL_FIELDS.split(",")]
# The network's id is joined where a statement needs it (`nw`).
_ST_FIELDS = ", ".join("nw.id" if f == "network_id" else f"st.{f}" for f in _FIELDS)
_NETWORK_JOIN = "left join network nw on nw.code = st.network_code"
_S_FIELDS = ", ".join(f"s.{f}" for f in _FIELDS)

_SOURCE_REF_KEY = "signal_owner_agency_source_ref_key"  # unique (owner_agency, source_ref)

# Source references hold no control characters (validate.py): one text, a line each, is
# cheaper to pass than an array of thousands.
_EXISTING = """
select source_ref from signal
where owner_agency = :agency and source_ref = any(string_to_array(:refs, E'\\n'))
"""

# New signal ids, drawn one by one from the sequence (a parallel load may draw between them),
# in one statement: the lowest and the highest, and all of them only when another session drew
# between them (when none did, they are one run and need not be sent back one by one).
_NEW_IDS = """
select min(id), max(id), case when max(id) - min(id) + 1 <> :n then array_agg(id order by id) end
from (
    select nextval((select pg_get_serial_sequence('signal', 'id')::regclass)) as id
    from generate_series(1, :n)
) as drawn
"""

# Rows whose source reference is known: staged whole (stage.stage), compared, and where they
# differ updated, with the previous version (row and links) kept in history.
_MATCH = f"""
create temp table ingest_match on commit drop as
select st.line_no, s.id as signal_id, s.observed_on as old_observed_on,
       s.phenomenon_code as old_phenomenon_code,
       ({_S_FIELDS}) is distinct from ({_ST_FIELDS}) as changed
from ingest_signal st
join signal s on s.owner_agency = :agency and s.source_ref = st.source_ref
{_NETWORK_JOIN};
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
insert into signal_entity (signal_id, entity_id, role, audience_mask)
select distinct m.signal_id, l.entity_id, l.role, st.audience_mask
from ingest_link l
join ingest_signal st on st.line_no = l.line_no
join ingest_match m on m.line_no = l.line_no
where m.changed;
"""  # noqa: S608 (column lists are constants)

_MATCH_COUNTS = """
select count(*) filter (where changed) as updated, count(*) filter (where not changed) as unchanged
from ingest_match
"""

_CORRECTED = "select signal_id from ingest_match where changed"

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
    added: list[int]  # ids of the new signals, in line order
    corrected: list[int] = field(default_factory=list)  # ids of the corrected signals


# The delivered fields of a new signal as COPY writes them (id, owner and network come later).
_TABLE_FIELDS = ("source_ref", *(f for f in _FIELDS if f != "network_id"))


def apply_batch(
    *,
    conn: Connection,
    agency: str,
    batch_id: int,
    batch: Batch,
    resolved: Resolved | None = None,
    keep_old: bool = False,
) -> Counts:
    """Move a prepared batch into the warehouse, inside the caller's transaction (`resolved`:
    the entities the loader's earlier batches resolved, see Resolved). keep_old: the corrected
    signals are kept as they were before the update (rollup_delta.keep_old_signals), for the
    refresh the caller runs in the same transaction."""
    network = _networks(conn, batch.table.column("network_code").to_pandas())
    known, ids = _write_new_signals(conn, agency, batch, network)
    # Entities last but one: creating an identified entity makes another agency's load that
    # names it too wait for this transaction's end, so that wait should be short.
    entity = _entities(conn, agency, batch, resolved or Resolved())
    signal_of_link = np.searchsorted(
        batch.table.column("line_no").to_numpy(), batch.links["line_no"]
    )
    _insert_links(conn, batch, signal_of_link, ids, ~known, entity)
    added = ids[~known].tolist()
    if not known.any():
        return Counts(len(added), 0, 0, [], [], added)
    linked = entity >= 0
    stage.stage(
        conn=conn,
        signals=batch.table.filter(pa.array(known)),
        links=batch.links[linked].assign(entity_id=entity[linked]),
    )
    corrected: list[int] = []
    for sql in (_MATCH, _HISTORY, _UPDATE):
        if sql is _UPDATE:
            corrected = sorted(conn.scalars(text(_CORRECTED)).all())
            if keep_old and corrected:
                rollup_delta.keep_old_signals(conn, corrected)
        for statement in sql.split(";\n"):
            if statement.strip():
                conn.execute(text(statement), {"agency": agency, "batch": batch_id})
    row = conn.execute(text(_MATCH_COUNTS)).one()
    months = sorted(conn.scalars(text(_CHANGED_MONTHS)).all())
    phenomena = sorted(conn.scalars(text(_CHANGED_PHENOMENA)).all())
    return Counts(
        len(added), int(row.updated), int(row.unchanged), months, phenomena, added, corrected
    )


def _networks(conn: Connection, codes: pd.Series) -> np.ndarray:
    """Per row, the id of the network its code names (NaN where none); unknown codes become
    networks."""
    wanted = sorted(codes.dropna().unique().tolist())
    if not wanted:
        return np.full(len(codes), np.nan)
    conn.execute(text(_NETWORKS), {"codes": wanted})
    rows = conn.execute(
        text("select code, id from network where code = any(cast(:codes as text[]))"),
        {"codes": wanted},
    )
    return codes.map({code: int(id_) for code, id_ in rows}).to_numpy(dtype="float64")


@dataclass
class Resolved:
    """Entities a loader already resolved, by key: a loader of many files resolves an
    identifier or an agency's name in SQL only the first time it appears. Entity ids never
    change (a confirmed match sets `resolved_id`; nothing deletes or renumbers entities), so a
    key once resolved stays right, as long as the transaction that created its entity
    committed. Hence a memory lives no longer than one loader that stops at its first error:
    the one transaction of `load_deliveries` (the seed), or the files of one agency loaded one
    after another, each committed before the next (`load_files`, `nsoc ingest`)."""

    idents: dict[str, int] = field(default_factory=dict)  # kind, identifier
    names: dict[str, int] = field(default_factory=dict)  # agency, kind, name, place


def _entities(conn: Connection, agency: str, batch: Batch, resolved: Resolved) -> np.ndarray:
    """The entity of each link (-1 for none): found or created once per distinct identifier,
    or per distinct name and place of the agency for links without one."""
    out = np.full(len(batch.links), -1, dtype=np.int64)
    if len(batch.idents):
        idents = batch.idents
        keys = (idents["kind"].astype(object) + "\x1f" + idents["ident"].astype(object)).to_numpy()

        def resolve(rows: pd.DataFrame) -> np.ndarray:
            _stage_distinct(conn, _IDENTS, "ingest_ident", rows)
            for kind, column, fallback in _IDENTIFIED:
                conn.exec_driver_sql(_identified_sql(kind, column, fallback))
            return _ids(conn, "select entity_id from ingest_ident order by ord")

        found = _remembered(keys, idents, resolved.idents, resolve)
        out[batch.ident_no >= 0] = found[batch.ident_no[batch.ident_no >= 0]]
    if len(batch.names):
        names = batch.names
        place = names["municipality_code"].astype(object).fillna("")
        keys = (
            f"{agency}\x1f"
            + names["kind"].astype(object)
            + "\x1f"
            + names["name"].astype(object)
            + "\x1f"
            + place
        ).to_numpy()

        def resolve(rows: pd.DataFrame) -> np.ndarray:
            _stage_distinct(conn, _ALIASES, "ingest_alias_name", rows)
            for statement in _ALIASES_RESOLVE.split(";\n"):
                if statement.strip():
                    conn.execute(text(statement), {"agency": agency})
            return _ids(conn, _ALIAS_IDS)

        found = _remembered(keys, names, resolved.names, resolve)
        out[batch.name_no >= 0] = found[batch.name_no[batch.name_no >= 0]]
    return out


def _remembered(
    keys: np.ndarray,
    rows: pd.DataFrame,
    memo: dict[str, int],
    resolve: Callable[[pd.DataFrame], np.ndarray],
) -> np.ndarray:
    """The entity id of each of `rows` (one per distinct key): from `memo` where the load
    resolved the key before, by `resolve` (in SQL, rows numbered afresh in `ord`) for the
    rest, which are remembered."""
    ids = np.fromiter(map(memo.get, keys.tolist(), repeat(-1)), dtype=np.int64, count=len(keys))
    new = ids < 0
    if new.any():
        ids[new] = resolve(rows[new].assign(ord=np.arange(int(new.sum()))))
        memo.update(zip(keys[new].tolist(), ids[new].tolist(), strict=True))
    return ids


_DISTINCT_COLUMNS = {
    "ingest_ident": ("ord", "kind", "ident", "name", "category", "municipality_code"),
    "ingest_alias_name": ("ord", "kind", "name", "municipality_code", "category", "line_no"),
}


def _stage_distinct(conn: Connection, create: str, table: str, rows: pd.DataFrame) -> None:
    """A fresh temporary table (`create`) holding a batch's distinct identifiers or names."""
    conn.exec_driver_sql(create)
    stage.copy_rows(conn, table, _DISTINCT_COLUMNS[table], rows)
    conn.exec_driver_sql(f"analyze {table}")


def _ids(conn: Connection, sql: str) -> np.ndarray:
    """The one integer column of a query, as an array (plain tuples, not Row objects)."""
    cursor = conn.exec_driver_sql(sql).cursor
    assert cursor is not None
    return np.array([r[0] for r in cursor.fetchall()], dtype=np.int64)


def _write_new_signals(
    conn: Connection, agency: str, batch: Batch, network: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Write the batch's new signals; returns which rows the agency delivered before (`known`)
    and the id of each row (-1 where known). Most deliveries are all new: every row is written
    at once, and only when the unique source reference refuses one are the known references
    looked up (the failed write is undone to its savepoint and the new rows written again,
    with the first of the ids drawn for all: the same ids in the same line order)."""
    drawn = _new_ids(conn, batch.table.num_rows)
    everything = np.ones(batch.table.num_rows, dtype=bool)
    try:
        with conn.begin_nested():
            return ~everything, _insert_signals(conn, agency, batch, everything, drawn, network)
    except (IntegrityError, psycopg.errors.UniqueViolation) as exc:
        # COPY raises psycopg's own error; an insert (stage.insert_table) SQLAlchemy's
        error = exc.orig if isinstance(exc, IntegrityError) else exc
        if getattr(getattr(error, "diag", None), "constraint_name", None) != _SOURCE_REF_KEY:
            raise
    refs = batch.table.column("source_ref").to_pandas()
    fresh = ~refs.isin(_known_refs(conn, agency, refs)).to_numpy()
    return ~fresh, _insert_signals(conn, agency, batch, fresh, drawn[: fresh.sum()], network)


def _known_refs(conn: Connection, agency: str, refs: pd.Series) -> set[str]:
    """Those of the batch's source references the agency delivered before."""
    if refs.empty:
        return set()
    return set(conn.scalars(text(_EXISTING), {"agency": agency, "refs": "\n".join(refs)}))


def _new_ids(conn: Connection, n: int) -> np.ndarray:
    """`n` new signal ids, ascending."""
    if not n:
        return np.array([], dtype=np.int64)
    low, high, apart = conn.execute(text(_NEW_IDS), {"n": n}).one()
    if apart is None:
        return np.arange(low, high + 1, dtype=np.int64)
    return np.array(apart, dtype=np.int64)


def _insert_signals(
    conn: Connection,
    agency: str,
    batch: Batch,
    fresh: np.ndarray,
    new_ids: np.ndarray,
    network: np.ndarray,
) -> np.ndarray:
    """Write the new signals (`fresh`) with `new_ids` (ascending) in line order (the same file
    gives the same ids); returns the id of each row of the batch (-1 where not new)."""
    ids = np.full(batch.table.num_rows, -1, dtype=np.int64)
    n = int(fresh.sum())
    if not n:
        return ids
    ids[fresh] = new_ids
    network = network[fresh]  # network ids per row, NaN where none
    table = (
        batch.table.filter(pa.array(fresh))
        .select(list(_TABLE_FIELDS))
        .append_column("id", pa.array(ids[fresh]))
        .append_column("owner_agency", pa.array([agency] * n, pa.string()))
        .append_column("network_id", pa.array(network, pa.int64(), mask=np.isnan(network)))
    )
    stage.insert_table(conn, "signal", table)
    return ids


def _insert_links(
    conn: Connection,
    batch: Batch,
    signal_of_link: np.ndarray,
    ids: np.ndarray,
    fresh: np.ndarray,
    entity: np.ndarray,
) -> None:
    """Write the links of the new signals (`signal_of_link`: each link's row in the batch)."""
    mine = fresh[signal_of_link] & (entity >= 0)
    if not mine.any():
        return
    rows = signal_of_link[mine]
    # roles by number: duplicates are found among integers, the text taken once at the end
    role, roles = pd.factorize(batch.links["role"].to_numpy()[mine])
    links = pd.DataFrame(
        {
            "signal_id": ids[rows],
            "entity_id": entity[mine],
            "role": role,
            "audience_mask": batch.table.column("audience_mask").to_numpy()[rows],
        }
    ).drop_duplicates(["signal_id", "entity_id", "role"])
    table = pa.Table.from_pandas(links, preserve_index=False)
    role_text = pa.array(np.asarray(roles, dtype=object), pa.string()).take(table.column("role"))
    table = table.set_column(table.schema.get_field_index("role"), "role", role_text)
    stage.insert_table(conn, "signal_entity", table)
