"""Map queries: totals equal the raw counts for the same viewer, the planted trade flow is the
heaviest arc, managers get suppressed cells."""

from __future__ import annotations

import datetime as dt

import h3
import pandas as pd
import pytest
from sqlalchemy import text

from tests.conftest import make_viewer
from warehouse.filters import Filters
from warehouse.queries import geo, where
from warehouse.queries.where import Columns
from warehouse.scoped import scoped

FILTERS = (
    Filters(),
    Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 1), phenomena=("DRG_COCAINE_IMPORT",)),
    Filters(regions=("RTM", "ZWB"), handling=("H0", "H1")),
    # answered from rollup_h3_viewer_month (migration 0012); the two above from rollup_h3_month
    Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 1), regions=("RTM", "ZWB")),
)


def raw(conn, where: str, filters: Filters) -> int:
    sql = f"""
        select count(*) from signal s left join municipality m on m.gm_code = s.municipality_code
        left join logistics_node n on n.code = s.node_code
        left join municipality nm on nm.gm_code = n.municipality_code
        where {where}
          and (cast(:start as date) is null or s.observed_on >= :start)
          and (cast(:end as date) is null or s.observed_on < cast(:end as date) + interval '1 month')
          and (cardinality(cast(:ph as text[])) = 0 or s.phenomenon_code = any(:ph))
          and (cardinality(cast(:hc as text[])) = 0 or s.handling_code = any(:hc))
          and (cardinality(cast(:rg as text[])) = 0 or {{region}} = any(:rg))
    """
    return conn.scalar(
        text(sql.replace("{region}", "nm.region_code" if "node" in where else "m.region_code")),
        {
            "start": filters.start,
            "end": filters.end,
            "ph": list(filters.phenomena),
            "hc": list(filters.handling),
            "rg": list(filters.regions),
        },
    )


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("agency", ["politie", "fiod"])
def test_totals_equal_raw_counts_for_the_same_viewer(app_engine, agency, filters):
    viewer = make_viewer(agency)
    with scoped(viewer, engine=app_engine) as conn:
        hex7 = geo.hexagons(conn=conn, viewer=viewer, filters=filters)
        hex5 = geo.hexagons(conn=conn, viewer=viewer, filters=filters, resolution=5)
        ports = geo.nodes(conn=conn, viewer=viewer, filters=filters)
        arcs = geo.flows(conn=conn, viewer=viewer, filters=filters)
        expect_hex = raw(conn, "s.h3_r7 is not null", filters)
        expect_nodes = raw(
            conn,
            "s.node_code is not null and n.country = 'NL' "
            "and n.node_type in ('seaport', 'airport') /* node */",
            filters,
        )
        expect_flows = raw(
            conn,
            "s.origin_node_code is not null and s.phenomenon_code in (select code from phenomenon "
            "where category in ('drugs', 'trafficking', 'money_laundering')) /* node */",
            filters,
        )
    assert hex7["signals"].sum() == hex5["signals"].sum() == expect_hex > 0
    assert hex7["cell"].is_unique and all(h3.get_resolution(c) == 7 for c in hex7["cell"])
    assert all(h3.get_resolution(c) == 5 for c in hex5["cell"])
    assert ports["signals"].sum() == expect_nodes > 0
    assert arcs["signals"].sum() == expect_flows > 0


def test_planted_trade_flow_is_the_heaviest_arc(warehouse, app_engine):
    flow = warehouse.manifest["tbml_flow"]
    viewer = make_viewer("douane")
    with scoped(viewer, engine=app_engine) as conn:
        money = geo.flows(conn=conn, viewer=viewer, filters=Filters(), kind="money")
        both = geo.flows(conn=conn, viewer=viewer, filters=Filters(phenomena=(flow["phenomenon"],)))
    top = money.iloc[0]
    assert (top["origin_code"], top["node_code"]) == (flow["origin_node_code"], flow["node_code"])
    assert top["signals"] == money["signals"].max()
    assert top["amount_eur"] >= flow["amount_eur"]
    assert (both.iloc[0]["origin_code"], both.iloc[0]["node_code"]) == (
        flow["origin_node_code"],
        flow["node_code"],
    )


def test_hexagon_knows_its_municipality_and_nodes_are_dutch(app_engine):
    viewer = make_viewer("politie")
    with scoped(viewer, engine=app_engine) as conn:
        cells = geo.hexagons(conn=conn, viewer=viewer, filters=Filters())
        ports = geo.nodes(conn=conn, viewer=viewer, filters=Filters())
    assert cells["municipality_code"].notna().mean() > 0.9
    assert set(ports["node_type"]) == {"seaport", "airport"}
    assert ports["municipality_code"].notna().all()
    assert "NLMOE" in set(ports["node_code"]) and "COCTG" not in set(ports["node_code"])


def test_managers_get_suppressed_map_cells(app_engine):
    viewer = make_viewer("defensie", "manager")
    with scoped(viewer, engine=app_engine) as conn:
        cells = geo.hexagons(conn=conn, viewer=viewer, filters=Filters())
        arcs = geo.flows(conn=conn, viewer=viewer, filters=Filters())
    assert cells["suppressed"].any() and cells.loc[cells["suppressed"], "signals"].isna().all()
    assert (cells.loc[~cells["suppressed"], "signals"] >= 5).all()
    assert arcs.loc[arcs["suppressed"], "amount_eur"].isna().all()


def test_unknown_resolution_or_kind_is_refused(app_engine):
    viewer = make_viewer("politie")
    with scoped(viewer, engine=app_engine) as conn:
        with pytest.raises(ValueError):
            geo.hexagons(conn=conn, viewer=viewer, filters=Filters(), resolution=9)
        with pytest.raises(ValueError):
            geo.flows(conn=conn, viewer=viewer, filters=Filters(), kind="x' or 1=1")


@pytest.mark.parametrize("role", ["analyst", "steward", "manager"])
@pytest.mark.parametrize("agency", ["politie", "fiod", "kmar", "defensie"])
def test_viewer_rollup_gives_the_hexagons_of_the_audience_rollup(
    app_engine, monkeypatch, agency, role
):
    # The same frames, suppression included, from the per-agency rollup (migration 0012) as
    # from the audience rollup it replaced.
    viewer = make_viewer(agency, role)
    cases = [
        (f, r)
        for f in (
            Filters(),
            Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 1)),
            Filters(regions=("RTM", "ZWB", "ON")),
            Filters(start=dt.date(2024, 7, 1), end=dt.date(2024, 9, 1), municipalities=("GM0599",)),
        )
        for r in geo.RESOLUTIONS
    ]

    def run() -> list:
        with scoped(viewer, engine=app_engine) as conn:
            return [
                geo.hexagons(conn=conn, viewer=viewer, filters=f, resolution=r) for f, r in cases
            ]

    new = run()
    monkeypatch.setattr(geo, "h3_rollup", lambda f: ("rollup_h3_month", Columns()))
    old = run()
    assert sum(len(df) for df in new) > 0
    for a, b in zip(new, old, strict=True):
        pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("role", ["analyst", "manager"])
@pytest.mark.parametrize("agency", ["politie", "douane", "kmar"])
def test_viewer_rollup_gives_the_ports_and_flows_of_the_audience_rollup(
    app_engine, monkeypatch, agency, role
):
    # The same frames, suppression and order included, from the per-agency node rollup
    # (migration 0019) as from rollup_node_month.
    viewer = make_viewer(agency, role)
    cases = (
        Filters(),
        Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 1)),
        Filters(regions=("RTM", "ZWB"), phenomena=("DRG_COCAINE_IMPORT", "ML_TBML")),
        Filters(start=dt.date(2023, 4, 1), end=dt.date(2023, 9, 1), municipalities=("GM0599",)),
    )

    def run() -> list:
        with scoped(viewer, engine=app_engine) as conn:
            return [
                q(conn=conn, viewer=viewer, filters=f)
                for f in cases
                for q in (geo.nodes, geo.flows)
            ]

    assert all(where.node_rollup(f)[0] == "rollup_node_viewer_month" for f in cases)
    new = run()
    monkeypatch.setattr(geo, "node_rollup", lambda f: ("rollup_node_month", where.NODE_COLS))
    old = run()
    assert sum(int(df["signals"].fillna(0).sum()) for df in new) > 0
    for a, b in zip(new, old, strict=True):
        pd.testing.assert_frame_equal(a, b)
