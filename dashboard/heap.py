"""The app process's long-lived objects kept out of the way of Python's garbage collector.

Every page run allocates tens of thousands of objects (query rows, frames, chart specs), so
Python's cyclic collector runs often, and every so often a full collection walks every object
the process holds: Streamlit, pandas, Altair, pydeck, SQLAlchemy and this project's modules,
hundreds of thousands of objects that live as long as the process. Each such pass took ~45-50 ms
(measured at 10M signals: one run in five of the facilitator ranking's query took 115-128 ms
instead of 72), landing on whichever page happened to run, in every session of the process.

`settle` imports what the pages import (a page is a script, run on its first visit), collects
once, and moves everything alive into the permanent generation (`gc.freeze`): later collections
walk only what was created after it. The collector still runs for those (Streamlit's own
collection after each script run stays off: streamlit_config/config.toml). What was alive at
that moment is never collected as a cycle; it is the process's startup state, kept anyway."""

from __future__ import annotations

import gc
import importlib

# Every module a page in pages/ imports (tests/unit/test_heap.py keeps this list complete).
PAGE_IMPORTS = (
    "altair",
    "pandas",
    "streamlit",
    "dashboard.briefing_ui",
    "dashboard.charts",
    "dashboard.coverage_ui",
    "dashboard.data",
    "dashboard.definitions",
    "dashboard.export_ui",
    "dashboard.filters_ui",
    "dashboard.graph",
    "dashboard.heatmap_ui",
    "dashboard.i18n",
    "dashboard.indicator_ui",
    "dashboard.map_view",
    "dashboard.maps",
    "dashboard.ranking",
    "dashboard.ranking_charts",
    "dashboard.shell",
    "warehouse.audit",
    "warehouse.db",
    "warehouse.entity_counts",
    "warehouse.filters",
    "warehouse.ingest.decisions",
    "warehouse.ingest.load",
    "warehouse.ingest.report",
    "warehouse.queries.audit_trail",
    "warehouse.queries.deliveries",
    "warehouse.queries.entity",
    "warehouse.queries.facilitators",
    "warehouse.queries.geo",
    "warehouse.queries.heatmaps",
    "warehouse.queries.indicators",
    "warehouse.queries.matches",
    "warehouse.queries.status",
    "warehouse.scoring",
    "warehouse.settings",
    "warehouse.viewer",
)


def settle(modules: tuple[str, ...] = PAGE_IMPORTS) -> int:
    """Import these modules, collect, and freeze what is alive; returns how many objects are
    frozen. Once per process (the app: a cached resource; the benchmark: before it times)."""
    for name in modules:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
