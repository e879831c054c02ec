"""The queries behind the views, timed warm and cold for an analyst and a manager, each against
the same aggregate computed naively from the raw signals (warehouse/bench_sql.py).

"Cold" here means: the first run of a query on a brand-new database connection on which
`discard all` has run (no cached plans, no prepared statements, no session state). The
operating system's page cache and PostgreSQL's shared buffers cannot be dropped on a shared
machine without root, so cold measures connection and planning cost, not disk reads."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.pool import NullPool

from dashboard.bench.common import Options, Report, make_viewer, summary
from warehouse import bench_sql
from warehouse.filters import Filters
from warehouse.periods import add_months
from warehouse.scoped import app_engine, app_url, scoped
from warehouse.viewer import Role, Viewer

# RIEC regions of the seaports, for the facilitator ranking after a region filter
PORT_REGIONS = ("RTM", "AMS", "ZWB")


@dataclass(frozen=True)
class Case:
    view: str
    name: str
    func: Callable[..., Any]
    kwargs: dict[str, Any]
    naive: str | None  # the same aggregate over raw signals (maintenance role, explicit mask)


def cases(last: dt.date) -> list[tuple[Viewer, Case]]:
    from warehouse.queries import coverage, facilitators, geo, heatmaps, indicators, reference

    year = Filters(start=add_months(last, -11), end=last)
    # the same length a month earlier: the seed ends with a year, whose whole quarters the
    # ranking reads from a rollup per quarter; this one has three quarters and three months
    shifted = Filters(start=add_months(last, -12), end=add_months(last, -1))
    # the ranking after a region filter (the port regions): the regional rollup's path
    ports = replace(year, regions=PORT_REGIONS)
    analyst, manager = make_viewer("politie", Role.analyst), make_viewer("defensie", Role.manager)
    common = [
        Case("all", "reference.filter_options", reference.filter_options, {}, "options"),
        Case("all", "coverage.coverage", coverage.coverage, {"filters": year}, "coverage"),
        Case(
            "heatmaps",
            "heatmaps.heatmap region",
            heatmaps.heatmap,
            {"filters": year, "axis": "region", "entities": False},
            "heatmap_region",
        ),
        Case(
            "heatmaps",
            "heatmaps.heatmap month",
            heatmaps.heatmap,
            {"filters": year, "axis": "month", "entities": False},
            "heatmap_month",
        ),
        Case(
            "heatmaps",
            "heatmaps.heatmap region +entities",
            heatmaps.heatmap,
            {"filters": year, "axis": "region"},
            "heatmap_entities",
        ),
        Case(
            "heatmaps",
            "heatmaps.heatmap month +entities",
            heatmaps.heatmap,
            {"filters": year, "axis": "month"},
            "heatmap_entities_month",
        ),
        Case(
            "heatmaps",
            "heatmaps.heatmap_change region",
            heatmaps.heatmap_change,
            {"filters": year, "axis": "region", "entities": False},
            "heatmap_region",
        ),
        Case(
            "indicators",
            "indicators.indicator_series",
            indicators.indicator_series,
            {"filters": year},
            "series",
        ),
        Case(
            "indicators",
            "indicators.current_anomalies",
            indicators.current_anomalies,
            {"filters": year},
            "series",
        ),
        Case(
            "briefing",
            "facilitators.facilitator_ranking (the period, scored)",
            facilitators.facilitator_ranking,
            {"filters": year, "with_change": False},
            "facilitators",
        ),
        # the facilitators and entity pages' two queries, side by side on two connections (the
        # briefing above reads the period alone and scores it: it shows no rank change)
        Case(
            "facilitators",
            "facilitators.facilitator_components",
            facilitators.facilitator_components,
            {"filters": year},
            "facilitators",
        ),
        Case(
            "facilitators",
            "facilitators.previous_components",
            facilitators.previous_components,
            {"filters": year},
            "facilitators",
        ),
        Case(
            "facilitators",
            "facilitators.facilitator_components (year not on quarters)",
            facilitators.facilitator_components,
            {"filters": shifted},
            "facilitators",
        ),
        Case(
            "facilitators",
            "facilitators.facilitator_components (three regions)",
            facilitators.facilitator_components,
            {"filters": ports},
            "facilitators_regions",
        ),
        Case(
            "facilitators",
            "facilitators.previous_components (three regions)",
            facilitators.previous_components,
            {"filters": ports},
            "facilitators_regions",
        ),
        Case(
            "facilitators",
            "facilitators.category_summary",
            facilitators.category_summary,
            {"filters": year},
            "facilitators",
        ),
        Case("map", "geo.hexagons r7", geo.hexagons, {"filters": year}, "hexagons"),
        Case("map", "geo.nodes", geo.nodes, {"filters": year}, "nodes"),
        Case("map", "geo.flows", geo.flows, {"filters": year}, "flows"),
    ]
    out = [(analyst, c) for c in common]
    out += [(manager, c) for c in common]
    out.append(
        (
            analyst,
            Case(
                "heatmaps",
                "heatmaps.cell_signals (drill-down)",
                heatmaps.cell_signals,
                {"filters": year, "phenomenon": "VIO_EXPLOSION", "region": "RTM"},
                None,
            ),
        )
    )
    return out


def _cold_engine(url: str) -> Engine:
    engine = create_engine(url, poolclass=NullPool, connect_args={"prepare_threshold": None})

    @event.listens_for(engine, "connect")
    def _discard(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.autocommit = True
        dbapi_conn.execute("discard all")
        dbapi_conn.autocommit = False

    return engine


def time_query(
    engine: Engine, viewer: Viewer, case: Case, runs: int, warmup: int = 2
) -> list[float]:
    out = []
    for _ in range(runs + warmup):
        with scoped(viewer, engine=engine) as conn:
            began = time.perf_counter()
            case.func(conn=conn, viewer=viewer, **case.kwargs)
            out.append((time.perf_counter() - began) * 1000)
    return out[warmup:]


def time_naive(conn: Connection, sql: str, params: dict[str, Any], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        conn.execute(text(sql), params).fetchall()
        out.append((time.perf_counter() - began) * 1000)
    return out


def bench_queries(url: str, options: Options, report: Report, say: Callable[[str], None]) -> None:
    from dashboard import heap

    # the app freezes its long-lived objects (dashboard/heap.py): so does this process, or a full
    # garbage collection over its own startup objects (~50 ms) lands on one query run in five
    heap.settle()
    app = app_url(url)
    warm_engine = app_engine(app)  # the app's own engine settings
    cold_engine = _cold_engine(app)
    owner = create_engine(url)
    try:
        with owner.connect() as conn:
            last = conn.scalar(text("select max(month) from rollup_signal_month"))
        if last is None:
            raise ValueError("the benchmark warehouse holds no rollups: run `nsoc rollups refresh`")
        naive_cache: dict[tuple[str, int], dict[str, float]] = {}
        for viewer, case in cases(last):
            if case.func.__name__ == "cell_signals" and not viewer.sees_rows:
                continue
            say(f"  {case.name} ({viewer.agency} {viewer.role})")
            warm = time_query(warm_engine, viewer, case, options.runs)
            cold = time_query(cold_engine, viewer, case, options.cold_runs, warmup=0)
            row: dict[str, Any] = {
                "view": case.view,
                "query": case.name,
                "viewer": f"{viewer.agency} {viewer.role}",
                "warm": summary(warm),
                "cold": summary(cold),
                "naive": None,
                "ratio": None,
            }
            if options.naive and case.naive:
                key = (case.naive, viewer.agency_bit)
                if key not in naive_cache:
                    f: Filters = case.kwargs.get("filters") or Filters()
                    params = {
                        "start": f.start or dt.date(1900, 1, 1),
                        "stop": add_months(f.end, 1) if f.end else dt.date(9999, 1, 1),
                        "mask": 1 << viewer.agency_bit,
                        "regions": list(f.regions),
                    }
                    with owner.connect() as conn:
                        naive_cache[key] = summary(
                            time_naive(
                                conn, bench_sql.NAIVE[case.naive], params, options.naive_runs
                            )
                        )
                row["naive"] = naive_cache[key]
                row["ratio"] = round(naive_cache[key]["median_ms"] / row["warm"]["median_ms"], 1)
            report.queries.append(row)
    finally:
        cold_engine.dispose()
        owner.dispose()
