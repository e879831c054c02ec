#!/usr/bin/env python
"""Time every query behind the heatmap and indicator views on a demo-size warehouse.

Uses NSOC_DATABASE_URL (or the embedded server), seeds the demo set when the warehouse is empty
(`nsoc seed --size demo --if-empty`, about 40 s) and reuses it otherwise, then runs each query
for an analyst and a manager with the sidebar's default filters (the last 12 months) and prints
the median and 95th percentile over repeated runs. Figures only: no assertions.

    .venv/bin/python scripts/bench_views.py [--runs 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from warehouse import db  # noqa: E402
from warehouse.filters import Filters  # noqa: E402
from warehouse.periods import add_months  # noqa: E402
from warehouse.queries import coverage, heatmaps, indicators, reference  # noqa: E402
from warehouse.scoped import app_engine, scoped  # noqa: E402
from warehouse.settings import agencies  # noqa: E402
from warehouse.viewer import Role, Viewer  # noqa: E402


def viewer(agency: str, role: Role) -> Viewer:
    bit = {a.code: a.bit for a in agencies()}[agency]
    return Viewer(f"bench-{role}", agency, bit, role, dt.datetime.now(dt.UTC))


def ensure_demo() -> int:
    nsoc = str(Path(sys.executable).with_name("nsoc"))
    subprocess.run([nsoc, "seed", "--size", "demo", "--if-empty"], check=True)
    with db.connect() as conn:
        return int(conn.scalar(text("select count(*) from signal")) or 0)


def timed(v: Viewer, func: Callable[..., Any], runs: int, **kwargs: Any) -> list[float]:
    engine = app_engine()
    out = []
    for _ in range(runs + 2):  # two warm-up runs
        with scoped(v, engine=engine) as conn:
            start = time.perf_counter()
            func(conn=conn, viewer=v, **kwargs)
            out.append((time.perf_counter() - start) * 1000)
    return out[2:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    signals = ensure_demo()
    with db.connect() as conn:
        last = conn.scalar(text("select max(month) from rollup_signal_month"))
    default = Filters(start=add_months(last, -11), end=last)
    cell = {"phenomenon": "VIO_EXPLOSION", "region": "RTM"}
    queries: list[tuple[str, Callable[..., Any], dict[str, Any]]] = [
        ("reference.filter_options", reference.filter_options, {}),
        ("coverage.coverage", coverage.coverage, {"filters": default}),
        (
            "heatmaps.heatmap region",
            heatmaps.heatmap,
            {"filters": default, "axis": "region", "entities": False},
        ),
        (
            "heatmaps.heatmap month",
            heatmaps.heatmap,
            {"filters": default, "axis": "month", "entities": False},
        ),
        (
            "heatmaps.heatmap region +entities",
            heatmaps.heatmap,
            {"filters": default, "axis": "region"},
        ),
        (
            "heatmaps.heatmap_change region",
            heatmaps.heatmap_change,
            {"filters": default, "axis": "region", "entities": False},
        ),
        (
            "heatmaps.heatmap_change month",
            heatmaps.heatmap_change,
            {"filters": default, "axis": "month", "entities": False},
        ),
        ("heatmaps.cell_signals", heatmaps.cell_signals, {"filters": default, **cell}),
        ("indicators.indicator_series", indicators.indicator_series, {"filters": default}),
        ("indicators.current_anomalies", indicators.current_anomalies, {"filters": default}),
    ]
    print(f"{signals:,} signals; filters {default.to_query()}; {args.runs} runs each\n")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print(f"{'query':34} {'viewer':18} {'median ms':>10} {'p95 ms':>8}")
    for v in (viewer("politie", Role.analyst), viewer("defensie", Role.manager)):
        for name, func, kwargs in queries:
            if name == "heatmaps.cell_signals" and not v.sees_rows:
                continue
            times = sorted(timed(v, func, args.runs, **kwargs))
            p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
            label = f"{v.agency} {v.role}"
            print(f"{name:34} {label:18} {statistics.median(times):10.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
