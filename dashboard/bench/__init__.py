"""The benchmark behind `nsoc bench` and `make bench`: seed (or reuse) a dedicated warehouse,
time every query behind every view (warm and cold) against the same aggregate computed naively
from the raw signals, and optionally the browser, a 1M-row CSV export, a briefing, an
incremental rollup refresh and 20 concurrent sessions. Figures only, never assertions.

One module per part: `common` (options, report, summaries, memory), `data` (the warehouse),
`queries`, `browser` (pages and concurrent sessions), `export`, `jobs` (briefing, refresh),
`report` (tables and JSON); `run` below runs the parts asked for."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from dashboard.bench.common import Options, Report, part
from dashboard.bench.data import bench_url, ensure_data
from dashboard.bench.export import bench_export
from dashboard.bench.jobs import bench_briefing, bench_refresh
from dashboard.bench.queries import bench_queries
from dashboard.bench.report import render, write_json

__all__ = ["Options", "Report", "render", "run", "write_json"]


def run(options: Options, say: Callable[[str], None] = print) -> Report:
    report = Report()
    url = bench_url(options)
    signals = ensure_data(url, options, say)
    report.meta = {
        "size": options.size,
        "signals": signals,
        "database": make_url(url).database,
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "runs": options.runs,
        "cold": "first run on a new connection after `discard all` (OS cache not dropped)",
    }
    with create_engine(url).connect() as conn:
        report.meta["server"] = conn.scalar(text("show server_version"))
    if options.queries:
        say("Queries behind the views…")
        with part(report, "queries", say):
            bench_queries(url, options, report, say)
    if options.briefing:
        say("Briefing…")
        with part(report, "briefing", say):
            bench_briefing(url, report)
    if options.browser or options.concurrent or options.protocol:
        from dashboard.bench import browser

        say("Browser…")
        with part(report, "browser", say):
            browser.run(url, options, report, say)
    if options.export:
        say(f"Export of {options.export_rows:,} rows…")
        with part(report, "export", say):
            bench_export(url, options, report)
    if options.refresh:
        # last: its deliveries are rolled back, which leaves their rows dead in the rollups the
        # other parts read (docs/performance.md, "Twenty-first session")
        say(f"Incremental rollup refresh after {options.refresh_signals:,} signals…")
        with part(report, "refresh", say):
            bench_refresh(url, options, report)
    report.meta["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    return report
