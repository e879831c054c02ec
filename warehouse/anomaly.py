"""Anomaly flags for monthly counts (pure: numbers in, numbers out; no database, no Streamlit).

For one series (one indicator in one region, complete months, zeros filled in):

- level: median of the 12 months that end three months before the month (a two-month guard band,
  so that a cluster building up over a few months does not raise its own baseline);
- season: mean of the same month a year earlier and its two neighbours;
- expected: the higher of level and season, at least 1 (a New Year peak that also happened last
  year is not an anomaly; an empty history does not make a single signal remarkable);
- dispersion: robust variance over mean of the baseline window (MAD-based, at least 1), so that a
  naturally erratic series needs a larger excess (quasi-Poisson); only when the level is at least
  10 a month: below that a plain Poisson is used, since a dozen small counts cannot tell
  overdispersion from noise (the minimum count and ratio guard small series instead);
- p: upper-tail probability of the count under a quasi-Poisson with that mean and dispersion,
  for the month itself, and for the month with the one or two before it when all of them are
  above expected (a sustained rise, such as a corruption cluster, that no single month shows);
- flagged: the count (or the three-month sum) is at least `min_count`, at least `min_ratio`
  times expected, and p is at most `alpha`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

WINDOW = 12  # months in the baseline
GUARD = 2  # months between the baseline window and the month scored
MIN_HISTORY = 6  # months of baseline needed before a month is scored
SUSTAINED = 3  # months in the sustained-rise test
MAD_SCALE = 1.4826  # MAD -> standard deviation for a normal distribution
DISPERSION_MIN_LEVEL = 10.0  # below this level a plain Poisson is used
LN10 = math.log(10)


@dataclass(frozen=True)
class Method:
    min_count: int = 5
    min_ratio: float = 1.5
    alpha: float = 0.01


def log_poisson_sf(count: float, mean: float) -> float:
    """log P(X >= count) for X ~ Poisson(mean), continuous in count (the regularised lower
    incomplete gamma P(count, mean)); 0.0 (p = 1) for count <= 0."""
    return float(log_poisson_sf_array(np.array([count]), np.array([mean]))[0])


def log_poisson_sf_array(count: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """log_poisson_sf for many (count, mean) pairs at once."""
    count, mean = np.asarray(count, dtype=float), np.asarray(mean, dtype=float)
    out = np.zeros(count.shape)
    out[(count > 0) & (mean <= 0)] = -np.inf
    todo = (count > 0) & (mean > 0)
    a, x = count[todo], mean[todo]
    # Series P(a, x) = x^a e^-x / Gamma(a+1) * sum_n x^n / ((a+1)...(a+n)); converges for all
    # x, quickly when a > x (the case that matters: counts above what is expected).
    term, total = np.ones(a.shape), np.ones(a.shape)
    active = np.ones(a.shape, dtype=bool)
    n = 0
    while active.any() and n < 100_000:
        n += 1
        term[active] *= x[active] / (a[active] + n)
        total[active] += term[active]
        active &= term >= total * 1e-15
    lgamma = np.array([math.lgamma(v) for v in (a + 1).tolist()])
    out[todo] = np.minimum(0.0, a * np.log(x) - x - lgamma + np.log(total))
    return out


def _row_median(rows: np.ndarray) -> np.ndarray:
    """Median of each row ignoring NaN (NaN for an all-NaN row); np.nanmedian without its
    masked-array detour, which dominated the page's time."""
    ordered = np.sort(rows, axis=1)  # NaN sorts last
    k = (~np.isnan(rows)).sum(axis=1)
    lo = np.clip((k - 1) // 2, 0, rows.shape[1] - 1)
    hi = np.clip(k // 2, 0, rows.shape[1] - 1)
    index = np.arange(len(rows))
    return np.where(k > 0, (ordered[index, lo] + ordered[index, hi]) / 2, np.nan)


def _baseline(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(expected, dispersion) for every month of every series at once (one series per row of
    y); NaN without enough history."""
    count, n = y.shape
    padded = np.concatenate([np.full((count, WINDOW + GUARD), np.nan), y], axis=1)
    # Window t holds y[t-14 : t-2]: the twelve months before the guard band (NaN before the
    # data). All series' windows as one matrix, one row per (series, month).
    windows = sliding_window_view(padded, WINDOW, axis=1)[:, :n].reshape(count * n, WINDOW)
    enough = ((~np.isnan(windows)).sum(axis=1) >= MIN_HISTORY).reshape(count, n)
    level = _row_median(windows)
    mad = _row_median(np.abs(windows - level[:, None])).reshape(count, n)
    level = level.reshape(count, n)
    season = np.zeros((count, n))
    if n > 13:
        season[:, 13:] = (y[:, : n - 13] + y[:, 1 : n - 12] + y[:, 2 : n - 11]) / 3
    expected = np.where(enough, np.fmax(np.fmax(level, season), 1.0), np.nan)
    robust = np.fmax(1.0, (MAD_SCALE * mad) ** 2 / np.fmax(level, 1.0))
    dispersion = np.where(level >= DISPERSION_MIN_LEVEL, robust, 1.0)
    return expected, np.where(enough, dispersion, np.nan)


def _score(y: np.ndarray, method: Method) -> dict[str, np.ndarray]:
    """Score every month of every series (one per row of y); arrays of y's shape."""
    expected, dispersion = _baseline(y)
    log10_p = np.where(np.isnan(expected), np.nan, 0.0)
    sustained = np.full(y.shape, np.nan)
    kind = np.full(y.shape, "", dtype=object)
    # Only months above expected can be anomalies; the tail is computed for those alone
    # (p is reported as 1 for the others).
    above = y > np.nan_to_num(expected, nan=np.inf)
    s, t = np.nonzero(above)
    if len(s):
        phi = dispersion[s, t]
        count, base = y[s, t], expected[s, t]
        log10_p[s, t] = log_poisson_sf_array(count / phi, base / phi) / LN10
        # The longest run (3, else 2 months) ending at t with every month above expected.
        before = [np.where(t >= k, above[s, np.maximum(t - k, 0)], False) for k in (1, 2)]
        length = np.where(before[0] & before[1], 3, np.where(before[0], 2, 0))
        total, expected_total = count.copy(), base.copy()
        for k in (1, 2):
            inside = length > k
            total += np.where(inside, y[s, np.maximum(t - k, 0)], 0.0)
            expected_total += np.where(inside, expected[s, np.maximum(t - k, 0)], 0.0)
        run = length > 0
        run_p = np.full(len(s), np.nan)
        run_p[run] = log_poisson_sf_array(total[run] / phi[run], expected_total[run] / phi[run])
        sustained[s, t] = run_p / LN10
        month = _passes(count, base, log10_p[s, t], method)
        rise = run & _passes(total, expected_total, sustained[s, t], method)
        kind[s, t] = np.where(month, "month", np.where(rise, "sustained", ""))
    significance = -np.where(kind == "sustained", sustained, log10_p).astype(float)
    return {
        "expected": expected,
        "dispersion": dispersion,
        "log10_p": log10_p,
        "sustained_log10_p": sustained,
        "significance": significance,
        "kind": kind,
        "flagged": kind != "",
    }


def score_series(counts: np.ndarray | list[float], method: Method = Method()) -> pd.DataFrame:
    """Score every month of one series. Columns: expected, dispersion, log10_p (this month; 0
    when not above expected), sustained_log10_p (this month and the one or two before, when all
    are above expected), kind ("month", "sustained" or ""), significance (-log10 p of the test
    that fired, else of the month's), flagged. Months without enough history get NaN and are
    never flagged."""
    scored = _score(np.asarray(counts, dtype=float)[None, :], method)
    return pd.DataFrame({name: values[0] for name, values in scored.items()})


def _passes(
    count: np.ndarray, expected: np.ndarray, log10_p: np.ndarray, method: Method
) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return (
            (count >= method.min_count)
            & (count >= method.min_ratio * expected)
            & (log10_p <= math.log10(method.alpha))
        )


def score_frame(
    df: pd.DataFrame, *, keys: list[str], count: str = "count", method: Method = Method()
) -> pd.DataFrame:
    """Score every series in a long frame (one row per key combination and month, sorted by
    month within each series, complete months)."""
    names = ["expected", "dispersion", "log10_p", "sustained_log10_p", "significance"]
    columns: dict[str, np.ndarray] = {name: np.full(len(df), np.nan) for name in names}
    columns["kind"] = np.full(len(df), "", dtype=object)
    columns["flagged"] = np.zeros(len(df), dtype=bool)
    values = df[count].to_numpy(dtype=float)
    groups = list(df.groupby(keys, sort=False).indices.values()) if len(df) else []
    # Series of equal length (the usual case: a complete grid of months) are scored as one
    # matrix; otherwise one by one.
    batches = [groups] if len({len(g) for g in groups}) == 1 else [[g] for g in groups]
    for batch in batches:
        rows = np.stack(batch)
        for name, scored in _score(values[rows], method).items():
            columns[name][rows] = scored
    return df.assign(**columns)
