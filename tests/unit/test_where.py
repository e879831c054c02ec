"""Which rollup answers which filters: the per-agency rollups unless a filter needs a column
their grain does not carry."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest

from warehouse.filters import Filters
from warehouse.queries.where import h3_rollup, signal_rollup, where

YEAR = Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 1))
VIEWER = "rollup_facilitator_viewer_month"


@pytest.mark.parametrize(
    ("choose", "filters", "table"),
    [
        (signal_rollup, YEAR, "rollup_viewer_month"),
        (signal_rollup, Filters(municipalities=("GM0599",)), "rollup_signal_month"),
        (h3_rollup, YEAR, "rollup_h3_viewer_month"),
        (
            h3_rollup,
            Filters(regions=("RTM",), municipalities=("GM0599",)),
            "rollup_h3_viewer_month",
        ),
        (h3_rollup, Filters(phenomena=("X",)), "rollup_h3_month"),
        (h3_rollup, Filters(agencies=("fiod",)), "rollup_h3_month"),
        (h3_rollup, Filters(handling=("H1",)), "rollup_h3_month"),
    ],
)
def test_rollup_choice(choose, filters, table):
    assert choose(filters)[0] == table


@pytest.mark.parametrize("choose", [signal_rollup, h3_rollup])
@pytest.mark.parametrize(
    "filters",
    [
        YEAR,
        Filters(regions=("RTM",)),
        Filters(municipalities=("GM0599",)),
        Filters(phenomena=("X",)),
        Filters(agencies=("fiod",)),
        Filters(handling=("H1",)),
    ],
)
def test_the_chosen_rollup_drops_no_filter(choose, filters):
    # A filter on a column the chosen rollup lacks would be silently ignored by where().
    _, cols = choose(filters)
    assert where(filters, cols)[1] == where(filters)[1]


@pytest.mark.parametrize(
    ("filters", "tables"),
    [
        (YEAR, ["rollup_facilitator_viewer_quarter"]),
        (
            Filters(start=dt.date(2023, 12, 1), end=dt.date(2024, 11, 1)),
            ["rollup_facilitator_viewer_quarter", "rollup_facilitator_viewer_month"],
        ),
        (Filters(start=dt.date(2024, 11, 1), end=dt.date(2024, 12, 1)), [VIEWER]),
        # per region the same (migration 0024)
        (replace(YEAR, regions=("RTM",)), ["rollup_facilitator_region_quarter"]),
        (
            Filters(start=dt.date(2023, 12, 1), end=dt.date(2024, 11, 1), regions=("RTM",)),
            ["rollup_facilitator_region_quarter", "rollup_facilitator_region_month"],
        ),
    ],
)
def test_the_ranking_reads_whole_quarters_from_a_quarterly_rollup(filters, tables):
    from warehouse.queries import facilitators

    parts, params = facilitators._viewer_source(filters)
    assert [table for table, _ in parts] == tables
    for _, clause in parts:  # every value the conditions name is bound
        assert set(re.findall(r":(\w+)", clause)) <= set(params), clause


def test_the_regional_rollup_is_read_month_by_month():
    # its index is (viewer_mask, month, region_code, entity_id): the months named one by one let
    # PostgreSQL 15 seek the regions; a range of months made it read every region's entries.
    # The quarterly one's too (its quarters named, each month of a whole quarter read there).
    from warehouse.queries import facilitators

    period = Filters(start=dt.date(2023, 11, 1), end=dt.date(2024, 2, 1), regions=("RTM", "AMS"))
    [(table, clause)], params = facilitators._viewer_source(period)
    assert table == "rollup_facilitator_region_month"
    assert clause == "month = any(:f_months) and region_code = any(:f_regions)"
    assert params == {
        "f_months": [
            dt.date(2023, 11, 1),
            dt.date(2023, 12, 1),
            dt.date(2024, 1, 1),
            dt.date(2024, 2, 1),
        ],
        "f_regions": ["RTM", "AMS"],
        "f_quarters": [],  # none whole
    }
    # an empty period (start after end) reads no month
    backwards = replace(period, start=dt.date(2024, 2, 1), end=dt.date(2023, 11, 1))
    assert facilitators._viewer_source(backwards)[1]["f_months"] == []
    year = replace(period, start=dt.date(2023, 12, 1), end=dt.date(2024, 11, 1))
    parts, params = facilitators._viewer_source(year)
    assert params["f_quarters"] == [dt.date(2024, 1, 1), dt.date(2024, 4, 1), dt.date(2024, 7, 1)]
    assert params["f_months"] == [dt.date(2023, 12, 1), dt.date(2024, 10, 1), dt.date(2024, 11, 1)]
    assert parts == [
        (
            "rollup_facilitator_region_quarter",
            "month = any(:f_quarters) and region_code = any(:f_regions)",
        ),
        (
            "rollup_facilitator_region_month",
            "month = any(:f_months) and region_code = any(:f_regions)",
        ),
    ]
