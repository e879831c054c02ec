"""The heatmap and indicator query functions: they find the planted patterns (seed manifest)
and their totals equal raw counts over the signals the same viewer may see."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import text

from tests.conftest import make_viewer
from warehouse.filters import Filters
from warehouse.queries import heatmaps, indicators, where
from warehouse.scoped import scoped

YEAR_2024 = Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 1))
# a year, a quarter of two regions, three phenomena: the filters two ways to a cell must agree on
CELL_FILTERS = [
    YEAR_2024,
    Filters(start=dt.date(2023, 7, 1), end=dt.date(2023, 9, 1), regions=("RTM", "OB")),
    Filters(phenomena=("VIO_EXPLOSION", "COR_PORT_INSIDER", "FAC_LOGISTIC")),
]


def month(label: str) -> dt.date:
    return dt.date.fromisoformat(label + "-01")


def raw(warehouse, sql: str, viewer, **params) -> list:
    """As the owner (no row-level security), restricted to the viewer's audience by hand."""
    with warehouse.engine.connect() as conn:
        return conn.execute(text(sql), {"mask": viewer.mask, **params}).all()


def run(app_engine, viewer, func, **kwargs):
    with scoped(viewer, engine=app_engine) as conn:
        return func(conn=conn, viewer=viewer, **kwargs)


@pytest.mark.parametrize("axis", ["region", "month"])
def test_heatmap_totals_equal_raw_counts(warehouse, app_engine, axis):
    viewer = make_viewer("politie")
    cells = run(app_engine, viewer, heatmaps.heatmap, filters=YEAR_2024, axis=axis)
    ((signals, amount),) = raw(
        warehouse,
        "select count(*), coalesce(sum(amount_eur), 0) from signal "
        "where audience_mask & :mask <> 0 and observed_on >= '2024-01-01' "
        "and observed_on < '2025-01-01'",
        viewer,
    )
    assert cells["signals"].sum() == signals
    assert cells["amount_eur"].sum() == pytest.approx(float(amount), rel=1e-9)
    per_cell = raw(
        warehouse,
        "select s.phenomenon_code, m.region_code, count(distinct l.entity_id) as entities, "
        "count(distinct s.owner_agency) as agencies "
        "from signal s join municipality m on m.gm_code = s.municipality_code "
        "left join signal_entity l on l.signal_id = s.id "
        "where s.audience_mask & :mask <> 0 and s.observed_on >= '2024-01-01' "
        "and s.observed_on < '2025-01-01' group by 1, 2",
        viewer,
    )
    if axis == "region":
        expected = pd.DataFrame(per_cell, columns=["phenomenon_code", "region_code", "e", "a"])
        both = cells.merge(expected, on=["phenomenon_code", "region_code"])
        assert len(both) == len(cells) == len(expected)
        assert (both["entities"] == both["e"]).all()
        assert (both["agencies"] == both["a"]).all()


def _assert_same_cells(one: pd.DataFrame, other: pd.DataFrame, dim: str) -> None:
    """Two ways to the same distinct-entity cells give the same cells and figures (not none)."""
    keys = ["phenomenon_code", dim]
    one, other = (
        f.sort_values(keys, ignore_index=True).astype({"entities": "int64"}) for f in (one, other)
    )
    assert len(one) > 0
    pd.testing.assert_frame_equal(one, other, check_dtype=False)


@pytest.mark.parametrize("axis", ["region", "month"])
@pytest.mark.parametrize("role", ["analyst", "manager"])
@pytest.mark.parametrize("filters", CELL_FILTERS)
def test_distinct_entities_from_the_sets_equal_the_count_over_entity_rows(
    app_engine, axis, role, filters
):
    # Two ways to the same figure: the sets of migration 0011 (used unless owners, handling
    # codes or municipalities are filtered) and count(distinct) over rollup_entity_month.
    dim = heatmaps.DIMENSION[axis]
    viewer = make_viewer("douane", role)
    with scoped(viewer, engine=app_engine) as conn:
        sets = heatmaps._entities_from_sets(conn, filters, dim)
        rows = heatmaps._entities_counted(conn, filters, dim)
    _assert_same_cells(sets, rows, dim)


# the cell filters, a single month, everything up to a month, a span of years for three phenomena
ENTITY_FILTERS = [
    *CELL_FILTERS,
    Filters(start=dt.date(2024, 6, 1), end=dt.date(2024, 6, 1)),
    Filters(end=dt.date(2023, 3, 1)),
    Filters(
        start=dt.date(2023, 2, 1),
        end=dt.date(2024, 11, 1),
        phenomena=("VIO_EXPLOSION", "COR_PORT_INSIDER", "ML_TBML"),
        regions=("RTM", "AMS", "ZWB"),
    ),
]


@pytest.mark.parametrize("axis", ["region", "month"])
@pytest.mark.parametrize("agency", ["douane", "fiod"])
@pytest.mark.parametrize("role", ["analyst", "manager"])
@pytest.mark.parametrize("filters", ENTITY_FILTERS)
def test_distinct_entities_from_the_counts_equal_the_count_over_entity_rows(
    app_engine, axis, agency, role, filters
):
    # The counts by previous month (migration 0021), read while they are up to date, against
    # count(distinct) over rollup_entity_month. By month with regions chosen they cannot answer
    # (their map-wide rows hold every region): the sets do.
    dim = heatmaps.DIMENSION[axis]
    viewer = make_viewer(agency, role)
    with scoped(viewer, engine=app_engine) as conn:
        source = heatmaps._entity_source(conn, filters, dim)
        if axis == "month" and filters.regions:
            assert source == "sets"
            return
        assert source == "counts"
        counts = heatmaps._entities_from_counts(conn, filters, dim)
        rows = heatmaps._entities_counted(conn, filters, dim)
    _assert_same_cells(counts, rows, dim)


@pytest.mark.parametrize("axis", ["region", "month"])
@pytest.mark.parametrize("role", ["analyst", "manager"])
@pytest.mark.parametrize("filters", CELL_FILTERS)
def test_cells_from_the_cells_rollup_equal_those_from_the_owner_rows(
    app_engine, axis, role, filters
):
    # Two ways to the same cells: rollup_viewer_cell_month (migration 0018, owners as a bit mask;
    # read unless owners, handling codes or municipalities are filtered) and rollup_viewer_month
    # (an owner per row, the agencies counted as rows).
    source, cols = where.cell_rollup(filters)
    assert source == where.CELL_ROLLUP
    dim = heatmaps.DIMENSION[axis]
    viewer = make_viewer("kmar", role)
    frames = []
    with scoped(viewer, engine=app_engine) as conn:
        for table, columns in ((source, cols), where.signal_rollup(filters)):
            clause, params = where.where(filters, columns)
            sql = text(heatmaps._cells_sql(table, clause, dim))
            cells = pd.DataFrame(conn.execute(sql, params).mappings().all())
            frames.append(cells.sort_values(["phenomenon_code", dim], ignore_index=True))
    assert len(frames[0]) > 0 and frames[0]["agencies"].max() > 1
    pd.testing.assert_frame_equal(*frames, check_dtype=False)


def test_indicator_series_by_owner_filter_reads_the_owner_rows(app_engine):
    # an owner filter cannot be answered by the cells rollup: the series must still follow it
    viewer = make_viewer("politie")
    everyone = run(app_engine, viewer, indicators.indicator_series, filters=YEAR_2024)
    one = run(
        app_engine,
        viewer,
        indicators.indicator_series,
        filters=Filters(start=YEAR_2024.start, end=YEAR_2024.end, agencies=("douane",)),
    )
    assert where.cell_rollup(Filters(agencies=("douane",)))[0] != where.CELL_ROLLUP
    assert 0 < one["count"].sum() < everyone["count"].sum()


def test_heatmap_finds_the_violence_spike(warehouse, app_engine):
    spike = warehouse.manifest["violence_spike"]
    viewer = make_viewer("politie")
    at = month(spike["month"])
    cells = run(app_engine, viewer, heatmaps.heatmap, filters=Filters(start=at, end=at))
    for phenomenon in spike["phenomena"]:
        column = cells[cells["phenomenon_code"] == phenomenon]
        assert column.sort_values("signals").iloc[-1]["region_code"] == spike["region_code"]
    by_month = run(
        app_engine,
        viewer,
        heatmaps.heatmap,
        filters=Filters(regions=(spike["region_code"],), phenomena=tuple(spike["phenomena"])),
        axis="month",
    )
    totals = by_month.groupby("month")["signals"].sum()
    assert totals.idxmax() == at


def test_heatmap_finds_the_corruption_cluster(warehouse, app_engine):
    cluster = warehouse.manifest["corruption_cluster"]
    viewer = make_viewer("douane")
    filters = Filters(start=month(cluster["months"][0]), end=month(cluster["months"][-1]))
    cells = run(app_engine, viewer, heatmaps.heatmap, filters=filters)
    insider = cells[cells["phenomenon_code"] == "COR_PORT_INSIDER"]
    assert insider.sort_values("signals").iloc[-1]["region_code"] == cluster["region_code"]
    change = run(app_engine, viewer, heatmaps.heatmap_change, filters=filters)
    corruption = change[change["phenomenon_code"].isin(cluster["phenomena"])]
    per_region = corruption.groupby("region_code")["signals_change"].sum()
    assert per_region.idxmax() == cluster["region_code"]


def test_change_is_now_minus_the_previous_period(warehouse, app_engine):
    viewer = make_viewer("om")
    filters = Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 1), regions=("RTM",))
    change = run(app_engine, viewer, heatmaps.heatmap_change, filters=filters)
    now = run(app_engine, viewer, heatmaps.heatmap, filters=filters)
    before = run(
        app_engine,
        viewer,
        heatmaps.heatmap,
        filters=Filters(start=dt.date(2023, 7, 1), end=dt.date(2023, 12, 1), regions=("RTM",)),
    )
    assert change["signals"].sum() == now["signals"].sum()
    assert change["signals_prev"].sum() == before["signals"].sum()
    assert (change["signals_change"] == change["signals"] - change["signals_prev"]).all()
    by_month = run(app_engine, viewer, heatmaps.heatmap_change, filters=filters, axis="month")
    assert set(by_month["month"]) <= {month(f"2024-0{m}") for m in range(1, 7)}
    assert by_month["signals_prev"].sum() == before["signals"].sum()


def test_managers_get_suppressed_cells_and_no_rows(app_engine):
    viewer = make_viewer("defensie", "manager")
    cells = run(app_engine, viewer, heatmaps.heatmap, filters=YEAR_2024, axis="month")
    small = cells[cells["suppressed"]]
    assert len(small) > 0
    assert small[["signals", "amount_eur", "entities", "agencies"]].isna().all().all()
    assert (cells.loc[~cells["suppressed"], "signals"] >= 5).all()
    rows = run(
        app_engine,
        viewer,
        heatmaps.cell_signals,
        filters=YEAR_2024,
        phenomenon="VIO_EXPLOSION",
        region="OB",
    )
    assert rows.empty


def test_drilldown_returns_the_cell_newest_first(warehouse, app_engine):
    spike = warehouse.manifest["violence_spike"]
    viewer = make_viewer("politie")
    rows = run(
        app_engine,
        viewer,
        heatmaps.cell_signals,
        filters=YEAR_2024,
        phenomenon="VIO_EXPLOSION",
        month=month(spike["month"]),
        limit=10_000,
    )
    (n,) = raw(
        warehouse,
        "select count(*) from signal where audience_mask & :mask <> 0 "
        "and phenomenon_code = 'VIO_EXPLOSION' and observed_on >= '2024-03-01' "
        "and observed_on < '2024-04-01'",
        viewer,
    )[0]
    assert len(rows) == min(n, heatmaps.DRILLDOWN_LIMIT) and len(rows) > 0
    assert (rows["phenomenon_code"] == "VIO_EXPLOSION").all()
    assert rows["observed_on"].is_monotonic_decreasing
    in_region = run(
        app_engine,
        viewer,
        heatmaps.cell_signals,
        filters=Filters(start=month(spike["month"]), end=month(spike["month"])),
        phenomenon="VIO_EXPLOSION",
        region=spike["region_code"],
        limit=5,
    )
    assert len(in_region) == 5 and (in_region["region_code"] == spike["region_code"]).all()


@pytest.mark.parametrize("agencies", [(), ("politie", "douane")])
def test_drilldown_is_exactly_the_newest_rows_of_the_cell(warehouse, app_engine, agencies):
    # Per municipality of the region, then merged (migration 0015): the same rows, in the same
    # order, as the newest of the whole cell.
    spike = warehouse.manifest["violence_spike"]
    viewer = make_viewer("politie")
    filters = Filters(start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 1), agencies=agencies)
    rows = run(
        app_engine,
        viewer,
        heatmaps.cell_signals,
        filters=filters,
        phenomenon="VIO_EXPLOSION",
        region=spike["region_code"],
        limit=40,
    )
    expected = raw(
        warehouse,
        "select s.source_ref from signal s join municipality m on m.gm_code = s.municipality_code "
        "where s.audience_mask & :mask <> 0 and s.phenomenon_code = 'VIO_EXPLOSION' "
        "and m.region_code = :region and s.observed_on >= '2023-01-01' "
        "and s.observed_on < '2025-01-01' and (cardinality(cast(:owners as text[])) = 0 "
        "or s.owner_agency = any(cast(:owners as text[]))) "
        "order by s.observed_on desc, s.id desc limit 40",
        viewer,
        region=spike["region_code"],
        owners=list(agencies),
    )
    assert len(expected) == 40
    assert len({m for m in rows["municipality"]}) > 1
    assert rows["source_ref"].tolist() == [r[0] for r in expected]


SPIKE_WINDOW = Filters(start=dt.date(2023, 4, 1), end=dt.date(2024, 3, 1))


def test_violence_spike_is_the_top_anomaly(warehouse, app_engine):
    spike = warehouse.manifest["violence_spike"]
    viewer = make_viewer("politie")
    found = run(app_engine, viewer, indicators.current_anomalies, filters=SPIKE_WINDOW)
    violence = found[found["indicator"] == "violence"]
    assert violence.iloc[0]["region_code"] == spike["region_code"]
    assert violence.iloc[0]["month"] == month(spike["month"])
    assert found.iloc[0]["region_code"] == spike["region_code"]


def test_corruption_cluster_months_are_flagged(warehouse, app_engine):
    cluster = warehouse.manifest["corruption_cluster"]
    viewer = make_viewer("douane")
    series = run(app_engine, viewer, indicators.indicator_series, filters=Filters())
    region = series[
        (series["indicator"] == "corruption") & (series["region_code"] == cluster["region_code"])
    ]
    flagged = {m.strftime("%Y-%m") for m in region.loc[region["flagged"], "month"]}
    assert set(cluster["months"]) <= flagged


def test_indicator_counts_equal_raw_counts(warehouse, app_engine):
    viewer = make_viewer("fiod")
    series = run(app_engine, viewer, indicators.indicator_series, filters=SPIKE_WINDOW)
    shown = series[series["in_window"] & (series["indicator"] == "violence")]
    (n,) = raw(
        warehouse,
        "select count(*) from signal where audience_mask & :mask <> 0 "
        "and phenomenon_code like 'VIO\\_%' and observed_on >= '2023-04-01' "
        "and observed_on < '2024-04-01'",
        viewer,
    )[0]
    assert shown["count"].sum() == n
    kpis = run(app_engine, viewer, indicators.indicator_kpis, filters=SPIKE_WINDOW)
    row = kpis.set_index("indicator").loc["violence"]
    assert row["current"] == shown.loc[shown["month"] == month("2024-03"), "count"].sum()


def test_a_frame_copied_as_csv_equals_the_fetched_one(app_engine):
    # copied_frame (COPY … format csv, parsed by pandas) gives the values `frame` gives: floats
    # to the last bit, NULL numbers as NaN, text read as text (NULL and empty as ''), bound
    # parameters as in any query, row-level security as in any read.
    from warehouse.queries.frames import copied_frame, frame

    sql = """
        select g as id, g * 0.1::float8 / 3 as ratio, nullif(g % 3, 0) as maybe,
               case when g % 4 = 0 then null when g % 4 = 1 then '' else 'x,"y"' || g end
                   as label,
               (select count(*) from rollup_viewer_month) as visible
        from generate_series(1, :n) as g
        where g <> :skip
    """
    viewer = make_viewer("douane")
    columns = ["id", "ratio", "maybe", "label", "visible"]
    with scoped(viewer, engine=app_engine) as conn:
        fetched = frame(conn.execute(text(sql), {"n": 500, "skip": 7}), columns)
        copied = copied_frame(
            conn, sql, {"n": 500, "skip": 7, "unused": 1}, columns, text_columns=["label"]
        )
        mine = conn.scalar(text("select count(*) from rollup_viewer_month"))
    assert len(copied) == 499 and 0 < copied["visible"][0] == mine
    assert copied["ratio"].tolist() == fetched["ratio"].tolist()
    assert copied["maybe"].isna().sum() == fetched["maybe"].isna().sum() > 0
    assert copied["label"].tolist() == fetched["label"].fillna("").tolist()
    pd.testing.assert_frame_equal(
        copied.drop(columns="label"), fetched.drop(columns="label"), check_dtype=False
    )
