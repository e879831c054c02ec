"""Warehouse status for data stewards: what each agency delivered and how fresh it is.
Counts and dates only, no signal contents."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, text


def agency_coverage(*, conn: Connection) -> pd.DataFrame:
    """One row per configured agency: signals delivered, observed period, last delivery."""
    sql = text(
        """
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
            a.code as agency,
            a.name_nl,
            a.name_en,
            coalesce(p.signals, 0) as signals,
            p.first_month,
            p.last_month,
            p.last_reported_at
        from agency as a
        left join per_agency as p on p.owner_agency = a.code
        order by a.bit
        """
    )
    return pd.DataFrame(conn.execute(sql).mappings().all())


def monthly_deliveries(*, conn: Connection) -> pd.DataFrame:
    """Signals per month and owning agency, for the delivery chart."""
    sql = text(
        """
        select month, owner_agency as agency, sum(signal_count) as signals
        from rollup_signal_month
        group by month, owner_agency
        order by month, owner_agency
        """
    )
    return pd.DataFrame(conn.execute(sql).mappings().all(), columns=["month", "agency", "signals"])


def rollup_freshness(*, conn: Connection) -> pd.DataFrame:
    sql = text(
        "select rollup, refreshed_at, source_rows, rollup_rows from rollup_refresh order by 1"
    )
    return pd.DataFrame(
        conn.execute(sql).mappings().all(),
        columns=["rollup", "refreshed_at", "source_rows", "rollup_rows"],
    )


def reference_counts(*, conn: Connection) -> dict[str, int]:
    tables = (
        "agency",
        "riec_region",
        "municipality",
        "logistics_node",
        "phenomenon",
        "facilitator_category",
        "network",
        "entity",
        "signal",
        "signal_entity",
        "intervention",
    )
    # Table names are the constant tuple above.
    sql = " union all ".join(f"select '{t}' as name, count(*) as n from {t}" for t in tables)  # noqa: S608
    return {r.name: int(r.n) for r in conn.execute(text(sql))}
