"""Print query timings of the facilitator, entity and map views at demo size (no asserts).

Usage: .venv/bin/python scripts/bench_facilitators.py [--agency politie] [--repeat 3]
Runs against the warehouse the settings point at (embedded or NSOC_DATABASE_URL); load the demo
set first (`nsoc seed --size demo`). Each query runs as the app does: scoped, as nsoc_app."""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from warehouse import db  # noqa: E402
from warehouse.filters import Filters  # noqa: E402
from warehouse.queries import entity, facilitators, geo  # noqa: E402
from warehouse.scoped import scoped  # noqa: E402
from warehouse.settings import agencies  # noqa: E402
from warehouse.viewer import Role, Viewer  # noqa: E402


def viewer(agency: str, role: str) -> Viewer:
    bit = {a.code: a.bit for a in agencies()}[agency]
    return Viewer(f"bench-{role}", agency, bit, Role(role), dt.datetime.now(dt.UTC))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agency", default="politie")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with db.get_engine().connect() as conn:
        signals = conn.scalar(text("select count(*) from signal"))
        last = conn.scalar(text("select max(month) from rollup_signal_month"))
        top = conn.scalar(
            text(
                "select entity_id from rollup_facilitator_month group by 1 "
                "order by sum(signal_count) desc limit 1"
            )
        )
    if not last:
        print("The warehouse holds no signals: run `nsoc seed --size demo` first.")
        return
    start = dt.date(last.year - 1, last.month, 1)
    year = Filters(start=start, end=last)
    analyst, manager = viewer(args.agency, "analyst"), viewer(args.agency, "manager")
    cases = [
        (
            "facilitator_ranking (12 months)",
            analyst,
            facilitators.facilitator_ranking,
            {"filters": year},
        ),
        (
            "facilitator_ranking (everything)",
            analyst,
            facilitators.facilitator_ranking,
            {"filters": Filters()},
        ),
        ("category_summary (manager)", manager, facilitators.category_summary, {"filters": year}),
        ("hexagons r7", analyst, geo.hexagons, {"filters": year}),
        ("hexagons r5", analyst, geo.hexagons, {"filters": year, "resolution": 5}),
        ("hexagons r7 (manager)", manager, geo.hexagons, {"filters": year}),
        ("nodes", analyst, geo.nodes, {"filters": year}),
        ("flows", analyst, geo.flows, {"filters": year}),
        ("entity_profile", analyst, entity.entity_profile, {"entity_id": top}),
        ("entity_timeline", analyst, entity.entity_timeline, {"entity_id": top}),
        ("linked_entities", analyst, entity.linked_entities, {"entity_id": top}),
        ("entity_interventions", analyst, entity.entity_interventions, {"entity_id": top}),
    ]
    print(f"{signals:,} signals; viewer {args.agency}; best and median of {args.repeat} runs")
    for name, who, func, kwargs in cases:
        times = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            with scoped(who) as conn:
                result = func(conn=conn, viewer=who, **kwargs)
            times.append(time.perf_counter() - began)
        rows = len(result) if hasattr(result, "__len__") else 1
        print(
            f"  {name:<36} {min(times) * 1000:8.1f} ms  {statistics.median(times) * 1000:8.1f} ms"
            f"  ({rows} rows)"
        )


if __name__ == "__main__":
    main()
