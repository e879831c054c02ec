"""Every query function the app can call, with the arguments to call it with. The isolation
tests run each of them for analysts of several agencies, with hostile filters, and prove they
return nothing an agency may not see. A new query function must be added here (a test checks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from warehouse.filters import Filters
from warehouse.queries import audit_trail, coverage, heatmaps, indicators, reference, status
from warehouse.settings import agencies

ALL_AGENCIES = tuple(a.code for a in agencies())

# Filters an attacker (or a mangled link) might send; the database must hold regardless.
HOSTILE_FILTERS: tuple[Filters, ...] = (
    Filters(),
    Filters(agencies=ALL_AGENCIES),
    Filters(handling=("H2", "H3")),
    Filters(phenomena=("'; drop table signal; --",), regions=("OB' or '1'='1",)),
    Filters(start=dt.date(1900, 1, 1), end=dt.date(2999, 12, 1), municipalities=("GM0599",)),
)

Call = tuple[Callable[..., Any], Callable[[Filters], dict[str, Any]]]
# Columns that differ between two loads of the same data for reasons other than visibility.
VOLATILE = {"refreshed_at", "loaded_at"}

NO_ARGS: Callable[[Filters], dict[str, Any]] = lambda f: {}  # noqa: E731
WITH_FILTERS: Callable[[Filters], dict[str, Any]] = lambda f: {"filters": f}  # noqa: E731

CATALOGUE: dict[str, Call] = {
    "status.agency_coverage": (status.agency_coverage, NO_ARGS),
    "status.monthly_deliveries": (status.monthly_deliveries, NO_ARGS),
    "status.phenomenon_by_agency": (status.phenomenon_by_agency, NO_ARGS),
    "status.rollup_freshness": (status.rollup_freshness, NO_ARGS),
    "status.totals": (status.totals, NO_ARGS),
    "status.latest_signals": (status.latest_signals, lambda f: {"limit": 100}),
    "reference.filter_options": (reference.filter_options, NO_ARGS),
    "coverage.coverage": (coverage.coverage, WITH_FILTERS),
    "heatmaps.heatmap": (heatmaps.heatmap, WITH_FILTERS),
    "heatmaps.heatmap_change": (
        heatmaps.heatmap_change,
        lambda f: {"filters": f, "axis": "month"},
    ),
    "heatmaps.cell_signals": (
        heatmaps.cell_signals,
        lambda f: {"filters": f, "phenomenon": "VIO_EXPLOSION", "region": "OB"},
    ),
    "indicators.indicator_series": (indicators.indicator_series, WITH_FILTERS),
    "indicators.current_anomalies": (indicators.current_anomalies, WITH_FILTERS),
    "indicators.indicator_kpis": (indicators.indicator_kpis, WITH_FILTERS),
    "audit_trail.audit_entries": (
        audit_trail.audit_entries,
        lambda f: {"viewer_contains": "x' or 1=1"},
    ),
}
