"""Distinct entities per heatmap cell as counts (rollup_entity_count_month, migration 0021).

A cell's distinct entities over a period cannot be added up from per-month counts; counted by
the month each entity was last seen in the cell before, they can (see the SQL file). Keeping
that up to date after a delivery means looking up the history of every entity the delivery
touched: tens of seconds at 10M signals, more than the rest of a delivery's refresh. So it is
not done inside the delivery's transaction:

1. the delivery's refresh (rollups.refresh_months) marks the rollup stale from the first month
   it touched (`mark_stale`, in rollup_stale), inside the delivery's transaction;
2. right after the commit the loader calls `recount_stale`, which recounts the months from
   there on in a transaction of its own (under the rollups' lock, so no refresh runs beside it);
3. until then, and if that step never ran (a crash, a load with rollups left to the caller),
   the heatmap reads the entity sets for any period that reaches a stale month
   (`fresh_through`): exact, only slower. `nsoc rollups recount` runs step 2 by hand.

A full rebuild (rollups.refresh_all, the seed, this migration) counts everything at once.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text

from warehouse.planner import NESTED_LOOPS, SORTS, off
from warehouse.rollup_sql import EVERY_VIEWER, LOCK, record_refresh, rollup_sql, rows_after

TABLE = "rollup_entity_count_month"


@dataclass(frozen=True)
class Recount:
    stale_from: dt.date  # the first month counted again
    rows: int  # the rollup's rows after it
    seconds: float


def count_sql(conn: Connection) -> str | None:
    """The rollup's SQL with a window and a viewer per agency bit (the agencies are data);
    None with no agencies yet (a new warehouse: nothing to count)."""
    bits = conn.scalars(text("select bit from agency order by bit")).all()
    if not bits:
        return None
    windows = ",\n        ".join(
        f"max(month) filter (where audience & {1 << b} <> 0) over w as previous_{b}" for b in bits
    )
    latest = ",\n        ".join(
        f"max(h.month) filter (where h.audience_mask & {1 << b} <> 0) as latest_{b}" for b in bits
    )
    viewers = ", ".join(f"({1 << b}::bigint, coalesce(w.previous_{b}, e.latest_{b}))" for b in bits)
    # the bits are small integers from the agency table (0..62, checked there), not input
    sql = rollup_sql(TABLE)
    for name, value in (("windows", windows), ("latest", latest), ("viewers", viewers)):
        sql = sql.replace("{" + name + "}", value)
    return sql


def rebuild(conn: Connection, source_rows: int | None = None, *, bulk: bool = False) -> int:
    """Count every month again (in the caller's transaction, which holds the rollups' lock);
    returns the rollup's rows."""
    conn.execute(text(f"truncate {TABLE}" if bulk else f"delete from {TABLE}"))  # noqa: S608
    rows = _insert(conn, None)
    conn.execute(text("delete from rollup_stale where rollup = :r"), {"r": TABLE})
    conn.execute(text(f"analyze {TABLE}"))
    _record(conn, rows, source_rows)
    return rows


def mark_stale(conn: Connection, months: list[dt.date]) -> None:
    """The rollup is out of date from the first of these months on (no months: unchanged)."""
    if not months:
        return
    conn.execute(
        text(
            "insert into rollup_stale (rollup, stale_from) values (:r, :m) "
            "on conflict (rollup) do update "
            "set stale_from = least(rollup_stale.stale_from, excluded.stale_from)"
        ),
        {"r": TABLE, "m": min(months).replace(day=1)},
    )


def stale_from(conn: Connection) -> dt.date | None:
    """The first month whose counts are out of date; None when all are up to date."""
    return conn.scalar(text("select stale_from from rollup_stale where rollup = :r"), {"r": TABLE})


def fresh_through(conn: Connection, end: dt.date | None) -> bool:
    """Whether the counts of every month up to `end` (None: all months) are up to date."""
    stale = stale_from(conn)
    return stale is None or (end is not None and end < stale)


def recount(conn: Connection) -> Recount | None:
    """Count the stale months again, in the caller's transaction; None when none are stale."""
    began = time.perf_counter()
    conn.execute(text(LOCK))
    start = stale_from(conn)
    if start is None:
        return None
    # the window sorts every month from `start` on with its entities' earlier months
    conn.execute(text("set local work_mem = '256MB'"))
    deleted = conn.execute(
        text(f"delete from {TABLE} where {EVERY_VIEWER} and month >= :m"),  # noqa: S608
        {"m": start},
    ).rowcount
    # The months from `start` on may be new to the statistics (a delivery's new month: the
    # planner expects one row and joins the history once per row). A sample of the source
    # (~1 s at 10M; it counts this transaction's own new rows too) tells it, and joins that
    # hash whatever the estimates keep it safe.
    conn.execute(text("analyze rollup_entity_month"))
    # and the rows going into the final grouping are grouped by hashing, not sorted first
    with off(conn, NESTED_LOOPS, SORTS):
        inserted = _insert(conn, start)
    conn.execute(text("delete from rollup_stale where rollup = :r"), {"r": TABLE})
    rows = rows_after(conn, TABLE, deleted, inserted)
    _record(conn, rows)
    return Recount(start, rows, time.perf_counter() - began)


def recount_stale(engine: Engine) -> Recount | None:
    """Step 2 above: recount what a committed delivery left stale, in a transaction of its own."""
    with engine.begin() as conn:
        return recount(conn)


def _insert(conn: Connection, first: dt.date | None) -> int:
    """Count the months from `first` on (None: all); returns the rows inserted."""
    sql = count_sql(conn)
    return 0 if sql is None else conn.execute(text(sql), {"first": first}).rowcount


def _record(conn: Connection, rows: int, source_rows: int | None = None) -> None:
    if source_rows is None:
        source_rows = int(conn.scalar(text("select count(*) from signal")) or 0)
    record_refresh(conn, TABLE, source_rows, rows)
