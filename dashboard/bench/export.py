"""The export part of the benchmark: a generated warehouse of a million signals (made once,
kept), streamed through the real download route served by uvicorn; rows per second, memory
of this process and the CPU seconds of route, client and database."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from dashboard.bench.common import BENCH_DATABASE, Options, Report, make_viewer, peak_rss
from warehouse import bench_sql, db, migrate, rollups
from warehouse.filters import Filters
from warehouse.settings import agencies, get_settings
from warehouse.viewer import Role


def bench_export(url: str, options: Options, report: Report) -> None:
    """Through the real download route served by uvicorn in a thread of this process, a
    generated warehouse of `export_rows` signals (made once, reused), bytes discarded."""
    import hashlib

    import httpx
    import psutil
    import uvicorn
    from starlette.applications import Starlette

    from dashboard.bench.browser import free_port
    from dashboard.export_route import ROUTES, mint
    from warehouse.csvfile import Dialect
    from warehouse.export import ExportRequest
    from warehouse.queries.export_rows import DEFAULT_SIGNAL_COLUMNS

    export_url = make_url(url).set(database=f"{BENCH_DATABASE}_export_{options.export_rows}")
    rendered = export_url.render_as_string(hide_password=False)
    make_export_warehouse(rendered, options.export_rows)
    saved = {k: os.environ.get(k) for k in ("NSOC_DATABASE_URL", "NSOC_EXPORT_MAX_ROWS_ANALYST")}
    os.environ["NSOC_DATABASE_URL"] = rendered
    os.environ["NSOC_EXPORT_MAX_ROWS_ANALYST"] = str(options.export_rows)
    get_settings.cache_clear()
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(Starlette(routes=ROUTES), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        viewer = make_viewer("politie", Role.analyst)

        def download(filters: Filters) -> tuple[int, float, float]:
            """Bytes, seconds and the CPU seconds of this (the client's) thread."""
            request = ExportRequest(
                "signals", filters, DEFAULT_SIGNAL_COLUMNS, Dialect.excel_nl, "benchmark"
            )
            token = mint(viewer, request)
            digest, size, began = hashlib.sha256(), 0, time.perf_counter()
            cpu = time.thread_time()
            with httpx.stream(
                "GET", f"http://127.0.0.1:{port}/api/export", params={"token": token}, timeout=600
            ) as response:
                response.raise_for_status()
                for chunk in response.iter_raw():
                    digest.update(chunk)
                    size += len(chunk)
            return size, time.perf_counter() - began, time.thread_time() - cpu

        month = dt.date(2022, 1, 1)
        download(Filters(start=month, end=month))  # warm up
        me = psutil.Process()
        db_before, cpu_before = backend_cpu(rendered), sum(me.cpu_times()[:2])
        with peak_rss([me]) as peak:
            before = me.memory_info().rss
            size, seconds, client_cpu = download(Filters())
            after = me.memory_info().rss
        process_cpu = sum(me.cpu_times()[:2]) - cpu_before
        db_after = backend_cpu(rendered)
        report.export = {
            "rows": options.export_rows,
            "bytes": size,
            "seconds": round(seconds, 2),
            "rows_per_s": round(options.export_rows / seconds),
            "rss_before_mb": round(before / 2**20),
            "rss_peak_mb": round(peak.value / 2**20),
            "rss_after_mb": round(after / 2**20),
            # CPU seconds, which a busy shared machine does not inflate as it does seconds:
            # the route (server threads), the client, the database backends of the export
            "server_cpu_s": round(process_cpu - client_cpu, 2),
            "client_cpu_s": round(client_cpu, 2),
            "db_cpu_s": round(sum(db_after.get(p, 0.0) - t for p, t in db_before.items()), 2),
        }
    finally:
        server.should_exit = True
        thread.join(10)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        get_settings.cache_clear()


def make_export_warehouse(url: str, rows: int) -> None:
    """A warehouse of `rows` generated signals (generate_series), kept for the next run."""
    from seed.reference import sync_reference

    db.ensure_database(url)
    engine = create_engine(url)
    try:
        migrate.upgrade(engine)
        with engine.begin() as conn:
            if (conn.scalar(text("select count(*) from signal")) or 0) == rows:
                return
            conn.execute(text("truncate signal cascade"))
            sync_reference(conn, agencies())
            everyone = sum(1 << a.bit for a in agencies())
            bench_sql.generated_signals(conn, rows=rows, everyone=everyone)
            rollups.refresh_all(conn)
        # Statistics for the planner, as autovacuum would gather them (if it runs at all).
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("vacuum analyze")
    finally:
        engine.dispose()


def backend_cpu(url: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend connected to this database (the server
    runs on this machine; backends that come and go between two calls are missed)."""
    import psutil

    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            pids = conn.execute(
                text(
                    "select pid from pg_stat_activity"
                    " where datname = current_database() and pid <> pg_backend_pid()"
                )
            ).scalars()
            out = {}
            for pid in pids:
                try:
                    out[pid] = sum(psutil.Process(pid).cpu_times()[:2])
                except psutil.Error:
                    continue
            return out
    finally:
        engine.dispose()
