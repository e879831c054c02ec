"""Figures for the management briefing, from the rollups (every role may read those), with
small-cell suppression for viewers without row access: a briefing made for managers shows
"< k" where the data has small cells."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, text

from warehouse.filters import Filters
from warehouse.queries.frames import frame
from warehouse.queries.where import Columns, where
from warehouse.settings import get_settings
from warehouse.suppression import needs_suppression, suppress
from warehouse.viewer import Viewer

QUALIFIED = Columns(
    month="r.month",
    region="r.region_code",
    municipality="r.municipality_code",
    phenomenon="r.phenomenon_code",
    agency="r.owner_agency",
    handling="r.handling_code",
)
HEADLINE_COLUMNS = ["signals", "amount_eur", "high_severity", "municipalities", "agencies"]


def _guard(df: pd.DataFrame, viewer: Viewer, measures: tuple[str, ...] = ()) -> pd.DataFrame:
    if needs_suppression(viewer):
        return suppress(df, count="signals", measures=measures, k=get_settings().suppression_k)
    return df.assign(suppressed=False)


def headline(*, conn: Connection, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """One row: visible signals in the filters, their amount, how many were severe (4-5), in
    how many municipalities, from how many partner agencies."""
    clause, params = where(filters)
    sql = text(
        f"""
        select coalesce(sum(signal_count), 0) as signals,
               coalesce(sum(amount_eur), 0) as amount_eur,
               coalesce(sum(high_severity_count), 0) as high_severity,
               count(distinct municipality_code) as municipalities,
               count(distinct owner_agency) as agencies
        from rollup_signal_month
        where {clause}
        """  # noqa: S608 - the clause is built from column constants; values are bound
    )
    df = frame(conn.execute(sql, params), HEADLINE_COLUMNS)
    return _guard(df, viewer, ("amount_eur", "high_severity"))


def phenomenon_by_region(*, conn: Connection, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Signals per RIEC region and phenomenon category (the briefing's heatmap)."""
    clause, params = where(filters, QUALIFIED)
    sql = text(
        f"""
        select r.region_code, g.name as region_name, p.category, sum(r.signal_count) as signals
        from rollup_signal_month as r
        join phenomenon as p on p.code = r.phenomenon_code
        join riec_region as g on g.code = r.region_code
        where {clause}
        group by 1, 2, 3
        order by 2, 3
        """  # noqa: S608 - the clause is built from column constants; values are bound
    )
    cols = ["region_code", "region_name", "category", "signals"]
    return _guard(frame(conn.execute(sql, params), cols), viewer)


def added_value(*, conn: Connection, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """What sharing added: visible signals from the viewer's own agency and from partners, per
    phenomenon category (the partners' rows are what the viewer would not have had alone)."""
    clause, params = where(filters, QUALIFIED)
    sql = text(
        f"""
        select p.category,
               case when r.owner_agency = :own then 'own' else 'partners' end as source,
               sum(r.signal_count) as signals,
               count(distinct r.owner_agency) as agencies
        from rollup_signal_month as r
        join phenomenon as p on p.code = r.phenomenon_code
        where {clause}
        group by 1, 2
        order by 1, 2
        """  # noqa: S608 - the clause is built from column constants; values are bound
    )
    cols = ["category", "source", "signals", "agencies"]
    rows = conn.execute(sql, {**params, "own": viewer.agency}).mappings().all()
    return _guard(pd.DataFrame(rows, columns=cols), viewer)
