"""Benchmark: stream a 1,000,000-row signal export through the real download route and print
rows per second and the server's memory before, at its peak and after.

    .venv/bin/python scripts/bench_export.py [--rows 1000000] [--dialect excel-nl]

It uses the benchmark's generated database on the configured server (NSOC_DATABASE_URL or the
embedded one), made once with generated signals (generate_series, about 15 s for a million,
then analysed) and kept for the next run (as `nsoc bench` does); it serves the route
with uvicorn in this process (the token's nonce lives in the server's memory) and downloads over
a real socket with httpx, discarding the bytes. Figures are printed, never asserted: the target
is >= 300,000 rows/s end to end and a peak memory that does not grow with the export's size."""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def make_warehouse(rows: int) -> str:
    """The benchmark's generated warehouse nsoc_bench_export_<rows> (made once, then reused)."""
    from sqlalchemy.engine import make_url

    from dashboard.bench.common import BENCH_DATABASE
    from dashboard.bench.export import make_export_warehouse
    from warehouse import db

    url = make_url(db.warehouse_url()).set(database=f"{BENCH_DATABASE}_export_{rows}")
    rendered = url.render_as_string(hide_password=False)
    make_export_warehouse(rendered, rows)
    return rendered


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--dialect", default="excel-nl")
    parser.add_argument("--port", type=int, default=8599)
    args = parser.parse_args()

    print(f"Making a warehouse with {args.rows:,} signals…", flush=True)
    url = make_warehouse(args.rows)
    os.environ["NSOC_DATABASE_URL"] = url
    os.environ["NSOC_EXPORT_MAX_ROWS_ANALYST"] = str(args.rows)

    import httpx
    import uvicorn
    from starlette.applications import Starlette

    from dashboard.export_route import ROUTES, mint
    from tests.conftest import make_viewer
    from warehouse.csvfile import Dialect
    from warehouse.export import ExportRequest
    from warehouse.filters import Filters
    from warehouse.queries.export_rows import DEFAULT_SIGNAL_COLUMNS
    from warehouse.settings import get_settings

    get_settings.cache_clear()
    server = uvicorn.Server(
        uvicorn.Config(Starlette(routes=ROUTES), port=args.port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    viewer = make_viewer("politie")

    def download(filters: Filters) -> tuple[int, float, str]:
        request = ExportRequest(
            "signals", filters, DEFAULT_SIGNAL_COLUMNS, Dialect(args.dialect), "benchmark"
        )
        token = mint(viewer, request)
        digest, size, start = hashlib.sha256(), 0, time.perf_counter()
        with httpx.stream(
            "GET", f"http://127.0.0.1:{args.port}/api/export", params={"token": token}, timeout=600
        ) as response:
            response.raise_for_status()
            for chunk in response.iter_raw():
                digest.update(chunk)
                size += len(chunk)
        return size, time.perf_counter() - start, digest.hexdigest()

    import datetime as dt

    month = dt.date(2022, 1, 1)
    download(Filters(start=month, end=month))  # warm up: imports, pools, a first batch
    before, peak_before = rss_mb(), rss_mb("VmHWM")
    size, seconds, sha = download(Filters())
    after, peak = rss_mb(), rss_mb("VmHWM")
    print(f"rows: {args.rows:,}  bytes: {size:,}  time: {seconds:.2f} s")
    print(f"throughput: {args.rows / seconds:,.0f} rows/s, {size / seconds / 1e6:,.1f} MB/s")
    print(
        f"server memory: RSS before {before:,.0f} MB, after {after:,.0f} MB;"
        f" peak before {peak_before:,.0f} MB, peak after {peak:,.0f} MB"
    )
    print(f"sha256: {sha}")
    server.should_exit = True


if __name__ == "__main__":
    main()
