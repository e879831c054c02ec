"""Corruption and violence indicators: monthly counts per indicator and RIEC region from the
rollup, scored against a trailing baseline (warehouse/anomaly.py)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from sqlalchemy import Connection, text

from warehouse.anomaly import Method, score_frame
from warehouse.filters import Filters
from warehouse.indicators import INDICATORS, anomaly_list, catalogue_pairs, kpi_table
from warehouse.periods import add_months, window
from warehouse.queries.frames import frame
from warehouse.queries.where import cell_rollup, where
from warehouse.settings import get_settings
from warehouse.suppression import needs_suppression, suppress
from warehouse.viewer import Viewer

HISTORY_MONTHS = 26  # before the window: 12 baseline + 2 guard + a year for the season, + slack
COLUMNS = ["indicator", "region_code", "month", "count"]


def indicator_series(*, conn: Connection, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """One row per indicator, region and month (zeros filled in) from the history the baseline
    needs up to the window's end; `in_window` marks the months the viewer asked for. Scored:
    expected, significance, kind, flagged. Managers: counts under k shown as missing."""
    span = window(conn, filters)
    if span is None:
        return _empty()
    start, end = span
    first = conn.scalar(text("select min(month) from rollup_viewer_month"))
    history = max(add_months(start, -HISTORY_MONTHS), first)
    source, cols = cell_rollup(filters, alias="r")
    clause, params = where(replace(filters, start=history, end=end), cols)
    indicators, phenomena = catalogue_pairs()
    sql = text(
        f"""
        with catalogue as (
            select * from unnest(cast(:ind as text[]), cast(:phen as text[]))
                as c (indicator, phenomenon_code)
        )

        select c.indicator, r.region_code, r.month, sum(r.signal_count) as count
        from {source} as r
        inner join catalogue as c on c.phenomenon_code = r.phenomenon_code
        where {clause} and r.region_code is not null
        group by 1, 2, 3
        """  # noqa: S608 - the clause is built from column constants; values are bound
    )
    clause_params = {**params, "ind": indicators, "phen": phenomena}
    rows = frame(conn.execute(sql, clause_params), COLUMNS)
    regions = list(filters.regions) or list(
        conn.execute(text("select code from riec_region order by code")).scalars()
    )
    months = pd.date_range(history, end, freq="MS").date
    grid = pd.MultiIndex.from_product(
        [[i.code for i in INDICATORS], regions, months], names=["indicator", "region_code", "month"]
    ).to_frame(index=False)
    series = grid.merge(rows, how="left", on=["indicator", "region_code", "month"])
    series["count"] = series["count"].fillna(0).astype("int64")
    k = get_settings().suppression_k
    method = Method(min_count=max(Method().min_count, k)) if needs_suppression(viewer) else Method()
    scored = score_frame(series, keys=["indicator", "region_code"], method=method)
    scored["in_window"] = scored["month"] >= start
    if needs_suppression(viewer):
        scored = suppress(scored, count="count", measures=("significance", "log10_p"), k=k)
        scored["expected"] = scored["expected"].mask(scored["expected"] < k)
    else:
        scored["suppressed"] = False
    return scored


def current_anomalies(*, conn: Connection, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Flagged region-months of the window's last month, most significant first."""
    return anomaly_list(indicator_series(conn=conn, viewer=viewer, filters=filters))


def indicator_kpis(*, conn: Connection, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Per indicator: this month, last month, a year ago, regions flagged now."""
    return kpi_table(indicator_series(conn=conn, viewer=viewer, filters=filters))


def _empty() -> pd.DataFrame:
    cols = COLUMNS + ["expected", "significance", "kind", "flagged", "in_window", "suppressed"]
    return pd.DataFrame(columns=cols)
