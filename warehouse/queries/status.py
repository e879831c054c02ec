"""Warehouse status: what each agency delivered and how fresh it is, as far as the viewer may
see. Counts and dates only, from the rollups; suppressed for viewers without row access."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, text

from warehouse.queries.frames import frame
from warehouse.settings import get_settings
from warehouse.suppression import needs_suppression, suppress
from warehouse.viewer import Viewer


def _frame(conn: Connection, sql: str, columns: list[str], **params: object) -> pd.DataFrame:
    return frame(conn.execute(text(sql), params), columns)


def _guard(df: pd.DataFrame, viewer: Viewer, count: str = "signals") -> pd.DataFrame:
    if needs_suppression(viewer):
        return suppress(df, count=count, k=get_settings().suppression_k)
    return df.assign(suppressed=False)


def agency_coverage(*, conn: Connection, viewer: Viewer) -> pd.DataFrame:
    """One row per configured agency: signals the viewer may see, their months, last delivery."""
    sql = """
        with per_agency as (
            select
                owner_agency,
                sum(signal_count) as signals,
                min(month) as first_month,
                max(month) as last_month,
                max(last_reported_at) as last_reported_at
            from rollup_signal_month
            group by owner_agency
        )

        select
            a.code as agency, a.name_nl, a.name_en, coalesce(p.signals, 0) as signals,
            p.first_month, p.last_month, p.last_reported_at
        from agency as a
        left join per_agency as p on p.owner_agency = a.code
        order by a.bit
    """
    cols = [
        "agency",
        "name_nl",
        "name_en",
        "signals",
        "first_month",
        "last_month",
        "last_reported_at",
    ]
    return _guard(_frame(conn, sql, cols), viewer)


def monthly_deliveries(*, conn: Connection, viewer: Viewer) -> pd.DataFrame:
    """Signals per month and owning agency, for the delivery chart."""
    sql = """
        select month, owner_agency as agency, sum(signal_count) as signals
        from rollup_signal_month
        group by month, owner_agency
        order by month, owner_agency
    """
    return _guard(_frame(conn, sql, ["month", "agency", "signals"]), viewer)


def phenomenon_by_agency(*, conn: Connection, viewer: Viewer) -> pd.DataFrame:
    """Signals per phenomenon and owning agency over the whole period."""
    sql = """
        select r.phenomenon_code, p.name_nl, p.name_en, p.category, r.owner_agency as agency,
               sum(r.signal_count) as signals
        from rollup_signal_month as r
        join phenomenon as p on p.code = r.phenomenon_code
        group by 1, 2, 3, 4, 5
        order by 4, 1, 5
    """
    cols = ["phenomenon_code", "name_nl", "name_en", "category", "agency", "signals"]
    return _guard(_frame(conn, sql, cols), viewer)


def rollup_freshness(*, conn: Connection, viewer: Viewer) -> pd.DataFrame:
    """When each rollup was last rebuilt (its row counts describe all agencies: not shown), and
    for one recounted after a delivery's commit (migration 0021) the first month still out of
    date (null: up to date)."""
    sql = """
        select r.rollup, r.refreshed_at, s.stale_from
        from rollup_refresh as r
        left join rollup_stale as s on s.rollup = r.rollup
        order by 1
    """
    return _frame(conn, sql, ["rollup", "refreshed_at", "stale_from"])


def totals(*, conn: Connection, viewer: Viewer) -> dict[str, int | None]:
    """Headline counts; entities only for viewers who may see rows (None otherwise)."""
    row = conn.execute(
        text(
            """
        select
            (select coalesce(sum(signal_count), 0) from rollup_signal_month) as signals,
            (select count(*) from agency) as agencies,
            (select count(*) from network) as networks,
            (select count(*) from entity) as entities
        """
        )
    ).one()
    return {
        "signals": int(row.signals),
        "agencies": int(row.agencies),
        "networks": int(row.networks),
        "entities": int(row.entities) if viewer.sees_rows else None,
    }


def latest_signals(*, conn: Connection, viewer: Viewer, limit: int = 15) -> pd.DataFrame:
    """The newest signals the viewer may see (rows: analysts and stewards only; row-level
    security returns none to other roles)."""
    sql = """
        select s.source_ref, s.owner_agency as agency, s.phenomenon_code, s.observed_on,
               s.reported_at, s.handling_code
        from signal as s
        order by s.reported_at desc, s.id desc
        limit :limit
    """
    cols = [
        "source_ref",
        "agency",
        "phenomenon_code",
        "observed_on",
        "reported_at",
        "handling_code",
    ]
    return _frame(conn, sql, cols, limit=max(1, min(limit, 100)))
