"""The map: signals on H3 hexagons (rollup_h3_viewer_month, or rollup_h3_month when phenomena,
owners or handling codes are filtered), Dutch sea ports and airports with their
signal counts and the flows from ports abroad to Dutch ports (rollup_node_viewer_month, or
rollup_node_month when owners or handling codes are filtered). Aggregates only; suppressed for
viewers without row access."""

from __future__ import annotations

import h3
import pandas as pd
from sqlalchemy import Connection, text

from warehouse.filters import Filters
from warehouse.queries.frames import frame
from warehouse.queries.where import h3_rollup, node_rollup, where
from warehouse.settings import get_settings
from warehouse.suppression import needs_suppression, suppress
from warehouse.viewer import Viewer

RESOLUTIONS = (5, 7)
HEX_COLUMNS = [
    "cell",
    "municipality_code",
    "municipality",
    "region_code",
    "signals",
    "amount_eur",
    "high_severity",
]
NODE_COLUMNS = [
    "node_code",
    "name",
    "node_type",
    "lat",
    "lon",
    "municipality_code",
    "municipality",
    "region_code",
    "signals",
    "amount_eur",
]
FLOW_COLUMNS = [
    "origin_code",
    "origin_name",
    "origin_country",
    "origin_lat",
    "origin_lon",
    "node_code",
    "node_name",
    "node_lat",
    "node_lon",
    "flow_kind",
    "signals",
    "amount_eur",
]
# Flow kinds by phenomenon category: goods smuggled in through the ports, and money or trade.
FLOW_KINDS: dict[str, tuple[str, ...]] = {
    "smuggling": ("drugs", "trafficking"),
    "money": ("money_laundering",),
}


def _guard(df: pd.DataFrame, viewer: Viewer, measures: tuple[str, ...]) -> pd.DataFrame:
    if needs_suppression(viewer):
        return suppress(df, count="signals", measures=measures, k=get_settings().suppression_k)
    return df.assign(suppressed=False)


def hexagons(
    *, conn: Connection, viewer: Viewer, filters: Filters, resolution: int = 7
) -> pd.DataFrame:
    """One row per H3 cell (resolution 7, or 5 as the cells' parents): signals, amount and
    high-severity signals, with the municipality holding most of the cell's signals (a click on
    the cell filters on it)."""
    if resolution not in RESOLUTIONS:
        raise ValueError(f"resolution must be one of {RESOLUTIONS}")
    rollup, cols = h3_rollup(filters)
    clause, params = where(filters, cols)
    sql = text(
        f"""
        select h3_r7 as cell, municipality_code, sum(signal_count) as signals,
               sum(amount_eur) as amount_eur, sum(high_severity_count) as high_severity
        from {rollup}
        where {clause}
        group by h3_r7, municipality_code
        """  # noqa: S608 - table and clause come from constants; values are bound
    )
    parts = frame(
        conn.execute(sql, params),
        ["cell", "municipality_code", "signals", "amount_eur", "high_severity"],
    )
    parts["amount_eur"] = parts["amount_eur"].astype(float)
    if resolution != 7 and len(parts):
        parts["cell"] = [h3.cell_to_parent(c, resolution) for c in parts["cell"]]
        parts = parts.groupby(["cell", "municipality_code"], as_index=False, dropna=False).sum()
    totals = parts.groupby("cell", as_index=False)[["signals", "amount_eur", "high_severity"]].sum()
    main = (
        parts.sort_values(["cell", "signals", "municipality_code"], ascending=[True, False, True])
        .drop_duplicates("cell")[["cell", "municipality_code"]]
        .merge(_municipalities(conn), on="municipality_code", how="left")
    )
    df = totals.merge(main, on="cell", how="left")[HEX_COLUMNS]
    df = df.sort_values("cell", ignore_index=True)
    return _guard(df, viewer, ("amount_eur", "high_severity"))


def _municipalities(conn: Connection) -> pd.DataFrame:
    rows = conn.execute(
        text(
            "select gm_code as municipality_code, name as municipality, region_code from municipality"
        )
    )
    return frame(rows, ["municipality_code", "municipality", "region_code"])


def nodes(*, conn: Connection, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Every Dutch sea port and airport with the signals at it under the filters (0 if none)."""
    source, cols = node_rollup(filters)
    clause, params = where(filters, cols)
    sql = text(
        f"""
        with counts as (
            select r.node_code, sum(r.signal_count) as signals, sum(r.amount_eur) as amount_eur
            from {source} as r
            join logistics_node as n on n.code = r.node_code
            left join municipality as m on m.gm_code = n.municipality_code
            where {clause}
            group by r.node_code
        )

        select n.code as node_code, n.name, n.node_type, n.lat, n.lon, n.municipality_code,
               m.name as municipality, m.region_code, coalesce(c.signals, 0) as signals,
               coalesce(c.amount_eur, 0) as amount_eur
        from logistics_node as n
        left join municipality as m on m.gm_code = n.municipality_code
        left join counts as c on c.node_code = n.code
        where n.node_type in ('seaport', 'airport') and n.country = 'NL'
        order by n.code
        """  # noqa: S608 - the clause is built from column constants; values are bound
    )
    df = frame(conn.execute(sql, params), NODE_COLUMNS)
    df["amount_eur"] = df["amount_eur"].astype(float)
    return _guard(df, viewer, ("amount_eur",))


def flows(
    *, conn: Connection, viewer: Viewer, filters: Filters, kind: str | None = None
) -> pd.DataFrame:
    """Arcs from a port abroad to a Dutch port: signals and amount per origin, Dutch node and
    flow kind ("smuggling": drugs and trafficking; "money": money laundering incl. trade-based),
    heaviest first. kind None: both."""
    kinds = [kind] if kind else list(FLOW_KINDS)
    if any(k not in FLOW_KINDS for k in kinds):
        raise ValueError(f"kind must be one of {tuple(FLOW_KINDS)}")
    source, cols = node_rollup(filters)
    clause, params = where(filters, cols)
    params["money"] = list(FLOW_KINDS["money"])
    params["categories"] = [c for k in kinds for c in FLOW_KINDS[k]]
    sql = text(
        f"""
        with arcs as (
            select r.origin_node_code, r.node_code,
                   case when p.category = any(:money) then 'money' else 'smuggling' end
                       as flow_kind,
                   sum(r.signal_count) as signals, sum(r.amount_eur) as amount_eur
            from {source} as r
            join phenomenon as p on p.code = r.phenomenon_code
            join logistics_node as n on n.code = r.node_code
            left join municipality as m on m.gm_code = n.municipality_code
            where r.origin_node_code is not null and p.category = any(:categories)
              and {clause}
            group by 1, 2, 3
        )

        select a.origin_node_code as origin_code, o.name as origin_name,
               o.country as origin_country, o.lat as origin_lat, o.lon as origin_lon,
               a.node_code, n.name as node_name, n.lat as node_lat, n.lon as node_lon,
               a.flow_kind, a.signals, a.amount_eur
        from arcs as a
        join logistics_node as o on o.code = a.origin_node_code
        join logistics_node as n on n.code = a.node_code
        order by a.amount_eur desc, a.signals desc, 1, 6, 10
        """  # noqa: S608 - the clause is built from column constants; values are bound
    )
    df = frame(conn.execute(sql, params), FLOW_COLUMNS)
    df["amount_eur"] = df["amount_eur"].astype(float)
    out = _guard(df, viewer, ("amount_eur",))
    if needs_suppression(viewer):  # the order must not reveal the size of withheld cells
        out = out.sort_values(
            ["signals", "origin_code", "node_code", "flow_kind"],
            ascending=[False, True, True, True],
            na_position="last",
            ignore_index=True,
        )
    return out
