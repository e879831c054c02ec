"""Planner settings for single statements whose plan row-level security, or statistics that
cannot know yet, mislead."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text


@contextmanager
def _off(conn: Connection, setting: str) -> Iterator[None]:
    """The planner setting off for the statements in the block, then as it was."""
    before = conn.scalar(text("select current_setting(:s)"), {"s": setting})
    conn.execute(text("select set_config(:s, 'off', true)"), {"s": setting})
    try:
        yield
    finally:
        conn.execute(text("select set_config(:s, :v, true)"), {"s": setting, "v": before})


@contextmanager
def nested_loops_off(conn: Connection) -> Iterator[None]:
    """No nested-loop joins where another join will do, for the statements in the block.

    For a statement that joins what it has just written: the statistics do not know the rows
    yet (a month a delivery opened has none), the planner expects one row and joins by nested
    loop, and the inner side runs once per actual row (the distinct-entity recount of a new
    month at 10M: over 12 minutes instead of half a minute)."""
    with _off(conn, "enable_nestloop"):
        yield


@contextmanager
def sorts_off(conn: Connection) -> Iterator[None]:
    """No explicit sorts where another plan will do, for the statements in the block.

    For a statement that groups millions of rows into far fewer and orders what comes out: the
    planner sorted the rows going into the grouping (so that they came out in order) instead of
    grouping them by hashing and sorting the few that come out (the distinct-entity recount of
    three months at 10M: 5.6 and 5.1 million rows sorted, ~16 of its 40 s; 25 s by hashing).
    Sorts that no other plan avoids (a window's) still run."""
    with _off(conn, "enable_sort"):
        yield


@contextmanager
def hash_joins_off(conn: Connection) -> Iterator[None]:
    """No hash joins where another join will do, for the statements in the block.

    For a statement that joins a few dozen rows to an index whose leading columns they fill: the
    facilitator ranking's months (with their decay factors) and the regional rollup, whose index
    (viewer_mask, month, region_code, …) then answers each month and region with a seek. Hashing
    the months instead hashed and probed every one of the rollup's rows (a year of the three
    port regions at 10M signals: 61-64 ms against 57-59)."""
    with _off(conn, "enable_hashjoin"):
        yield


@contextmanager
def bitmap_scans_off(conn: Connection) -> Iterator[None]:
    """No bitmap scans for the statements in the block (then the transaction's setting again).

    Row-level security's predicates (the viewer's audience bit, the role) are opaque to the
    planner, which then expects under 1% of the rows to be visible. For a statement that needs
    the first few visible rows in an index's order (a drill-down's newest signals, one visible
    link of an entity) it then prefers a bitmap scan, which reads every matching row first,
    over an index scan that stops as soon as it has them."""
    with _off(conn, "enable_bitmapscan"):
        yield
