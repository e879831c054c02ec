"""Two single jobs of the benchmark: a manager's briefing, and a delivery followed by the
incremental rollup refresh the delivery path runs (rolled back)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from sqlalchemy import create_engine, text

from dashboard.bench.common import Options, Report, make_viewer
from warehouse import bench_sql, entity_counts, rollups
from warehouse.periods import add_months
from warehouse.scoped import app_url
from warehouse.viewer import Role


def bench_briefing(url: str, report: Report) -> None:
    from dashboard.briefing import make_briefing
    from warehouse.period import Period

    engine = create_engine(app_url(url))
    owner = create_engine(url)
    try:
        with owner.connect() as conn:
            last = conn.scalar(text("select max(month) from rollup_signal_month"))
        quarter = f"{last.year}-Q{(last.month - 1) // 3 + 1}"
        times = []
        for _ in range(2):
            began = time.perf_counter()
            result = make_briefing(
                make_viewer("defensie", Role.manager),
                Period.parse(quarter),
                via="cli",
                engine=engine,
            )
            times.append(time.perf_counter() - began)
        report.briefing = {
            "period": quarter,
            "first_s": round(times[0], 2),
            "second_s": round(times[1], 2),
            "pdf_bytes": len(result.pdf),
        }
    finally:
        engine.dispose()
        owner.dispose()


def bench_refresh(url: str, options: Options, report: Report) -> None:
    """A delivery of `refresh_signals` new signals in the last three months by the agency that
    owns the most of them (with their entity links), then the incremental refresh the delivery
    path runs (rollups.refresh_months for that agency, the new signals merged); then the same
    delivery with one correction in the last month, which rebuilds that month and phenomenon for
    the agency; then with corrections of a tenth as many of its signals across the three months
    and most phenomena (a re-delivery), which rebuilds the agency's months. The corrected signals
    are kept as they were first, as the delivery path does: the rollups that only count and sum,
    or keep a maximum besides, take their old rows out instead of rebuilding (rollups.SIGNED).
    After each refresh,
    the recount of the distinct-entity counts that follows a delivery's commit, timed apart.
    Last, the first delivery of new months: the copies moved three months on, past the last.
    Each in a transaction rolled back; the id sequence is put back after (bench a warehouse
    nobody loads into meanwhile)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            sequence = bench_sql.signal_sequence(conn)
            conn.rollback()
        figures: dict[str, Any] = {}
        for corrected in (None, "one", "many", "new months"):
            with engine.connect() as conn, conn.begin() as tx:
                last = conn.scalar(text("select max(observed_on) from signal"))
                first = add_months(dt.date(last.year, last.month, 1), -2)
                months = [add_months(first, i) for i in range(3)]
                agency = bench_sql.busiest_agency(conn, first=first)
                began = time.perf_counter()
                added = bench_sql.copy_recent_signals(
                    conn, agency=agency, first=first, n=options.refresh_signals
                )
                inserted = time.perf_counter() - began
                rebuilt: list[dt.date] = []
                phenomena: list[str] = []
                ids: list[int] = []
                if corrected == "new months":
                    bench_sql.move_to_next_months(conn, added, 3)
                if corrected == "one":
                    ids = [bench_sql.first_signal(conn, agency=agency, month=months[-1])]
                elif corrected == "many":
                    ids = bench_sql.spread_signals(
                        conn, agency=agency, first=first, n=max(1, options.refresh_signals // 10)
                    )
                if ids:
                    # kept as they were, then corrected: as the delivery path does
                    rebuilt, phenomena = bench_sql.correct_signals(conn, ids)
                if corrected == "many":
                    figures["corrections"] = len(ids)
                    figures["corrected_phenomena"] = len(phenomena)
                began = time.perf_counter()
                results = rollups.refresh_months(
                    conn,
                    rebuilt,
                    owners=[agency],
                    added=added,
                    phenomena=phenomena,
                    corrected=ids or None,
                )
                refreshed = time.perf_counter() - began
                # the step after the delivery's commit: the distinct-entity counts recounted
                # from the first month it touched (here before the rollback)
                recount = entity_counts.recount(conn)
                recounted = recount.seconds if recount else 0.0
                tx.rollback()
            with engine.begin() as conn:
                bench_sql.restore_sequence(conn, sequence)
            per_rollup = {r.rollup: round(r.seconds, 2) for r in results}
            if corrected == "one":
                figures["corrected_refresh_s"] = round(refreshed, 2)
                figures["corrected_recount_s"] = round(recounted, 2)
                figures["corrected_per_rollup_s"] = per_rollup
                continue
            if corrected == "new months":
                figures["new_months_refresh_s"] = round(refreshed, 2)
                figures["new_months_recount_s"] = round(recounted, 2)
                continue
            if corrected == "many":
                figures["many_corrected_refresh_s"] = round(refreshed, 2)
                figures["many_corrected_recount_s"] = round(recounted, 2)
                figures["many_corrected_per_rollup_s"] = per_rollup
                continue
            figures.update(
                signals=len(added),
                agency=agency,
                months=[str(m) for m in months],
                insert_s=round(inserted, 2),
                refresh_s=round(refreshed, 2),
                recount_s=round(recounted, 2),
                recount_from=str(recount.stale_from) if recount else None,
                rollups=len(results),
                per_rollup_s=per_rollup,
            )
        report.refresh = figures
    finally:
        engine.dispose()
