"""Every query function the app can call, with the arguments to call it with. The isolation
tests run each of them for analysts of several agencies, with hostile filters, and prove they
return nothing an agency may not see. A new query function must be added here (a test checks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from warehouse.filters import Filters
from warehouse.queries import (
    audit_trail,
    briefing,
    coverage,
    deliveries,
    entity,
    export_rows,
    facilitators,
    geo,
    heatmaps,
    indicators,
    matches,
    reference,
    status,
)
from warehouse.scoring import Weights
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
# Entity 1 is a network member reported under many audiences in the small seed.
ENTITY: Callable[[Filters], dict[str, Any]] = lambda f: {"entity_id": 1}  # noqa: E731
# Entities visible to some agencies and not to others (names are looked up for shown rows).
ENTITY_IDS = tuple(range(1, 3001))


def _streamed(**kwargs: Any) -> list:
    """A streaming query function, collected (a generator object compares by identity)."""
    return [row for batch in export_rows.stream_signal_rows(**kwargs) for row in batch]


def _copied(**kwargs: Any) -> list:
    """The COPY-streamed export, as its CSV lines."""
    data = b"".join(chunk for _, chunk in export_rows.stream_signal_csv(**kwargs))
    return data.decode("utf-8").split("\r\n")


ALL_SIGNAL_COLUMNS = tuple(export_rows.SIGNAL_COLUMNS)

CATALOGUE: dict[str, Call] = {
    "status.agency_coverage": (status.agency_coverage, NO_ARGS),
    "status.monthly_deliveries": (status.monthly_deliveries, NO_ARGS),
    "status.phenomenon_by_agency": (status.phenomenon_by_agency, NO_ARGS),
    "status.rollup_freshness": (status.rollup_freshness, NO_ARGS),
    "status.totals": (status.totals, NO_ARGS),
    "status.latest_signals": (status.latest_signals, lambda f: {"limit": 100}),
    "reference.filter_options": (reference.filter_options, NO_ARGS),
    "coverage.coverage": (coverage.coverage, WITH_FILTERS),
    "deliveries.delivery_batches": (deliveries.delivery_batches, NO_ARGS),
    "deliveries.quarantine_reasons": (deliveries.quarantine_reasons, lambda f: {"batch_id": 1}),
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
    "export_rows.stream_signal_rows": (
        _streamed,
        lambda f: {"filters": f, "columns": ALL_SIGNAL_COLUMNS, "limit": 2_000_000},
    ),
    "export_rows.stream_signal_csv": (
        _copied,
        lambda f: {"filters": f, "columns": ALL_SIGNAL_COLUMNS, "limit": 2_000_000},
    ),
    "export_rows.signal_rows": (
        export_rows.signal_rows,
        lambda f: {"filters": f, "columns": ALL_SIGNAL_COLUMNS, "limit": 100_000},
    ),
    "export_rows.signal_count": (export_rows.signal_count, WITH_FILTERS),
    "export_rows.signal_aggregate": (export_rows.signal_aggregate, WITH_FILTERS),
    "briefing.headline": (briefing.headline, WITH_FILTERS),
    "briefing.phenomenon_by_region": (briefing.phenomenon_by_region, WITH_FILTERS),
    "briefing.added_value": (briefing.added_value, WITH_FILTERS),
    "facilitators.facilitator_components": (facilitators.facilitator_components, WITH_FILTERS),
    "facilitators.facilitator_ranking": (
        facilitators.facilitator_ranking,
        lambda f: {"filters": f, "weights": Weights(money=1.0), "half_life_days": 90},
    ),
    "facilitators.ranking_components": (
        facilitators.ranking_components,
        lambda f: {"filters": f, "half_life_days": 90},
    ),
    "facilitators.previous_components": (
        facilitators.previous_components,
        lambda f: {"filters": f, "half_life_days": 90},
    ),
    "facilitators.category_summary": (facilitators.category_summary, WITH_FILTERS),
    "facilitators.entity_names": (facilitators.entity_names, lambda f: {"ids": ENTITY_IDS}),
    "facilitators.facilitator_categories": (facilitators.facilitator_categories, NO_ARGS),
    "geo.hexagons": (geo.hexagons, WITH_FILTERS),
    "geo.hexagons_r5": (geo.hexagons, lambda f: {"filters": f, "resolution": 5}),
    "geo.nodes": (geo.nodes, WITH_FILTERS),
    "geo.flows": (geo.flows, WITH_FILTERS),
    "entity.entity_profile": (entity.entity_profile, ENTITY),
    "entity.entity_timeline": (entity.entity_timeline, ENTITY),
    "entity.entity_agencies": (entity.entity_agencies, ENTITY),
    "entity.entity_networks": (entity.entity_networks, ENTITY),
    "entity.linked_entities": (entity.linked_entities, ENTITY),
    "entity.entity_interventions": (entity.entity_interventions, ENTITY),
    "matches.open_proposals": (matches.open_proposals, lambda f: {"limit": 200}),
    "matches.open_proposal_count": (matches.open_proposal_count, NO_ARGS),
    "matches.recent_decisions": (matches.recent_decisions, lambda f: {"limit": 200}),
    "matches.proposal": (matches.proposal, lambda f: {"match_id": 1}),
    # and every other proposal of the small seed (15), one at a time
    **{
        f"matches.proposal_{i}": (matches.proposal, lambda f, i=i: {"match_id": i})
        for i in range(2, 17)
    },
}
