"""The app's door to the warehouse. Every read runs in `scoped(viewer)`: a read-only transaction
as the app's database role with the viewer's agency and role set, so PostgreSQL enforces
need-to-know. Every access is written to the audit trail through `audit` here.

Cached results must be keyed by the viewer's agency and role as well as the filters
(st.cache_data is shared by all users): use `cached_read`, never st.cache_data on a query."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy import Engine

from warehouse import audit as audit_trail
from warehouse import db
from warehouse.scoped import app_engine, scoped
from warehouse.viewer import Viewer

T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    return app_engine()


def read(viewer: Viewer, query: Callable[..., T], **kwargs: Any) -> T:
    """Run one query function for this viewer."""
    return read_many(viewer, query, **kwargs)[0]


def read_many(viewer: Viewer, *queries: Callable[..., T], **kwargs: Any) -> list[T]:
    """Run query functions in one transaction, so they see the same snapshot. A warehouse that
    cannot be reached raises DatabaseUnavailable for the page to explain."""
    with scoped(viewer, engine=engine()) as conn:
        return [q(conn=conn, viewer=viewer, **kwargs) for q in queries]


def cached_read(viewer: Viewer, query: Callable[..., T], **kwargs: Any) -> T:
    """`read`, cached for five minutes per agency, role, query and arguments."""
    result: T = cached_side_by_side(viewer, query, **kwargs)[0]
    return result


def read_side_by_side(viewer: Viewer, *queries: Callable[..., Any], **kwargs: Any) -> list[Any]:
    """Run query functions with the same arguments at the same time, each in its own read-only
    transaction on its own pooled connection, so the database works on them on two cores at
    once. Each sees its own snapshot: only for reads that need not agree row for row (the two
    periods of the facilitator ranking; a delivery committed between them shifts a rank change,
    as a cached read of five minutes ago would). Streamlit is not called from the threads."""
    if len(queries) == 1:  # nothing to overlap: this thread, one connection
        return read_many(viewer, *queries, **kwargs)
    eng = engine()

    def one(query: Callable[..., Any]) -> Any:
        with scoped(viewer, engine=eng) as conn:
            return query(conn=conn, viewer=viewer, **kwargs)

    with ThreadPoolExecutor(max_workers=len(queries), thread_name_prefix="nsoc-read") as pool:
        return [f.result() for f in [pool.submit(one, q) for q in queries]]


@st.cache_data(ttl=300, max_entries=500, show_spinner=False)
def _cached(
    agency: str,
    role: str,
    names: tuple[str, ...],
    _queries: tuple[Callable[..., Any], ...],
    _viewer: Viewer,
    key: tuple,
) -> list[Any]:
    # agency, role, names and key are the cache key; the underscored arguments are not hashed
    # (called through `per_viewer`)
    return read_side_by_side(_viewer, *_queries, **dict(key))


def cached_side_by_side(viewer: Viewer, *queries: Callable[..., Any], **kwargs: Any) -> list[Any]:
    """`read_side_by_side`, cached for five minutes per agency, role, queries and arguments."""
    key = tuple(sorted(kwargs.items()))
    names = tuple(f"{q.__module__}.{q.__qualname__}" for q in queries)
    return per_viewer(_cached, viewer, names=names, _queries=queries, key=key)


def per_viewer(cached: Callable[..., T], viewer: Viewer, **kwargs: Any) -> T:
    """Call a function cached with st.cache_data whose key is the viewer's agency and role and
    these arguments (its parameters `agency`, `role`, the unhashed `_viewer`, and these). By
    keyword: for each positional argument of each call Streamlit looks the function's
    signature up anew (`inspect.signature`, ~0.1 ms each) to learn the argument's name."""
    return cached(agency=viewer.agency, role=str(viewer.role), _viewer=viewer, **kwargs)


def on_behalf(viewer: Viewer, write: Callable[..., T], **kwargs: Any) -> T:
    """Run a warehouse write as the owner on behalf of `viewer` (the app role writes nothing).
    The write function gets the owner's engine and the app's, and must check with the latter
    what this viewer may do (e.g. `warehouse.ingest.decisions.decide_for`)."""
    with db.reachable():
        return write(owner=db.get_engine(), app=engine(), viewer=viewer, **kwargs)


def audit(
    action: str,
    *,
    viewer: Viewer | None = None,
    subject: str | None = None,
    agency: str | None = None,
    details: Mapping[str, object] | None = None,
) -> None:
    """Append to the audit trail. If that fails the access does not happen (the exception
    propagates to the page frame, which shows a message and stops)."""
    audit_trail.record(
        engine(), action=action, viewer=viewer, subject=subject, agency=agency, details=details
    )
