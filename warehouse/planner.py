"""Planner settings for single statements whose plan row-level security, or statistics that
cannot know yet, mislead: `off(conn, SORTS, HASH_JOINS)` around the statement."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

# No nested-loop joins where another join will do. For a statement that joins what it has just
# written: the statistics do not know the rows yet (a month a delivery opened has none), the
# planner expects one row and joins by nested loop, and the inner side runs once per actual row
# (the distinct-entity recount of a new month at 10M: over 12 minutes instead of half a minute).
NESTED_LOOPS = "enable_nestloop"

# No explicit sorts where another plan will do. For a statement that groups millions of rows
# into far fewer and orders what comes out: the planner sorted the rows going into the grouping
# (so that they came out in order) instead of grouping them by hashing and sorting the few that
# come out (the distinct-entity recount of three months at 10M: 5.6 and 5.1 million rows sorted,
# ~16 of its 40 s; 25 s by hashing). Sorts that no other plan avoids (a window's) still run.
SORTS = "enable_sort"

# No hash joins where another join will do. For a statement that joins a few dozen rows to an
# index whose leading columns they fill: the facilitator ranking's months (with their decay
# factors) and the regional rollup, whose index (viewer_mask, month, region_code, …) then
# answers each month and region with a seek. Hashing the months instead hashed and probed every
# one of the rollup's rows (a year of the three port regions at 10M signals: 61-64 ms against
# 57-59).
HASH_JOINS = "enable_hashjoin"

# No bitmap scans. Row-level security's predicates (the viewer's audience bit, the role) are
# opaque to the planner, which then expects under 1% of the rows to be visible. For a statement
# that needs the first few visible rows in an index's order (a drill-down's newest signals, one
# visible link of an entity) it then prefers a bitmap scan, which reads every matching row
# first, over an index scan that stops as soon as it has them.
BITMAP_SCANS = "enable_bitmapscan"

# Read the settings as they are and switch them off in one statement (the materialized row is
# read before its projection switches them), and restore them in one: two round trips for any
# number of settings (three per setting when each was read, switched and restored on its own).
_SWITCH_OFF = text(
    """with before as materialized (
           select s, current_setting(s) as v from unnest(cast(:s as text[])) as s)
       select s, v, set_config(s, 'off', true) from before"""
)
_RESTORE = text(
    "select set_config(s, v, true) from unnest(cast(:s as text[]), cast(:v as text[])) as t (s, v)"
)


@contextmanager
def off(conn: Connection, *settings: str) -> Iterator[None]:
    """These planner settings (`SORTS`, `HASH_JOINS`, …) off for the statements in the block,
    then as they were (transaction-local, as `set local`). No settings: nothing is sent."""
    if not settings:
        yield
        return
    before = conn.execute(_SWITCH_OFF, {"s": list(settings)}).all()
    try:
        yield
    finally:
        conn.execute(_RESTORE, {"s": [r.s for r in before], "v": [r.v for r in before]})
