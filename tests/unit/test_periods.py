"""A period split into whole calendar quarters and the months outside them."""

from __future__ import annotations

import datetime as dt

import pytest

from warehouse.periods import (
    add_months,
    month_range,
    months_between,
    quarter_start,
    split_quarters,
)


def d(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


@pytest.mark.parametrize(
    ("start", "end", "quarters", "months"),
    [
        (d(2024, 1), d(2024, 12), [d(2024, 1), d(2024, 4), d(2024, 7), d(2024, 10)], []),
        (
            d(2024, 12),
            d(2025, 11),
            [d(2025, 1), d(2025, 4), d(2025, 7)],
            [d(2024, 12), d(2025, 10), d(2025, 11)],
        ),
        (d(2024, 2), d(2024, 3), [], [d(2024, 2), d(2024, 3)]),
        (d(2024, 4), d(2024, 6), [d(2024, 4)], []),
        (d(2024, 5), d(2024, 5), [], [d(2024, 5)]),
        (d(2024, 11), d(2025, 3), [d(2025, 1)], [d(2024, 11), d(2024, 12)]),
    ],
)
def test_a_period_splits_into_whole_quarters_and_the_months_outside(start, end, quarters, months):
    assert split_quarters(start, end) == (quarters, months)


def test_the_split_covers_every_month_once():
    for first in range(1, 13):
        for length in range(1, 40):
            start = d(2023, first)
            end = add_months(start, length - 1)
            quarters, months = split_quarters(start, end)
            covered = sorted([add_months(q, i) for q in quarters for i in range(3)] + months)
            assert covered == [add_months(start, i) for i in range(months_between(start, end))]
            assert all(quarter_start(q) == q for q in quarters)
            assert len(months) <= 4


def test_a_month_s_quarter():
    assert [quarter_start(d(2024, m)).month for m in range(1, 13)] == [1] * 3 + [4] * 3 + [
        7
    ] * 3 + [10] * 3


def test_month_range_lists_the_months_both_included():
    assert month_range(dt.date(2023, 11, 1), dt.date(2024, 2, 1)) == [
        dt.date(2023, 11, 1),
        dt.date(2023, 12, 1),
        dt.date(2024, 1, 1),
        dt.date(2024, 2, 1),
    ]
    assert month_range(dt.date(2024, 3, 1), dt.date(2024, 3, 1)) == [dt.date(2024, 3, 1)]
    assert month_range(dt.date(2024, 3, 1), dt.date(2024, 1, 1)) == []
