"""The benchmark behind `nsoc bench` and `make bench`: seed (or reuse) a dedicated warehouse,
time every query behind every view (warm and cold) against the same aggregate computed naively
from the raw signals, and optionally the browser, a 1M-row CSV export, a briefing, an
incremental rollup refresh and 20 concurrent sessions. Figures only, never assertions.

"Cold" here means: the first run of a query on a brand-new database connection on which
`discard all` has run (no cached plans, no prepared statements, no session state). The
operating system's page cache and PostgreSQL's shared buffers cannot be dropped on a shared
machine without root, so cold measures connection and planning cost, not disk reads."""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from warehouse import bench_sql, db, migrate, rollups
from warehouse.filters import Filters
from warehouse.periods import add_months
from warehouse.scoped import app_engine, app_url, scoped
from warehouse.settings import agencies, get_settings
from warehouse.viewer import Role, Viewer

BENCH_DATABASE = "nsoc_bench"
TARGET_P95_MS = 100.0
TARGET_RATIO = 20.0


@dataclass
class Options:
    size: str = "bench"
    url: str | None = None  # an existing warehouse to use as-is (otherwise nsoc_bench)
    runs: int = 20
    cold_runs: int = 5
    naive_runs: int = 3
    queries: bool = True
    naive: bool = True
    browser: bool = True
    concurrent: bool = True
    sessions: int = 20
    session_seconds: float = 60.0
    export: bool = True
    export_rows: int = 1_000_000
    briefing: bool = True
    refresh: bool = True
    refresh_signals: int = 100_000
    seed: int = 20240701


@dataclass
class Report:
    meta: dict[str, Any] = field(default_factory=dict)
    queries: list[dict[str, Any]] = field(default_factory=list)
    browser: list[dict[str, Any]] = field(default_factory=list)
    concurrent: dict[str, Any] = field(default_factory=dict)
    export: dict[str, Any] = field(default_factory=dict)
    briefing: dict[str, Any] = field(default_factory=dict)
    refresh: dict[str, Any] = field(default_factory=dict)
    server: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "meta": self.meta,
            "queries": self.queries,
            "browser": self.browser,
            "concurrent": self.concurrent,
            "export": self.export,
            "briefing": self.briefing,
            "refresh": self.refresh,
            "server": self.server,
        }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(values), 1) if values else float("nan"),
        "p95_ms": round(percentile(values, 0.95), 1),
        "runs": len(values),
    }


# --- the warehouse -------------------------------------------------------------------------


def bench_url(options: Options) -> str:
    """The dedicated benchmark database on the configured server (or the given URL)."""
    if options.url:
        return db.sqlalchemy_url(options.url)
    url = make_url(db.admin_url()).set(database=BENCH_DATABASE)
    return url.render_as_string(hide_password=False)


def ensure_data(url: str, options: Options, say: Callable[[str], None]) -> int:
    """Reuse the database when seed_run says it holds the requested size; otherwise seed it
    (only the dedicated benchmark database is ever wiped)."""
    from seed.load import SIZES, seed_warehouse, warehouse_state
    from seed.reference import sync_reference

    db.ensure_database(url)
    engine = create_engine(url)
    try:
        migrate.upgrade(engine)
        with engine.begin() as conn:
            sync_reference(conn, agencies())
            signals, runs = warehouse_state(conn)
        if any(size == options.size for size, _ in runs):
            say(f"Reusing {signals:,} signals ({options.size}) in {make_url(url).database}")
            return signals
        if signals and options.url:
            raise RuntimeError(
                f"{make_url(url).database} holds {signals:,} signals of another size; "
                "bench an empty database or the dedicated one"
            )
        say(f"Seeding {options.size} ({SIZES[options.size]:,} signals): this takes a while…")
        with engine.begin() as conn:
            result = seed_warehouse(
                conn,
                size=options.size,
                seed=options.seed,
                agencies=agencies(),
                pseudonym_key=get_settings().pseudonym_key.encode(),
                replace=True,
            )
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("vacuum analyze")
        return result.signals
    finally:
        engine.dispose()


# --- the queries behind the views ----------------------------------------------------------


def make_viewer(agency: str, role: Role) -> Viewer:
    bits = {a.code: a.bit for a in agencies()}
    return Viewer(f"bench-{role}", agency, bits[agency], role, dt.datetime.now(dt.UTC))


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
            "facilitators",
            "facilitators.facilitator_ranking",
            facilitators.facilitator_ranking,
            {"filters": year},
            "facilitators",
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
    app = app_url(url)
    warm_engine = app_engine(app)  # the app's own engine settings
    cold_engine = _cold_engine(app)
    owner = create_engine(url)
    try:
        with owner.connect() as conn:
            last = conn.scalar(text("select max(month) from rollup_signal_month"))
        if last is None:
            raise RuntimeError("the benchmark warehouse holds no rollups")
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


# --- the briefing, the rollup refresh ------------------------------------------------------


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
    """A delivery of `refresh_signals` signals in the last three months, then the incremental
    refresh the delivery path runs (rollups.refresh_months), in a transaction rolled back; the
    id sequence is put back after (bench a warehouse nobody loads into meanwhile)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            sequence = bench_sql.signal_sequence(conn)
            conn.rollback()
        with engine.connect() as conn, conn.begin() as tx:
            last = conn.scalar(text("select max(observed_on) from signal"))
            first = add_months(dt.date(last.year, last.month, 1), -2)
            began = time.perf_counter()
            bench_sql.copy_recent_signals(conn, first=first, n=options.refresh_signals)
            inserted = time.perf_counter() - began
            months = [add_months(first, i) for i in range(3)]
            began = time.perf_counter()
            results = rollups.refresh_months(conn, months)
            refreshed = time.perf_counter() - began
            tx.rollback()
        with engine.begin() as conn:
            bench_sql.restore_sequence(conn, sequence)
        report.refresh = {
            "signals": options.refresh_signals,
            "months": [str(m) for m in months],
            "insert_s": round(inserted, 2),
            "refresh_s": round(refreshed, 2),
            "rollups": len(results),
        }
    finally:
        engine.dispose()


# --- the export ----------------------------------------------------------------------------


def bench_export(url: str, options: Options, report: Report) -> None:
    """Through the real download route served by uvicorn in a thread of this process, a
    generated warehouse of `export_rows` signals (made once, reused), bytes discarded."""
    import hashlib

    import httpx
    import psutil
    import uvicorn
    from starlette.applications import Starlette

    from dashboard.bench_browser import free_port
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


# --- memory --------------------------------------------------------------------------------


@dataclass
class Peak:
    value: int = 0


@contextmanager
def peak_rss(processes: list[Any], interval: float = 0.05) -> Iterator[Peak]:
    """Sample the summed RSS of these processes and all their children until the block ends."""
    import psutil

    peak, stop = Peak(), threading.Event()

    def sample() -> None:
        while not stop.is_set():
            total = 0
            for p in processes:
                try:
                    tree = [p, *p.children(recursive=True)]
                    total += sum(c.memory_info().rss for c in tree)
                except psutil.Error:
                    continue
            peak.value = max(peak.value, total)
            stop.wait(interval)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        stop.set()
        thread.join()


# --- the whole run -------------------------------------------------------------------------


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
        bench_queries(url, options, report, say)
    if options.refresh:
        say(f"Incremental rollup refresh after {options.refresh_signals:,} signals…")
        bench_refresh(url, options, report)
    if options.briefing:
        say("Briefing…")
        bench_briefing(url, report)
    if options.browser or options.concurrent:
        from dashboard import bench_browser

        say("Browser…")
        bench_browser.run(url, options, report, say)
    if options.export:
        say(f"Export of {options.export_rows:,} rows…")
        bench_export(url, options, report)
    report.meta["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    return report


def _ok(met: bool) -> str:
    return "yes" if met else "NO"


def render(report: Report) -> list[str]:
    """The report as plain-text tables."""
    m = report.meta
    lines = [
        f"{m.get('signals', 0):,} signals ({m.get('size')}), PostgreSQL {m.get('server')}, "
        f"{m.get('cores')} cores, load {m.get('load_average')} -> {m.get('load_average_end')}",
        f"cold = {m.get('cold')}",
        "",
        f"{'view':12} {'query':36} {'viewer':17} {'warm med':>8} {'warm p95':>8} "
        f"{'cold med':>8} {'naive':>8} {'ratio':>6} {'<100ms':>6} {'>=20x':>5}",
    ]
    for q in report.queries:
        naive = q["naive"]["median_ms"] if q["naive"] else None
        ratio = q["ratio"]
        lines.append(
            f"{q['view']:12} {q['query'][:36]:36} {q['viewer']:17} {q['warm']['median_ms']:8.1f} "
            f"{q['warm']['p95_ms']:8.1f} {q['cold']['median_ms']:8.1f} "
            f"{naive if naive is not None else '-':>8} {ratio if ratio is not None else '-':>6} "
            f"{_ok(q['warm']['p95_ms'] < TARGET_P95_MS):>6} "
            f"{(_ok(ratio >= TARGET_RATIO) if ratio is not None else '-'):>5}"
        )
    if report.browser:
        lines += [
            "",
            f"{'page':14} {'load med':>9} {'load p95':>9} {'filter med':>10} {'filter p95':>10}",
        ]
        for b in report.browser:
            lines.append(
                f"{b['page']:14} {b['load']['median_ms']:9.0f} {b['load']['p95_ms']:9.0f} "
                f"{b['filter']['median_ms'] if b.get('filter') else float('nan'):10.0f} "
                f"{b['filter']['p95_ms'] if b.get('filter') else float('nan'):10.0f}"
            )
    if report.concurrent:
        c = report.concurrent
        lines += [
            "",
            f"{c['sessions']} concurrent sessions for {c['seconds']} s: {c['pages']} pages, "
            f"median {c['median_ms']:.0f} ms, p95 {c['p95_ms']:.0f} ms, errors {c['errors']}",
        ]
    if report.server:
        lines.append(f"app server peak memory: {report.server.get('peak_rss_mb')} MB")
    if report.export:
        e = report.export
        lines += [
            "",
            f"export: {e['rows']:,} rows in {e['seconds']} s = {e['rows_per_s']:,} rows/s; RSS "
            f"{e['rss_before_mb']} -> peak {e['rss_peak_mb']} -> {e['rss_after_mb']} MB",
            f"export CPU: route {e['server_cpu_s']} s, client {e['client_cpu_s']} s, "
            f"database {e['db_cpu_s']} s",
        ]
    if report.briefing:
        b = report.briefing
        lines.append(f"briefing {b['period']}: {b['first_s']} s (again {b['second_s']} s)")
    if report.refresh:
        r = report.refresh
        lines.append(
            f"delivery of {r['signals']:,} signals: insert {r['insert_s']} s, incremental "
            f"rollup refresh of {len(r['months'])} months {r['refresh_s']} s"
        )
    return lines


def write_json(report: Report, path: Path) -> None:
    path.write_text(json.dumps(report.as_dict(), indent=2, default=str), encoding="utf-8")
