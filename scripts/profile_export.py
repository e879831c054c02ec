"""Where the time of a signal export goes, stage by stage, in CPU seconds (which a busy shared
machine inflates far less than wall seconds) and wall seconds:

1. the query alone in PostgreSQL (EXPLAIN ANALYZE, no output sent),
2. + COPY's CSV output read by psycopg and joined into chunks (export_rows.stream_signal_csv),
3. + the export around it: header, SHA-256, audit entry (warehouse.export.ExportRun).

The download route and the client on top of that are what `nsoc bench --skip-queries
--skip-naive --skip-browser --skip-concurrent --skip-briefing --skip-refresh` measures.

    .venv/bin/python scripts/profile_export.py [--rows 1000000] [--dialect excel-nl] [--runs 3]

Uses (and makes, once) the benchmark's generated warehouse nsoc_bench_export_<rows> on the
configured server; PostgreSQL must run on this machine (its backend's CPU is read from /proc)."""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--dialect", default="excel-nl")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import psutil
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from dashboard.bench.common import BENCH_DATABASE, make_viewer
    from dashboard.bench.export import make_export_warehouse
    from warehouse import db, export
    from warehouse.csvfile import Dialect
    from warehouse.export import ExportRequest, ExportRun
    from warehouse.filters import Filters
    from warehouse.queries import export_rows
    from warehouse.scoped import app_url, scoped
    from warehouse.viewer import Role

    url = make_url(db.admin_url()).set(database=f"{BENCH_DATABASE}_export_{args.rows}")
    rendered = url.render_as_string(hide_password=False)
    make_export_warehouse(rendered, args.rows)
    engine = create_engine(app_url(rendered), connect_args={"prepare_threshold": None})
    audit_engine = create_engine(app_url(rendered))
    viewer, dialect = make_viewer("politie", Role.analyst), Dialect(args.dialect)
    request = ExportRequest(
        "signals", Filters(), export_rows.DEFAULT_SIGNAL_COLUMNS, dialect, "profile"
    )
    sql, params = export_rows._signal_copy_sql(viewer, Filters(), request.columns, dialect)
    query = sql.split("copy (", 1)[1].rsplit(") to stdout", 1)[0]

    def stage_query(conn) -> None:
        conn.execute(
            text("explain (analyze, timing off) " + query), {**params, "row_limit": args.rows}
        )

    def stage_copy(conn) -> None:
        for _ in export_rows.stream_signal_csv(
            conn=conn,
            viewer=viewer,
            filters=Filters(),
            columns=request.columns,
            dialect=dialect,
            limit=args.rows,
            chunk_bytes=export.CHUNK_BYTES,
            in_id_order=True,
        ):
            pass

    def measure(label: str, body) -> None:
        for _ in range(args.runs):
            with scoped(viewer, engine=engine) as conn:
                backend = psutil.Process(conn.execute(text("select pg_backend_pid()")).scalar_one())
                conn.execute(
                    text("select set_config('datestyle', :s, true)"),
                    {"s": export_rows._COPY_DATESTYLE[dialect]},
                )
                conn.execute(text("select set_config('enable_sort', 'off', true)"))
                db0, py0, wall0 = sum(backend.cpu_times()[:2]), cpu_self(), time.perf_counter()
                body(conn)
                db1, py1, wall1 = sum(backend.cpu_times()[:2]), cpu_self(), time.perf_counter()
            print(
                f"{label:38} wall {wall1 - wall0:5.2f} s   database CPU {db1 - db0:5.2f} s"
                f"   Python CPU {py1 - py0:5.2f} s",
                flush=True,
            )

    print(f"{args.rows:,} rows, {dialect}, columns {', '.join(request.columns)}")
    measure("1. query in PostgreSQL", stage_query)
    measure("2. + COPY read into CSV chunks", stage_copy)
    for _ in range(args.runs):
        run = ExportRun(
            ExportRequest(**{**request.__dict__, "export_id": export.new_export_id()}),
            viewer,
            engine=engine,
            audit_engine=audit_engine,
            via="cli",
        )
        py0, wall0 = cpu_self(), time.perf_counter()
        size = sum(len(chunk) for chunk in run)
        print(
            f"{'3. + header, SHA-256, audit':38} wall {time.perf_counter() - wall0:5.2f} s"
            f"   (database not split out)  Python CPU {cpu_self() - py0:5.2f} s"
            f"   {size:,} bytes",
            flush=True,
        )
    engine.dispose()
    audit_engine.dispose()


if __name__ == "__main__":
    main()
