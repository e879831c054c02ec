"""Phenomenon heatmaps: phenomenon x region and phenomenon x month, four measures per cell, a
comparison with the previous period, and the row-level drill-down behind one cell.

Cells come from the rollups (signals, amount and contributing agencies from the viewer's
rollup_viewer_cell_month, or rollup_viewer_month when owners or handling codes are filtered, or
rollup_signal_month when municipalities are; distinct entities
from rollup_entity_count_month, or while its months are being recounted after a delivery from
rollup_entity_set_month, or from rollup_entity_month when owners, handling codes or
municipalities are filtered); only the drill-down reads signals, bounded by the cell, the
filters and a limit."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Literal

import numpy as np
import pandas as pd
from sqlalchemy import Connection, text

from warehouse import entity_counts
from warehouse.filters import Filters
from warehouse.periods import add_months, months_between, previous_period, window
from warehouse.planner import BITMAP_SCANS, off
from warehouse.queries.frames import frame
from warehouse.queries.where import CELL_ROLLUP, Columns, cell_rollup, where
from warehouse.settings import get_settings
from warehouse.suppression import needs_suppression, suppress
from warehouse.viewer import Viewer

Axis = Literal["region", "month"]
METRICS = ("signals", "amount_eur", "entities", "agencies")
DIMENSION = {"region": "region_code", "month": "month"}
DRILLDOWN_LIMIT = 500
# rollup_entity_set_month carries month, region and phenomenon of the filters (no owner,
# handling code or municipality: with those, _entities counts over rollup_entity_month).
SET_COLUMNS = Columns(municipality=None, agency=None, handling=None)
# rollup_entity_count_month (0021) carries the same.
COUNT_COLUMNS = SET_COLUMNS
DRILLDOWN_COLUMNS = [
    "source_ref",
    "owner_agency",
    "phenomenon_code",
    "observed_on",
    "municipality",
    "region_code",
    "node_code",
    "amount_eur",
    "severity",
    "reliability",
    "credibility",
    "handling_code",
]


def _cells(conn: Connection, filters: Filters, axis: Axis, entities: bool) -> pd.DataFrame:
    dim = DIMENSION[axis]  # a column name from the constant above, never input
    source, cols = cell_rollup(filters)
    clause, params = where(filters, cols)
    signals = conn.execute(text(_cells_sql(source, clause, dim)), params)
    cells = frame(signals, ["phenomenon_code", dim, *METRICS[:2], "agencies"])
    cells["signals"] = cells["signals"].astype("int64")
    cells["amount_eur"] = cells["amount_eur"].astype(float)
    columns = ["phenomenon_code", dim, *(m for m in METRICS if entities or m != "entities")]
    if entities:
        cells = cells.merge(_entities(conn, filters, dim), how="left")
        cells["entities"] = cells["entities"].fillna(0).astype("int64")
    return cells[columns].sort_values(["phenomenon_code", dim], ignore_index=True)


def _cells_sql(source: str, clause: str, dim: str) -> str:
    """Signals, amount and contributing agencies per cell: from the cells rollup the owners' bit
    mask counts the agencies; from a rollup with an owner per row, two steps so that both
    aggregations hash (the agencies are the owner rows)."""
    if source == CELL_ROLLUP:
        return f"""
            select phenomenon_code, {dim}, sum(signal_count) as signals,
                   sum(amount_eur) as amount_eur,
                   bit_count(bit_or(agency_bits)::bit(64)) as agencies
            from {source}
            where {clause}
            group by 1, 2
            """  # noqa: S608 - names from constants; values are bound
    return f"""
        with per_owner as (
            select phenomenon_code, {dim} as {dim}, owner_agency,
                   sum(signal_count) as signals, sum(amount_eur) as amount_eur
            from {source}
            where {clause}
            group by 1, 2, 3
        )

        select phenomenon_code, {dim}, sum(signals) as signals,
               sum(amount_eur) as amount_eur, count(*) as agencies
        from per_owner
        group by 1, 2
        """  # noqa: S608 - names from constants; values are bound


def _entities(conn: Connection, filters: Filters, dim: str) -> pd.DataFrame:
    """Distinct entities per cell, from the source `_entity_source` names."""
    source = _entity_source(conn, filters, dim)
    if source == "rows":
        return _entities_counted(conn, filters, dim)
    if source == "counts":
        return _entities_from_counts(conn, filters, dim)
    return _entities_from_sets(conn, filters, dim)


def _entity_source(conn: Connection, filters: Filters, dim: str) -> str:
    """Where the distinct entities come from: "rows" (rollup_entity_month) when the filters name
    owners, handling codes or municipalities, which only it carries; "counts"
    (rollup_entity_count_month, 0021) when its months up to the period's end are up to date,
    except by month with regions chosen (its map-wide rows hold every region); "sets"
    (rollup_entity_set_month, 0011) otherwise, e.g. right after a delivery, until its recount."""
    if filters.agencies or filters.handling or filters.municipalities:
        return "rows"
    if (dim != "month" or not filters.regions) and entity_counts.fresh_through(conn, filters.end):
        return "counts"
    return "sets"


def _entities_from_counts(conn: Connection, filters: Filters, dim: str) -> pd.DataFrame:
    """Sums of counts: by region, an entity is counted in the first month of the period it was
    seen in the cell, the row whose previous month is null or before the period; by month (one
    month a cell), every entity of the month on the whole map."""
    clause, params = where(filters, COUNT_COLUMNS)
    if dim == "month":
        scope = "all_regions"
    else:
        scope = "not all_regions and (previous_month is null or previous_month < :first)"
        params["first"] = filters.start or dt.date.min
    rows = conn.execute(
        text(
            f"""
            select phenomenon_code, {dim}, sum(entity_count) as entities
            from rollup_entity_count_month
            where {scope} and {clause}
            group by 1, 2
            """  # noqa: S608 - names from constants; values are bound
        ),
        params,
    )
    return frame(rows, ["phenomenon_code", dim, "entities"])


def _entities_counted(conn: Connection, filters: Filters, dim: str) -> pd.DataFrame:
    clause, params = where(filters)
    # count(distinct) per cell sorts once (a distinct set of pairs hashed first was 3x slower),
    # on byte order: the keys are codes, and a locale-aware sort of 200,000 rows costs.
    key = dim if dim == "month" else f'{dim} collate "C"'
    rows = conn.execute(
        text(
            f"""
            select phenomenon_code collate "C" as phenomenon_code, {key} as {dim},
                   count(distinct entity_id) as entities
            from rollup_entity_month
            where {clause}
            group by 1, 2
            """  # noqa: S608 - names from constants; values are bound
        ),
        params,
    )
    return frame(rows, ["phenomenon_code", dim, "entities"])


def _entities_from_sets(conn: Connection, filters: Filters, dim: str) -> pd.DataFrame:
    """The size of the union of each cell's entity arrays: the arrays of a cell are joined
    (nsoc_array_cat_agg, migration 0011) and counted distinct per cell, a few hundred small
    sorts instead of one over every (entity, cell, month).

    Joined in two steps, per month and region first: the aggregate copies what it has joined so
    far at each array, so joining a cell's arrays at once costs as the square of their number
    (a year's region cell at 10M signals: ~190 arrays of the months and audiences, ~0.5 s of
    1.5 s); per month and region a dozen or so, then a dozen or two of those."""
    clause, params = where(filters, SET_COLUMNS)
    rows = conn.execute(
        text(
            f"""
            with per_month as (
                select phenomenon_code, region_code, month,
                       nsoc_array_cat_agg(entity_ids) as entity_ids
                from rollup_entity_set_month
                where {clause}
                group by 1, 2, 3
            )

            select phenomenon_code, {dim},
                   (select count(distinct e)
                    from unnest(nsoc_array_cat_agg(entity_ids)) as e) as entities
            from per_month
            group by 1, 2
            """  # noqa: S608 - names from constants; values are bound
        ),
        params,
    )
    return frame(rows, ["phenomenon_code", dim, "entities"])


def _guard(df: pd.DataFrame, viewer: Viewer) -> pd.DataFrame:
    if needs_suppression(viewer):
        measures = tuple(m for m in METRICS[1:] if m in df.columns)
        return suppress(df, count="signals", measures=measures, k=get_settings().suppression_k)
    return df.assign(suppressed=False)


def heatmap(
    *,
    conn: Connection,
    viewer: Viewer,
    filters: Filters,
    axis: Axis = "region",
    entities: bool = True,
) -> pd.DataFrame:
    """One row per phenomenon and region (or month) with signals, amount_eur, agencies and
    (when asked: it is the costly one) entities; managers: cells under k suppressed (every
    measure withheld)."""
    return _guard(_cells(conn, filters, axis, entities), viewer)


def heatmap_change(
    *,
    conn: Connection,
    viewer: Viewer,
    filters: Filters,
    axis: Axis = "region",
    entities: bool = True,
) -> pd.DataFrame:
    """Each measure now, in the previous period of equal length, and the change (absolute and
    %). By month, a month is compared with the same month of the previous period. A change is
    withheld when either side is suppressed."""
    span = window(conn, filters)
    if span is None:
        return _change_frame(pd.DataFrame(), pd.DataFrame(), DIMENSION[axis], entities)
    start, end = span
    before = previous_period(filters, start, end)
    dim = DIMENSION[axis]
    current = _guard(_cells(conn, replace(filters, start=start, end=end), axis, entities), viewer)
    previous = _guard(_cells(conn, before, axis, entities), viewer)
    if axis == "month":
        length = months_between(start, end)
        previous["month"] = [add_months(m, length) for m in previous["month"]]
    return _change_frame(current, previous, dim, entities)


def _change_frame(
    current: pd.DataFrame, previous: pd.DataFrame, dim: str, entities: bool
) -> pd.DataFrame:
    keys = ["phenomenon_code", dim]
    metrics = [m for m in METRICS if entities or m != "entities"]
    cols = [*keys, *metrics, "suppressed"]
    current = current.reindex(columns=cols)
    previous = previous.reindex(columns=cols)
    for side in (current, previous):  # an empty side has float keys: align the dtypes
        side[keys] = side[keys].astype(object)
    out = current.merge(previous, how="outer", on=keys, suffixes=("", "_prev"))
    # Plain float arrays (NaN = withheld): the nullable dtypes cost more than the queries.
    now_hidden = out["suppressed"].eq(True).to_numpy()
    was_hidden = out["suppressed_prev"].eq(True).to_numpy()
    hidden = now_hidden | was_hidden
    for m in metrics:
        now = pd.to_numeric(out[m], errors="coerce").to_numpy(dtype=float)
        was = pd.to_numeric(out[f"{m}_prev"], errors="coerce").to_numpy(dtype=float)
        now = np.where(np.isnan(now) & ~now_hidden, 0.0, now)  # absent on one side: zero
        was = np.where(np.isnan(was) & ~was_hidden, 0.0, was)
        change = np.where(hidden, np.nan, now - was)
        safe = np.where(was == 0, np.nan, was)
        out[m], out[f"{m}_prev"] = now, was
        out[f"{m}_change"] = change
        out[f"{m}_pct"] = 100 * change / safe
    out["suppressed"] = hidden
    return out.drop(columns=["suppressed_prev"]).sort_values(keys, ignore_index=True)


def cell_signals(
    *,
    conn: Connection,
    viewer: Viewer,
    filters: Filters,
    phenomenon: str,
    region: str | None = None,
    month: dt.date | None = None,
    limit: int = DRILLDOWN_LIMIT,
) -> pd.DataFrame:
    """The newest signals behind one heatmap cell within the filters (row-level: analysts only;
    row-level security shows others nothing anyway)."""
    if not viewer.sees_rows:
        return pd.DataFrame(columns=DRILLDOWN_COLUMNS)
    cols = Columns(
        month=None,
        region="m.region_code",
        municipality="s.municipality_code",
        phenomenon="s.phenomenon_code",
        agency="s.owner_agency",
        handling="s.handling_code",
    )
    clause, params = where(filters, cols)
    conditions = [clause, "s.phenomenon_code = :cell_phenomenon"]
    params["cell_phenomenon"] = phenomenon
    # Whole months: observed_on within [first day of start, first day after end).
    lower = max(d for d in (filters.start, month, dt.date(1, 1, 1)) if d is not None)
    upper_month = min(d for d in (filters.end, month, dt.date(9999, 1, 1)) if d is not None)
    params["cell_from"], params["cell_to"] = lower, add_months(upper_month, 1)
    conditions.append("s.observed_on >= :cell_from and s.observed_on < :cell_to")
    params["cell_limit"] = max(1, min(int(limit), DRILLDOWN_LIMIT))
    newest = "order by s.observed_on desc, s.id desc limit :cell_limit"
    signal_columns = (
        "s.source_ref, s.owner_agency, s.phenomenon_code, s.observed_on, s.node_code, "
        "s.amount_eur, s.severity, s.reliability, s.credibility, s.handling_code"
    )
    # The newest rows of the cell come from walking an index backwards (migration 0015):
    # (phenomenon, observed_on, id) for a month, or (municipality, phenomenon, observed_on, id)
    # once per municipality of a region, each walk stopping at the limit.
    if region is None:
        sql = f"""
            select {signal_columns}, m.name as municipality, m.region_code
            from signal as s
            left join municipality as m on m.gm_code = s.municipality_code
            where {" and ".join(conditions)}
            {newest}
            """  # noqa: S608 - the clause is built from column constants; values are bound
    else:
        params["cell_region"] = region
        sql = f"""
            select s.*, m.name as municipality, m.region_code
            from municipality as m
            cross join lateral (
                select {signal_columns}, s.id
                from signal as s
                where s.municipality_code = m.gm_code and {" and ".join(conditions)}
                {newest}
            ) as s
            where m.region_code = :cell_region
            {newest}
            """  # noqa: S608 - the clause is built from column constants; values are bound
    with off(conn, BITMAP_SCANS):
        return frame(conn.execute(text(sql), params), DRILLDOWN_COLUMNS)
