"""The app's door to the warehouse: one cached engine per process, short transactions per read.

Cached results are keyed by everything that shapes them; from the login issue on that includes
the viewer's agency and role (st.cache_data is shared by all users)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from sqlalchemy import Connection, Engine

from warehouse import db

T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    return db.get_engine(db.warehouse_url(start=False))


def read(query: Callable[..., T], **kwargs: object) -> T:
    """Run one query function in its own read-only transaction."""
    return read_many(query, **kwargs)[0]


def read_many(*queries: Callable[..., T], **kwargs: object) -> list[T]:
    """Run query functions in one read-only transaction, so they see the same snapshot.
    A warehouse that cannot be reached raises DatabaseUnavailable for the page to explain."""
    with db.reachable(), engine().connect() as conn, conn.begin():
        conn.exec_driver_sql("set transaction read only")
        return [q(conn=conn, **kwargs) for q in queries]


__all__ = ["Connection", "engine", "read", "read_many"]
