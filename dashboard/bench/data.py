"""The benchmark's warehouse: the dedicated database, seeded once per size and reused."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from dashboard.bench.common import BENCH_DATABASE, Options
from warehouse import db, migrate
from warehouse.settings import agencies, get_settings


def bench_url(options: Options) -> str:
    """The dedicated benchmark database on the configured server (or the given URL)."""
    if options.url:
        return db.sqlalchemy_url(options.url)
    url = make_url(db.admin_url()).set(database=BENCH_DATABASE)
    return url.render_as_string(hide_password=False)


def ensure_data(url: str, options: Options, say: Callable[[str], None]) -> int:
    """Reuse the database when seed_run says it holds the requested size; otherwise seed it
    (only the dedicated benchmark database is ever wiped)."""
    from seed.load import seed_warehouse, size_signals, warehouse_state
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
            seeded = ", ".join(sorted({size for size, _ in runs})) or "unknown"
            raise ValueError(
                f"{make_url(url).database} holds {signals:,} signals of another size "
                f"(seeded: {seeded}); pass that --size, or bench an empty database or the "
                "dedicated one"
            )
        total = size_signals(options.size) or 0
        say(f"Seeding {options.size} ({total:,} signals): this takes a while…")
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
