"""Rows added to a rollup on its grain instead of rebuilt: a delivery's new signals (counts and
sums added, sets united), and a correction's signed rows (its signals' old rows taken out, their
new rows put in) for the rollups that hold nothing but counts and sums. warehouse/rollups.py
decides which rollup takes which; this module builds the rows and merges them.

A correction's old rows come from a copy of its signals as they were (`keep_old_signals`, taken
in the delivery's transaction before the update): the rollup's own SQL run on that copy."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import Connection, text

from warehouse.rollup_sql import replace_once, rollup_sql

# The copy of corrected signals and their entity links, before the correction (temporary: the
# caller's transaction, or the refresh that reads it, drops it).
OLD_SIGNAL = "old_signal"
OLD_LINKS = "old_signal_entity"

# How the rows of new signals merge into a rollup row of the same grain (`old`: the row there,
# `excluded`: the new signals' row). Every column not named here and not in the grain is a count
# or a sum, and adds up; a test checks the result against a full rebuild.
_UNION = "array(select distinct u from unnest(old.{c} || excluded.{c}) as u order by u)"
_MERGE = {
    "region_code": "excluded.{c}",  # follows the municipality in the grain
    "facilitator_category": "greatest(old.{c}, excluded.{c})",
    "last_reported_at": "greatest(old.{c}, excluded.{c})",
    "agency_bits": "old.{c} | excluded.{c}",
    # masks of the entity's networks (facilitator_network_slot, migration 0022)
    "network_bits": "old.{c} | excluded.{c}",
    "own_network_bits": "old.{c} | excluded.{c}",
    # sorted distinct id arrays: their union
    "entity_ids": _UNION,
    "network_ids": _UNION,
    "own_network_ids": _UNION,
}
_SUM = "coalesce(old.{c} + excluded.{c}, old.{c}, excluded.{c})"  # a sum of nulls stays null
# Columns outside the grain that ride along with it (every row of a grain has the same): a
# rollup whose other columns are all counts and sums can take rows out (ADDITIVE in rollups.py).
ALONG = frozenset({"region_code", "facilitator_category"})
# Columns that keep a maximum (MAXED in rollups.py): the signed rows carry the corrections' new
# versions' maximum, merged with greatest(); where an old version held a row's maximum and no
# new version of that grain reaches it, the row is recounted (`stale`, `recount`).
MAXIMA = frozenset({"last_reported_at"})


def columns(conn: Connection, name: str, *, nullable: bool = False) -> list[str]:
    """The rollup's columns, in table order (nullable: only those that may hold null)."""
    return list(
        conn.scalars(
            text(
                "select column_name from information_schema.columns "
                "where table_schema = 'public' and table_name = :t "
                "and (is_nullable = 'YES' or not :nullable) order by ordinal_position"
            ),
            {"t": name, "nullable": nullable},
        ).all()
    )


def into(sql: str, name: str, table: str) -> str:
    """The rollup's SQL writing its rows into `table` instead."""
    return replace_once(sql, f"insert into {name} (", f"insert into {table} (")


def merge(conn: Connection, name: str, grain: tuple[str, ...], table: str) -> tuple[int, int]:
    """Merge the rows of `table` (the rollup's columns, one row per grain at most) into the
    rollup on its grain. Rows whose count falls to zero (a correction's rows taken out) go.
    Returns how many rows are new in the rollup and how many went."""
    listed = columns(conn, name)
    update = ", ".join(
        f"{c} = " + _MERGE.get(c, _SUM).format(c=c) for c in listed if c not in grain
    )
    emptied = "signal_count = 0" if "signal_count" in listed else "false"
    # Table and column names come from the rollup modules' constants and the catalogue.
    row = conn.execute(
        text(
            f"""
            with merged as (
                insert into {name} as old ({", ".join(listed)})
                select {", ".join(listed)} from {table}
                on conflict ({", ".join(grain)}) do update set {update}
                returning (xmax = 0) as fresh, ctid, {emptied} as empty
            )
            select count(*) filter (where fresh) as fresh,
                   array_agg(ctid::text) filter (where empty) as empty
            from merged
            """  # noqa: S608
        )
    ).one()
    gone = 0
    if row.empty:
        gone = conn.execute(
            text(f"delete from {name} where ctid = any(cast(:t as tid[]))"),  # noqa: S608
            {"t": row.empty},
        ).rowcount
    return int(row.fresh or 0), int(gone)


def keep_old_signals(conn: Connection, ids: list[int]) -> None:
    """A copy of these signals and their entity links as they are now, before a correction
    changes them in the caller's transaction: the refresh that follows (rollups.refresh_months
    with `corrected`) takes their rows out of the rollups that only count and sum."""
    if kept(conn):
        # a second copy would hide the first one's signals from the refresh: fail, not miscount
        raise RuntimeError("old signals are kept already: refresh the rollups first")
    conn.execute(
        text(
            f"create temp table {OLD_SIGNAL} on commit drop as "  # noqa: S608 (constants)
            "select * from signal where id = any(:ids)"
        ),
        {"ids": ids},
    )
    conn.execute(
        text(
            f"create temp table {OLD_LINKS} on commit drop as "  # noqa: S608 (constants)
            "select * from signal_entity where signal_id = any(:ids)"
        ),
        {"ids": ids},
    )


def kept(conn: Connection) -> bool:
    """Whether this transaction holds a copy of old signals (keep_old_signals)."""
    return conn.scalar(text(f"select to_regclass('pg_temp.{OLD_SIGNAL}') is not null")) is True


def forget_old_signals(conn: Connection) -> None:
    conn.execute(text(f"drop table if exists {OLD_SIGNAL}, {OLD_LINKS}"))


def on_old_signals(sql: str) -> str:
    """A rollup's SQL reading the kept copy of old signals (and their links) instead."""
    return _reading(sql, OLD_SIGNAL, OLD_LINKS)


def _reading(sql: str, signals: str, links: str | None) -> str:
    """A rollup's SQL reading these tables instead of the signals (and their entity links)."""
    sql, found = re.subn(r"\bsignal as s\b", f"{signals} as s", sql)
    if found != 1:
        raise RuntimeError(f"rollup SQL: expected 'signal as s' once, found it {found} times")
    if links is None:
        return sql
    sql, found = re.subn(r"\bsignal_entity as l\b", f"{links} as l", sql)
    if found > 1:
        raise RuntimeError(
            f"rollup SQL: expected 'signal_entity as l' once, found it {found} times"
        )
    return sql


def signed(
    conn: Connection,
    name: str,
    grain: tuple[str, ...],
    params: dict[str, object],
    *,
    source: str | None,
    corrected: list[int],
) -> None:
    """`signed_<name>`: what the corrections change in the rollup, one row per grain, counts
    and sums with a sign: the rows of the `corrected` signals as they are now less their rows
    as kept before (keep_old_signals). For a rollup built from another (`source`), that one's
    signed rows run through its SQL. Grains whose counts and sums all net to zero (and whose
    maximum the new versions leave as the old ones had it) are left out.
    `touched_<name>` keeps every row before netting (for the keys a correction touched,
    `touched`); `plus_<name>` and `minus_<name>` the new and the old versions' rows (`stale`)."""
    sql = rollup_sql(name)
    plus, minus, out = f"plus_{name}", f"minus_{name}", f"signed_{name}"
    listed = columns(conn, name)
    conn.execute(text(f"drop table if exists {plus}, {minus}, {out}, touched_{name}"))
    for table in (plus, minus):
        conn.execute(text(f"create temp table {table} (like {name}) on commit drop"))
    # every month, every owner and phenomenon: the signals' ids (or the source's rows) restrict
    bound = {**params, "months": None, "lo": None, "hi": None}
    bound |= {"owners": None, "phenomena": None, "keys": None}
    if source is not None:
        sql = replace_once(sql, f"from {source} as ", f"from signed_{source} as ")
        conn.execute(text(into(sql, name, plus)), bound)
    else:
        conn.execute(text(into(sql, name, plus)), {**bound, "added": corrected})
        old = on_old_signals(into(sql, name, minus))
        conn.execute(text(old), {**bound, "added": corrected})
    kept_columns = ", ".join(_netted(c, grain) for c in listed)
    negated = ", ".join(c if c in grain or c in ALONG | MAXIMA else f"-{c}" for c in listed)
    # a grain whose counts and sums net to zero, and whose maximum stays, changes nothing
    nonzero = " or ".join(
        f"coalesce(sum({c}), 0) <> 0"
        if c not in MAXIMA
        else f"max({c}) filter (where side > 0) is distinct from max({c}) filter (where side < 0)"
        for c in listed
        if c not in grain and c not in ALONG
    )
    conn.execute(
        text(
            f"""
            create temp table {out} on commit drop as
            select {kept_columns}
            from (
                select {", ".join(listed)}, 1 as side from {plus}
                union all
                select {negated}, -1 as side from {minus}
            ) as rows
            group by {", ".join(grain)}
            having {nonzero}
            """  # noqa: S608 (names from the constants and the catalogue)
        )
    )
    # the keys a correction touched, either side
    conn.execute(
        text(
            f"create temp table touched_{name} on commit drop as "  # noqa: S608
            f"select * from {plus} union all select * from {minus}"
        )
    )


def _netted(column: str, grain: tuple[str, ...]) -> str:
    """A column of the signed rows, over a grain's new (side 1) and old (side -1) rows."""
    if column in grain:
        return column
    if column in ALONG:
        return f"max({column}) as {column}"
    if column in MAXIMA:
        # the new versions' maximum: an old one that held a row's goes by `stale`. A grain the
        # corrections only left takes the old versions' (the row's is as high: greatest()
        # keeps it; the column admits no null, not even in a row merged into one there)
        new, old = (f"max({column}) filter (where side {s} 0)" for s in (">", "<"))
        return f"coalesce({new}, {old}) as {column}"
    return f"sum({column}) as {column}"


def stale(conn: Connection, name: str, grain: tuple[str, ...]) -> list[str]:
    """`stale_<name>`: the rows of a rollup built from the signals (as they are before the
    signed rows are merged) whose maximum (MAXIMA) may fall: an old version of a corrected
    signal held it (its value is the row's) and no new version of the same grain reaches it.
    Call after `signed`, before its rows are merged; returns the stale rows' phenomena (none:
    nothing to recount). A correction that keeps a signal in its grain and its report date, or
    moves the date on, leaves nothing stale."""
    out, held = f"stale_{name}", f"held_{name}"
    conn.execute(text(f"drop table if exists {out}, {held}"))
    nulls = frozenset(columns(conn, name, nullable=True))
    maxima = [c for c in columns(conn, name) if c in MAXIMA]
    # minus_ and plus_ hold one row per grain (the rollup's SQL on the old and new versions)
    reached = " or ".join(
        f"(m.{c} is not null and (p.{c} is null or p.{c} < m.{c}))" for c in maxima
    )
    conn.execute(
        text(
            f"""
            create temp table {held} on commit drop as
            select m.* from minus_{name} as m
            left join plus_{name} as p on {_same("p", "m", grain, nulls)}
            where {reached}
            """  # noqa: S608 (names from the constants and the catalogue)
        )
    )
    if not conn.scalar(text(f"select exists (select 1 from {held})")):  # noqa: S608
        # the common case: no join with the rollup at all
        conn.execute(text(f"create temp table {out} (like {name}) on commit drop"))
        return []
    # the old version's value is the row's: it held it (a new signal merged since with a later
    # one holds it now, and the row stays)
    row_held = " or ".join(f"m.{c} >= r.{c}" for c in maxima)
    conn.execute(
        text(
            f"""
            create temp table {out} on commit drop as
            select r.* from {held} as m
            inner join {name} as r on {_same("r", "m", grain, nulls)}
            where {row_held}
            """  # noqa: S608
        )
    )
    return list(conn.scalars(text(f"select distinct phenomenon_code from {out}")))  # noqa: S608


def recount(conn: Connection, name: str, grain: tuple[str, ...]) -> tuple[int, int]:
    """Rebuild the rollup's `stale` rows from their grains' signals, after the signed rows were
    merged. Returns how many rows went and how many the rebuild made."""
    rows = f"stale_{name}"
    nulls = frozenset(columns(conn, name, nullable=True))
    # the signals of the stale grains, read by phenomenon and month (signal_phenomenon_idx)
    match = _same("s", "g", tuple(c for c in grain if c != "month"), nulls)
    conn.execute(text("drop table if exists stale_signal"))
    conn.execute(
        text(
            f"""
            create temp table stale_signal on commit drop as
            select s.* from signal as s
            where exists (
                select 1 from {rows} as g
                where s.observed_on >= g.month and s.observed_on < g.month + interval '1 month'
                and {match}
            )
            """  # noqa: S608 (names from the constants and the catalogue)
        )
    )
    area = _same(name, "g", grain, nulls)
    gone = conn.execute(
        text(f"delete from {name} where exists (select 1 from {rows} as g where {area})")  # noqa: S608
    ).rowcount
    everything = dict.fromkeys(("months", "lo", "hi", "owners", "added", "phenomena", "keys"))
    sql = _reading(rollup_sql(name), "stale_signal", None)
    made = conn.execute(text(sql), everything).rowcount
    return int(gone), int(made)


def _same(a: str, b: str, names: Sequence[str], nulls: frozenset[str]) -> str:
    """Rows a and b alike in these columns, nulls alike (as in the grains' constraints): an
    equality where neither can be null, for the grain indexes and hash joins."""
    return " and ".join(
        f"{a}.{c} is not distinct from {b}.{c}" if c in nulls else f"{a}.{c} = {b}.{c}"
        for c in names
    )


def touched(conn: Connection, name: str, key: str, months: Sequence[object]) -> list[object]:
    """The values of `key` of every row `signed` made for the rollup in these months (before
    netting: a grain whose rows cancel out still had its key's rows moved about)."""
    return _distinct(conn, f"touched_{name}", key, months)


def netted(conn: Connection, name: str, column: str, months: Sequence[object]) -> list[object]:
    """The values of `column` of the rows `signed` kept for the rollup in these months (after
    netting: the grains whose counts or sums a correction changed)."""
    return _distinct(conn, f"signed_{name}", column, months)


def _distinct(conn: Connection, table: str, column: str, months: Sequence[object]) -> list[object]:
    return list(
        conn.scalars(
            text(f"select distinct {column} from {table} where month = any(:m)"),  # noqa: S608
            {"m": months},
        )
    )
