"""Bulk loads: indexes built, and references checked, once at the end instead of row by row
and statement by statement.

Inserting into `signal` with its four plain indexes costs about twice as much as with only the
primary key and the unique source reference, and at millions of signals the random inserts into
indexes larger than the server's buffers turn into disk reads; building an index from the table
is one sort. The reference triggers (migration 0009) look up every code, signal and entity of
each statement again: a quarter of the time of an insert of 40,000 signals. Both are done once
over the whole tables at the end, as pg_restore does with foreign keys.

Only for a load in one transaction (the seed): the drop, the load, the rebuild and the check
commit together, so a killed or failed load leaves indexes and triggers as they were. Unique
indexes and those of constraints stay: loading itself relies on them (source references,
keys). The seed's full rollup build defers the rollups' indexes, unique ones too, the same way
(warehouse/rollups.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

BULK_TABLES = ("signal", "signal_entity")

# Indexes no constraint owns (primary keys and unique constraints stay), unique ones if asked.
_INDEXES = """
select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
from pg_index as i
where i.indrelid = any(cast(:tables as regclass[]))
    and (cast(:unique as boolean) or not i.indisunique) and not i.indisprimary
    and not exists (select 1 from pg_constraint as c where c.conindid = i.indexrelid)
order by 1
"""

# The statement triggers that check references (their arguments: column, table, key, ...).
_REFERENCE_TRIGGERS = """
select t.tgrelid::regclass::text as table_name, t.tgname as name, t.tgargs as args
from pg_trigger as t join pg_proc as p on p.oid = t.tgfoid
where t.tgrelid = any(cast(:tables as regclass[])) and p.proname = 'nsoc_check_references'
    and not t.tgisinternal and t.tgenabled <> 'D'
order by 1, 2
"""


class MissingReference(ValueError):
    """A bulk load wrote a key its referenced table does not hold (nothing was committed)."""


@contextmanager
def indexes_deferred(
    conn: Connection, tables: tuple[str, ...], *, unique: bool = False
) -> Iterator[None]:
    """Drop the indexes of `tables` that no constraint owns (plain ones; unique ones too when
    asked) in the caller's transaction, and build them again, exactly as they were defined,
    when the block ends without an error (a duplicate then fails the unique build)."""
    indexes = conn.execute(text(_INDEXES), {"tables": list(tables), "unique": unique}).all()
    # Names come from the catalogue (regclass text is quoted where needed), never input.
    for index in indexes:
        conn.execute(text(f"drop index {index.name}"))
    yield
    # One sort per index; the server's parallel workers share the larger ones.
    conn.execute(text("set local maintenance_work_mem = '512MB'"))
    for index in indexes:
        conn.execute(text(index.definition))


@contextmanager
def bulk_load(conn: Connection, tables: tuple[str, ...] = BULK_TABLES) -> Iterator[None]:
    """For the block, in the caller's transaction: no plain indexes and no reference triggers
    on `tables`. When the block ends without an error, the indexes are built again exactly as
    they were defined, the triggers enabled, and every reference they guard is checked once
    (MissingReference when one is missing)."""
    quote = conn.dialect.identifier_preparer.quote
    triggers = conn.execute(text(_REFERENCE_TRIGGERS), {"tables": list(tables)}).all()
    for trigger in triggers:
        conn.execute(
            text(f"alter table {trigger.table_name} disable trigger {quote(trigger.name)}")
        )
    with indexes_deferred(conn, tables):
        yield
    checks: set[tuple[str, str, str, str]] = set()
    for trigger in triggers:
        conn.execute(text(f"alter table {trigger.table_name} enable trigger {quote(trigger.name)}"))
        args = [a.decode() for a in bytes(trigger.args).split(b"\0")[:-1]]
        checks.update((trigger.table_name, *args[i : i + 3]) for i in range(0, len(args), 3))
    for table in tables:
        conn.execute(text(f"analyze {table}"))
    for table, column, target, key in sorted(checks):
        # An aggregate, not `limit 1`: for the limit the planner loops over the rows probing
        # the key's index one by one; for min() it hashes the referenced keys and both cores
        # scan the table (the eight checks after a load of 1M signals: 1.9 -> 1.2 s).
        missing = conn.scalar(
            text(
                f"select min(x.{quote(column)}::text) from {table} as x "  # noqa: S608 (catalogue names)
                f"where x.{quote(column)} is not null and not exists "
                f"(select 1 from {quote(target)} as t where t.{quote(key)} = x.{quote(column)})"
            )
        )
        if missing is not None:
            raise MissingReference(
                f'{table}.{column} = {missing} is not present in table "{target}"'
            )
