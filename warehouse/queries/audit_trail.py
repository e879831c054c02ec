"""The audit trail as the auditor page shows it. Row-level security limits an auditor to the
entries of their own agency."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, text

from warehouse.queries.frames import frame
from warehouse.viewer import Viewer

COLUMNS = ["chain_seq", "at", "viewer", "agency", "role", "action", "details"]


def audit_entries(
    *,
    conn: Connection,
    viewer: Viewer,
    actions: tuple[str, ...] = (),
    viewer_contains: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    limit: int = 1000,
) -> pd.DataFrame:
    """Newest first; `end` is inclusive."""
    sql = text(
        """
        select chain_seq, at, viewer, agency, role, action, details::text as details
        from audit_log
        where (cardinality(cast(:actions as text[])) = 0 or action = any(:actions))
          and (:needle = '' or strpos(lower(viewer), lower(:needle)) > 0)
          and (cast(:start as date) is null or at >= cast(:start as date))
          and (cast(:end as date) is null or at < cast(:end as date) + 1)
        order by chain_seq desc
        limit :limit
        """
    )
    rows = conn.execute(
        sql,
        {
            "actions": list(actions),
            "needle": viewer_contains.strip(),
            "start": start,
            "end": end,
            "limit": max(1, min(limit, 10_000)),
        },
    )
    return frame(rows, COLUMNS)
