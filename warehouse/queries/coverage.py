"""Coverage of what is on screen: which agencies contributed to it and how fresh their data is,
so that "no signals" is never mistaken for "no crime"."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, text

from warehouse.filters import Filters
from warehouse.queries.frames import frame
from warehouse.queries.where import signal_rollup, where
from warehouse.settings import get_settings
from warehouse.suppression import needs_suppression, suppress
from warehouse.viewer import Viewer

COLUMNS = ["agency", "name_nl", "name_en", "signals", "last_reported_at", "latest_overall"]


def coverage(*, conn: Connection, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """One row per configured agency: visible signals under the filters (0 when none), the last
    delivery within them, and the agency's last delivery overall (its freshness)."""
    source, cols = signal_rollup(filters)
    clause, params = where(filters, cols)
    sql = text(
        f"""
        with filtered as (
            select owner_agency, sum(signal_count) as signals, max(last_reported_at) as last_reported_at
            from {source}
            where {clause}
            group by owner_agency
        )

        -- the latest delivery per agency: one backward index scan each (not the whole rollup)
        select a.code as agency, a.name_nl, a.name_en, coalesce(f.signals, 0) as signals,
               f.last_reported_at,
               (select max(r.last_reported_at) from rollup_signal_month as r
                where r.owner_agency = a.code) as latest_overall
        from agency as a
        left join filtered as f on f.owner_agency = a.code
        order by a.bit
        """  # noqa: S608 - the clause is built from column constants; values are bound
    )
    df = frame(conn.execute(sql, params), COLUMNS)
    if needs_suppression(viewer):
        return suppress(df, count="signals", k=get_settings().suppression_k)
    return df.assign(suppressed=False)
