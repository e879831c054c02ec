"""The indicators page's key figures (warehouse.indicators.kpi_table) from one grouping, against
the definition written out per indicator."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from warehouse.indicators import INDICATORS, current_month, kpi_table


def _series() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    rows = []
    months = [dt.date(2023, m, 1) for m in range(1, 13)] + [dt.date(2024, m, 1) for m in (1, 2, 4)]
    for ind in INDICATORS[:-1]:  # the last indicator has no rows at all
        for m in months:
            if ind is INDICATORS[1] and m == dt.date(2024, 2, 1):
                continue  # a gap: its month before the current one is January
            for region in ("RTM", "AMS", "ZWB"):
                count = float(rng.integers(0, 9)) if rng.random() > 0.1 else np.nan
                rows.append(
                    {
                        "indicator": ind.code,
                        "region_code": region,
                        "month": m,
                        "count": count,
                        "flagged": bool(rng.random() > 0.6),
                        "in_window": m >= dt.date(2023, 5, 1),
                    }
                )
    return pd.DataFrame(rows)


def _expected(series: pd.DataFrame) -> pd.DataFrame:
    month = series.loc[series["in_window"], "month"].max()
    year = dt.date(month.year - 1, month.month, 1)
    rows = []
    for ind in INDICATORS:
        s = series[series["indicator"] == ind.code]
        by_month = s.groupby("month")["count"].sum(min_count=1)
        earlier = sorted(m for m in by_month.index if m < month)
        rows.append(
            {
                "indicator": ind.code,
                "current": by_month.get(month, np.nan),
                "previous": by_month[earlier[-1]] if earlier else np.nan,
                "year_ago": by_month.get(year, np.nan),
                "flagged_regions": int((s["flagged"] & (s["month"] == month)).sum()),
            }
        )
    out = pd.DataFrame(rows)
    out["change"] = out["current"] - out["previous"]
    return out


def test_kpis_are_each_indicator_s_own_figures():
    series = _series()
    assert current_month(series) == dt.date(2024, 4, 1)
    got = kpi_table(series)
    pd.testing.assert_frame_equal(got, _expected(series))
    by = got.set_index("indicator")
    # the gap: the second indicator's month before April is January
    jan = series[
        (series["indicator"] == INDICATORS[1].code) & (series["month"] == dt.date(2024, 1, 1))
    ]
    assert by.loc[INDICATORS[1].code, "previous"] == jan["count"].sum(min_count=1)
    # no rows at all: nothing to show, nothing flagged
    assert by.loc[INDICATORS[-1].code, ["current", "previous", "year_ago"]].isna().all()
    assert by.loc[INDICATORS[-1].code, "flagged_regions"] == 0


def test_an_indicator_whose_first_month_is_the_current_one_has_no_month_before():
    series = _series()
    first = series[series["month"] == dt.date(2023, 1, 1)].assign(in_window=True)
    got = kpi_table(first).set_index("indicator")
    assert got["previous"].isna().all() and got["change"].isna().all()
