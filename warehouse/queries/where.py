"""Filters as a bound-parameter WHERE clause (never string-built from values)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from warehouse.filters import Filters


@dataclass(frozen=True)
class Columns:
    """Which columns of the queried relation hold each filtered dimension (None: not filterable
    there, the filter is then ignored by this relation)."""

    month: str | None = "month"
    region: str | None = "region_code"
    municipality: str | None = "municipality_code"
    phenomenon: str | None = "phenomenon_code"
    agency: str | None = "owner_agency"
    handling: str | None = "handling_code"


def where(filters: Filters, cols: Columns = Columns()) -> tuple[str, dict[str, object]]:
    """("a and b …", params); "true" when nothing is filtered. Column names come from Columns
    (code), values only ever as parameters."""
    parts: list[str] = []
    params: dict[str, object] = {}
    if cols.month and filters.start:
        parts.append(f"{cols.month} >= :f_start")
        params["f_start"] = filters.start
    if cols.month and filters.end:
        parts.append(f"{cols.month} <= :f_end")
        params["f_end"] = filters.end
    for col, values, name in (
        (cols.region, filters.regions, "f_regions"),
        (cols.municipality, filters.municipalities, "f_municipalities"),
        (cols.phenomenon, filters.phenomena, "f_phenomena"),
        (cols.agency, filters.agencies, "f_agencies"),
        (cols.handling, filters.handling, "f_handling"),
    ):
        if col and values:
            parts.append(f"{col} = any(:{name})")
            params[name] = list(values)
    return (" and ".join(parts) or "true"), params


def signal_rollup(filters: Filters, alias: str = "") -> tuple[str, Columns]:
    """The rollup of signal counts that answers these filters with the fewest rows, and its
    columns (prefixed with `alias.`): the viewer's own rows of rollup_viewer_month (migration
    0008), unless municipalities are filtered, which only rollup_signal_month knows."""
    p = f"{alias}." if alias else ""
    cols = Columns(
        month=f"{p}month",
        region=f"{p}region_code",
        municipality=f"{p}municipality_code",
        phenomenon=f"{p}phenomenon_code",
        agency=f"{p}owner_agency",
        handling=f"{p}handling_code",
    )
    if filters.municipalities:
        return "rollup_signal_month", cols
    return "rollup_viewer_month", replace(cols, municipality=None)


CELL_ROLLUP = "rollup_viewer_cell_month"


def cell_rollup(filters: Filters, alias: str = "") -> tuple[str, Columns]:
    """The rollup of signal counts per heatmap cell (month, phenomenon, region) that answers
    these filters: the viewer's own rows of rollup_viewer_cell_month (migration 0018: owners as
    a bit mask `agency_bits`, no handling code), unless owners, handling codes or
    municipalities are filtered; then `signal_rollup`'s, which keep the owner per row."""
    source, cols = signal_rollup(filters, alias)
    if filters.agencies or filters.handling or filters.municipalities:
        return source, cols
    return CELL_ROLLUP, replace(cols, municipality=None, agency=None, handling=None)


NODE_COLS = Columns(
    month="r.month",
    region="m.region_code",
    municipality="n.municipality_code",
    phenomenon="r.phenomenon_code",
    agency="r.owner_agency",
    handling="r.handling_code",
)


def node_rollup(filters: Filters) -> tuple[str, Columns]:
    """The rollup of signals at Dutch nodes that answers these filters (aliased `r`, joined to
    the node `n` and its municipality `m`): the viewer's own rows of rollup_node_viewer_month
    (migration 0019, no owner or handling code in its grain), unless one of those is filtered,
    which only rollup_node_month knows."""
    if filters.agencies or filters.handling:
        return "rollup_node_month", NODE_COLS
    return "rollup_node_viewer_month", replace(NODE_COLS, agency=None, handling=None)


def h3_rollup(filters: Filters) -> tuple[str, Columns]:
    """The hexagon rollup that answers these filters: the viewer's own rows of
    rollup_h3_viewer_month (migration 0012, no phenomenon, owner or handling code in its grain),
    unless one of those is filtered, which only rollup_h3_month knows."""
    if filters.phenomena or filters.agencies or filters.handling:
        return "rollup_h3_month", Columns()
    return "rollup_h3_viewer_month", Columns(phenomenon=None, agency=None, handling=None)
