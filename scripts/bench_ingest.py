"""Benchmark of the delivery path: generate N synthetic signals as per-agency delivery files
(not timed), load them through warehouse/ingest into a fresh database (timed) and print
signals per second. Usage: .venv/bin/python scripts/bench_ingest.py --rows 1000000

Uses the server of NSOC_DATABASE_URL when set, otherwise the embedded server. It creates its own
database there (`--database NAME`, default a fresh `nsoc_ingest_bench_<random>`), refuses a name
that already exists, and drops it afterwards unless --keep is given."""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from seed.deliveries import choose_name_only, delivery_frames, write_files  # noqa: E402
from seed.load import _prepare  # noqa: E402
from seed.reference import sync_reference  # noqa: E402
from seed.simulate import generate  # noqa: E402
from warehouse import db, migrate, rollups  # noqa: E402
from warehouse.bulk import bulk_load  # noqa: E402
from warehouse.ingest.load import load_deliveries, load_files  # noqa: E402
from warehouse.ingest.report import Report  # noqa: E402
from warehouse.settings import agencies, get_settings  # noqa: E402


def write_deliveries(rows: int, seed: int, folder: Path) -> list[tuple[str, Path]]:
    configured = agencies()
    key = get_settings().pseudonym_key.encode()
    ctx, _ = _prepare(rows, seed, configured, key)
    entities = ctx.world.entities
    name_only = choose_name_only(np.random.default_rng(seed), entities, ctx.agencies)
    codes = dict(zip(ctx.world.networks["id"], ctx.world.networks["code"], strict=True))
    files = []
    for chunk, (signals, links) in enumerate(generate(ctx, rows)):
        frames = delivery_frames(
            np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(3, chunk))),
            signals=signals,
            links=links,
            entities=entities,
            network_codes=codes,
            agency_codes=ctx.agencies,
            all_mask=ctx.all_mask,
            agency_bits={a.code: a.bit for a in configured},
            name_only=name_only,
        )
        files += write_files(frames, folder, chunk)
    return files


def _files(args: argparse.Namespace, tmp: Path) -> list[tuple[str, Path]]:
    """The delivery files: generated, or the ones an earlier run left in --files."""
    if args.files is None:
        return write_deliveries(args.rows, args.seed, tmp)
    folder = args.files / f"rows-{args.rows}-seed-{args.seed}"
    listing = folder / "files.txt"
    if listing.exists():
        return [
            (agency, folder / name)
            for agency, name in (line.split("\t") for line in listing.read_text().splitlines())
        ]
    folder.mkdir(parents=True, exist_ok=True)
    files = write_deliveries(args.rows, args.seed, folder)
    listing.write_text("".join(f"{agency}\t{path.name}\n" for agency, path in files))
    return files


def _load_as_the_seed(engine: Engine, files: list[tuple[str, Path]], key: bytes) -> list[Report]:
    """Load as the seed does, and print the CPU seconds of this process and of its database
    backend (read from /proc: the server must run on this machine). On a shared machine these
    say more than the wall time: the pipeline's wall time on two free cores is about the
    larger of the two."""
    deliveries = ((agency, path.name, path.read_bytes()) for agency, path in files)
    python_before = time.process_time()
    children_before = _children_cpu()
    with engine.begin() as conn:
        backend = int(conn.scalar(text("select pg_backend_pid()")) or 0)
        backend_before = _cpu_seconds(backend)
        with bulk_load(conn):
            reports = list(load_deliveries(conn=conn, deliveries=deliveries, key=key))
        backend_s = _cpu_seconds(backend) - backend_before
    python_s = time.process_time() - python_before
    # the worker processes that read and validate the files (ended with the load)
    reader_s = _children_cpu() - children_before
    print(
        f"CPU seconds: Python {python_s:.1f} (and {reader_s:.1f} in the processes reading the "
        f"files), database backend {backend_s:.1f}"
    )
    return reports


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process on this machine (0 when it cannot be read)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--jobs", type=int, default=2, help="agencies loaded side by side (1: one file at a time)"
    )
    parser.add_argument(
        "--one-transaction",
        action="store_true",
        help="load as the seed does: one transaction, the next file validated while the "
        "database loads this one, plain indexes built at the end (--jobs does not apply)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--skip-rollups", action="store_true", help="leave out the rollup rebuild after the load"
    )
    parser.add_argument(
        "--database", help="name of the database to create for the run (it must not exist yet)"
    )
    parser.add_argument(
        "--files", type=Path, help="folder for the delivery files: reused when it holds them"
    )
    args = parser.parse_args()
    name = args.database or f"nsoc_ingest_bench_{uuid.uuid4().hex[:8]}"
    url = make_url(db.admin_url()).set(database=name)
    rendered = url.render_as_string(hide_password=False)
    if not db.ensure_database(rendered):
        sys.exit(f"database {name} already exists: choose another --database (never reused)")
    engine = create_engine(rendered)
    try:
        migrate.upgrade(engine)
        with engine.begin() as conn:
            sync_reference(conn, agencies())
        with tempfile.TemporaryDirectory(prefix="nsoc-bench-") as tmp:
            started = time.perf_counter()
            files = _files(args, Path(tmp))
            size = sum(p.stat().st_size for _, p in files) / 1e6
            print(
                f"generated {len(files)} files, {size:,.0f} MB in {time.perf_counter() - started:.1f} s"
            )
            key = get_settings().pseudonym_key.encode()
            started = time.perf_counter()
            if args.one_transaction:
                reports = _load_as_the_seed(engine, files, key)
            else:
                reports = load_files(
                    engine=engine, files=files, key=key, jobs=args.jobs, refresh_rollups=False
                )
            loaded = sum(r.inserted for r in reports)
            load_s = time.perf_counter() - started
            if not args.skip_rollups:
                with engine.begin() as conn:
                    rollups.refresh_all(conn)
            total_s = time.perf_counter() - started
        print(
            f"loaded {loaded:,} signals in {load_s:.1f} s: {loaded / load_s:,.0f} signals/s "
            f"({'one transaction' if args.one_transaction else f'{args.jobs} at a time'})"
        )
        if not args.skip_rollups:
            print(f"with the rollup rebuild: {total_s:.1f} s: {loaded / total_s:,.0f} signals/s")
    finally:
        engine.dispose()
        if not args.keep:
            db.drop_database(rendered)


if __name__ == "__main__":
    main()
