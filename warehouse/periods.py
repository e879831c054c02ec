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


def month_range(start: dt.date, end: dt.date) -> list[dt.date]:
    """The months start..end (first days, both included); none when start is after end."""
    return [add_months(start, i) for i in range(months_between(start, end))]


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


def quarter_start(month: dt.date) -> dt.date:
    """The first day of the calendar quarter the month lies in."""
    return dt.date(month.year, (month.month - 1) // 3 * 3 + 1, 1)


def split_quarters(start: dt.date, end: dt.date) -> tuple[list[dt.date], list[dt.date]]:
    """The months start..end (first days, both included) as the calendar quarters that lie
    wholly inside them and the months outside those: (quarters' first days, other months). A
    rollup per quarter then answers the period with a third of the rows of one per month."""
    quarters: list[dt.date] = []
    months: list[dt.date] = []
    month = start.replace(day=1)
    while month <= end:
        last = add_months(month, 2)
        if month == quarter_start(month) and last <= end:
            quarters.append(month)
            month = add_months(month, 3)
        else:
            months.append(month)
            month = add_months(month, 1)
    return quarters, months
