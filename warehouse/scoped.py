"""The only way the app reaches the data: a transaction as the app's database role with the
viewer's agency and role set for row-level security (SET LOCAL, gone at commit or rollback).

Even a query function that forgets a filter cannot leak: the policies in migration 0003 hide
every row whose audience excludes the viewer's agency, and show managers no rows at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url

from warehouse import db
from warehouse.settings import get_settings
from warehouse.viewer import Viewer

APP_ROLE = "nsoc_app"


def app_url(warehouse_url: str | None = None) -> str:
    """The warehouse URL with the app's own login role (NSOC_APP_DATABASE_URL overrides)."""
    settings = get_settings()
    if settings.app_database_url:
        return db.sqlalchemy_url(settings.app_database_url)
    url = make_url(warehouse_url or db.warehouse_url(start=False))
    return url.set(username=APP_ROLE, password=settings.app_db_password or None).render_as_string(
        hide_password=False
    )


@lru_cache(maxsize=8)
def app_engine(url: str | None = None) -> Engine:
    # No automatic server-side prepared statements (psycopg prepares a query after 5 runs):
    # PostgreSQL then switches to a generic plan, measured 3-4x slower on the indicator series
    # than the custom plan for the bound filters; it also keeps the app PgBouncer-friendly.
    return create_engine(
        url or app_url(),
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        connect_args={"prepare_threshold": None},
    )


# Per transaction, for the app only. Memory per sort or hash of a view's query: the server default
# (4 MB) sent the distinct-entity count of a year (200,000 rows at demo size) to disk. And no JIT
# compilation: PostgreSQL compiles any query whose estimate passes jit_above_cost, and for the
# facilitator ranking that took 70-150 ms of a 200-300 ms query; the views' queries are short.
WORK_MEM = "64MB"


@contextmanager
def scoped(
    viewer: Viewer, *, engine: Engine | None = None, write: bool = False
) -> Iterator[Connection]:
    """A transaction in which the database itself enforces what `viewer` may see."""
    with db.reachable(), (engine or app_engine()).connect() as conn, conn.begin():
        if not write:
            conn.exec_driver_sql("set transaction read only")
        conn.execute(
            text(
                "select set_config('nsoc.agency', :agency, true),"
                " set_config('nsoc.agency_bit', :bit, true),"
                " set_config('nsoc.role', :role, true),"
                " set_config('nsoc.subject', :subject, true),"
                " set_config('work_mem', :work_mem, true),"
                " set_config('jit', 'off', true)"
            ),
            {
                "agency": viewer.agency,
                "bit": str(viewer.agency_bit),
                "role": str(viewer.role),
                "subject": viewer.subject,
                "work_mem": WORK_MEM,
            },
        )
        yield conn
