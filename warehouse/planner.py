"""Planner settings for single statements whose plan row-level security misleads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text


@contextmanager
def bitmap_scans_off(conn: Connection) -> Iterator[None]:
    """No bitmap scans for the statements in the block (then the transaction's setting again).

    Row-level security's predicates (the viewer's audience bit, the role) are opaque to the
    planner, which then expects under 1% of the rows to be visible. For a statement that needs
    the first few visible rows in an index's order (a drill-down's newest signals, one visible
    link of an entity) it then prefers a bitmap scan, which reads every matching row first,
    over an index scan that stops as soon as it has them."""
    before = conn.scalar(text("select current_setting('enable_bitmapscan')"))
    conn.execute(text("select set_config('enable_bitmapscan', 'off', true)"))
    try:
        yield
    finally:
        conn.execute(text("select set_config('enable_bitmapscan', :v, true)"), {"v": before})
