"""Months and periods shared by the analyst views: month arithmetic, the window a filter
selects (completed from the months the viewer has data for), the previous period."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy import Connection, text

from warehouse.filters import Filters


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(start: dt.date, end: dt.date) -> int:
    """Number of months from start to end, both included."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def window(conn: Connection, filters: Filters) -> tuple[dt.date, dt.date] | None:
    """The filter's months, completed and clipped by the months the viewer has data for (the
    rollup under row-level security); None when there is nothing to show."""
    span = conn.execute(
        text("select min(month) as a, max(month) as b from rollup_viewer_month")
    ).one()
    if span.a is None:
        return None
    start = max(filters.start or span.a, span.a)
    end = min(filters.end or span.b, span.b)
    return (start, end) if start <= end else None


def previous_period(filters: Filters, start: dt.date, end: dt.date) -> Filters:
    """The same filters over the period of equal length just before [start, end]."""
    length = months_between(start, end)
    return replace(filters, start=add_months(start, -length), end=add_months(end, -length))
