"""A steward's view of their agency's deliveries (row-level security: own agency only)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, text

from warehouse.viewer import Viewer

COLUMNS = [
    "batch_id",
    "file_name",
    "status",
    "received_at",
    "rows_total",
    "inserted",
    "updated",
    "unchanged",
    "quarantined",
    "error",
]


def delivery_batches(*, conn: Connection, viewer: Viewer, limit: int = 20) -> pd.DataFrame:
    """The newest batches the viewer may see, newest first."""
    sql = text(
        """
        select id as batch_id, file_name, status, received_at, rows_total, inserted, updated,
               unchanged, quarantined, error
        from delivery_batch
        order by id desc
        limit :limit
        """
    )
    rows = conn.execute(sql, {"limit": max(1, min(limit, 200))}).mappings().all()
    return pd.DataFrame(rows, columns=COLUMNS)


def quarantine_reasons(*, conn: Connection, viewer: Viewer, batch_id: int) -> pd.DataFrame:
    """Line, source reference and reasons of one batch's quarantined rows."""
    sql = text(
        """
        select line_no, source_ref, reasons::text as reasons
        from quarantine_row
        where batch_id = :b
        order by line_no
        limit 5000
        """
    )
    rows = conn.execute(sql, {"b": batch_id}).mappings().all()
    return pd.DataFrame(rows, columns=["line_no", "source_ref", "reasons"])
