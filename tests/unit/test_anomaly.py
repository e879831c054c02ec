"""The anomaly statistics on synthetic series: spikes and sustained rises are found; seasonal
peaks, noise, small counts and short histories are not flagged."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from warehouse import anomaly
from warehouse.anomaly import Method, log_poisson_sf, score_frame, score_series


@pytest.mark.parametrize(
    ("k", "mean", "p"),
    [(5, 2.0, 0.052653), (1, 3.0, 1 - math.exp(-3)), (10, 10.0, 0.542070), (30, 5.0, 9.6e-13)],
)
def test_poisson_tail(k, mean, p):
    assert math.exp(log_poisson_sf(k, mean)) == pytest.approx(p, rel=1e-3)


def test_poisson_tail_edges():
    assert log_poisson_sf(0, 4.0) == 0.0
    assert log_poisson_sf(3, 0.0) == -math.inf
    assert log_poisson_sf(400, 2.0) < -300  # no underflow to 0: ranks stay meaningful


def poisson_series(rng, mean: float, months: int = 36) -> np.ndarray:
    return rng.poisson(mean, months).astype(float)


def test_a_spike_is_flagged_as_the_most_significant_month():
    y = poisson_series(np.random.default_rng(1), 6.0)
    y[26] = 40
    scored = score_series(y)
    assert scored.loc[26, "flagged"] and scored.loc[26, "kind"] == "month"
    assert scored["significance"].idxmax() == 26


def test_noise_alone_is_rarely_flagged():
    rng = np.random.default_rng(2)
    flags = sum(score_series(poisson_series(rng, 8.0))["flagged"].sum() for _ in range(50))
    assert flags <= 0.01 * 50 * 36 * 2


def test_small_counts_are_never_flagged():
    y = np.zeros(36)
    y[30] = 4  # from nothing to four: remarkable, but too few to call
    assert not score_series(y)["flagged"].any()
    y[30] = 6
    assert score_series(y).loc[30, "flagged"]


def test_months_without_history_are_not_scored():
    scored = score_series([1, 2, 30, 1, 2, 1, 2, 40])
    assert scored["expected"].isna().all()
    assert not scored["flagged"].any()


def test_a_seasonal_peak_seen_last_year_is_not_an_anomaly():
    rng = np.random.default_rng(3)
    season = np.array([3.0 if m % 12 in (0, 11) else 1.0 for m in range(36)])
    y = rng.poisson(8.0 * season).astype(float)
    scored = score_series(y)
    second_year_peaks = [23, 24, 35]
    assert not scored.loc[second_year_peaks, "flagged"].any()


def test_a_sustained_rise_is_flagged_each_month():
    y = np.full(36, 3.0)
    y[20:26] = [9, 8, 6, 8, 9, 8]  # no single month is extreme, together they are
    scored = score_series(y)
    assert scored.loc[20:25, "flagged"].all()
    assert (scored.loc[20:25, "kind"] != "").all()
    assert not scored.loc[:19, "flagged"].any()


def test_an_erratic_large_series_needs_a_larger_excess(monkeypatch):
    rng = np.random.default_rng(4)
    flags = {}
    for label, floor in (("quasi", 10.0), ("plain", 1e9)):
        monkeypatch.setattr(anomaly, "DISPERSION_MIN_LEVEL", floor)
        total = 0
        for _ in range(20):
            y = rng.negative_binomial(4, 4 / (4 + 50), 36).astype(float)  # mean 50, erratic
            scored = score_series(y)
            total += int(scored["flagged"].sum())
        flags[label] = total
    assert flags["quasi"] < flags["plain"] / 2


def test_method_thresholds_apply():
    y = np.full(36, 2.0)
    y[30] = 7
    assert score_series(y).loc[30, "flagged"]
    assert not score_series(y, Method(min_count=10)).loc[30, "flagged"]


def test_score_frame_scores_each_series_apart():
    df = pd.DataFrame(
        {
            "key": ["a"] * 36 + ["b"] * 36,
            "count": [2.0] * 30 + [20.0] + [2.0] * 5 + [2.0] * 36,
        }
    )
    scored = score_frame(df, keys=["key"])
    assert scored["flagged"].sum() == 1 and scored.loc[30, "flagged"]
    empty = score_frame(df.iloc[:0], keys=["key"])
    assert "flagged" in empty.columns


def test_a_frame_of_many_series_scores_as_each_series_alone():
    rng = np.random.default_rng(7)
    series = [rng.poisson(lam, 40).astype(float) for lam in (0.5, 3.0, 12.0, 40.0)]
    series[2][35:38] += 25  # a sustained rise
    series[3][30] += 90  # a one-month spike
    df = pd.DataFrame({"key": np.repeat(["a", "b", "c", "d"], 40), "count": np.concatenate(series)})
    together = score_frame(df, keys=["key"])
    alone = pd.concat([score_series(y) for y in series], ignore_index=True)
    for column in alone.columns:
        pd.testing.assert_series_equal(together[column], alone[column], check_names=False)
    assert together["flagged"].any()
    # Series of unequal length are scored one by one, with the same result per series.
    ragged = score_frame(df.iloc[:-5], keys=["key"])
    tail = score_series(series[3][:-5])
    pd.testing.assert_series_equal(
        ragged["significance"].iloc[120:].reset_index(drop=True),
        tail["significance"],
        check_names=False,
    )
