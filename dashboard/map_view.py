"""The map page's deck as the page draws it: the hexagons, ports and flows read for the viewer,
their tooltips in the reader's language, the layers chosen, written as the deck's JSON, and
that JSON cached per agency, role, filters, choices and language.

Building the deck (a colour and a tooltip per hexagon, the layers' rows as plain values, the
JSON) was about a quarter of the app server's time under the benchmark's twenty sessions
(docs/performance.md, "Twenty-fourth session"), although its three reads came from the cache:
every analyst of an agency opening the map with the same filters got the same JSON built anew.
A year's map at 10M signals is ~0.5 MB of JSON: at most 50 of them, for five minutes, as the
reads."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pydeck as pdk
import streamlit as st

from dashboard import maps
from dashboard.data import cached_read, per_viewer
from dashboard.i18n import fmt_eur, fmt_int, t
from warehouse.filters import Filters
from warehouse.queries import geo
from warehouse.viewer import Viewer


@dataclass(frozen=True)
class MapChoice:
    """What the map page's controls chose: the hexagons' measure and resolution, the flows'
    kind, the layers shown and the view (the Netherlands or the world)."""

    metric: str = "signals"
    resolution: int = 7
    kind: str = "all"
    layers: tuple[str, ...] = maps.LAYER_IDS
    world: bool = False


@dataclass(frozen=True)
class MapFrames:
    """The map's three reads for a viewer: hexagons, ports and airports, flows."""

    cells: pd.DataFrame
    ports: pd.DataFrame
    arcs: pd.DataFrame


def frames(viewer: Viewer, filters: Filters, choice: MapChoice) -> MapFrames:
    """The three reads, from the app's read cache."""
    ports, arcs = ports_and_flows(viewer, filters, choice)
    cells = cached_read(viewer, geo.hexagons, filters=filters, resolution=choice.resolution)
    return MapFrames(cells=cells, ports=ports, arcs=arcs)


def ports_and_flows(
    viewer: Viewer, filters: Filters, choice: MapChoice
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ports and airports, and the flows (the page's tables), from the app's read cache."""
    ports = cached_read(viewer, geo.nodes, filters=filters)
    kind = None if choice.kind == "all" else choice.kind
    return ports, cached_read(viewer, geo.flows, filters=filters, kind=kind)


def count(value: object, lang: str, k: int) -> str:
    """A count as shown, `< k` where it was suppressed."""
    return f"< {k}" if pd.isna(value) else fmt_int(float(value), lang)  # type: ignore[call-overload,arg-type]


def euro(value: object, lang: str) -> str:
    return "–" if pd.isna(value) else fmt_eur(float(value), lang)  # type: ignore[call-overload,arg-type]


def flow_label(arcs: pd.DataFrame) -> list[str]:
    return [f"{o} → {n}" for o, n in zip(arcs["origin_name"], arcs["node_name"], strict=True)]


def with_tooltips(data: MapFrames, lang: str, k: int) -> MapFrames:
    """The frames with each row's tooltip: `label` (bold) and `detail`."""
    cells, ports, arcs = data.cells, data.ports, data.arcs
    cells = cells.assign(
        label=[
            m if isinstance(m, str) else t("abroad_or_unknown", lang) for m in cells["municipality"]
        ],
        detail=[
            f"{t('signals', lang)}: {count(s, lang, k)} · {t('amount_eur', lang)}: "
            f"{euro(a, lang)} · {t('high_severity', lang)}: "
            f"{count(h, lang, k) if not pd.isna(s) else '–'}"
            for s, a, h in zip(
                cells["signals"], cells["amount_eur"], cells["high_severity"], strict=True
            )
        ],
    )
    ports = ports.assign(
        label=[
            f"{n} ({t('node_' + nt, lang)})"
            for n, nt in zip(ports["name"], ports["node_type"], strict=True)
        ],
        detail=[
            f"{m} · {t('signals', lang)}: {count(s, lang, k)} · {t('amount_eur', lang)}: "
            f"{euro(a, lang)}"
            for m, s, a in zip(
                ports["municipality"], ports["signals"], ports["amount_eur"], strict=True
            )
        ],
    )
    arcs = arcs.assign(
        label=flow_label(arcs),
        detail=[
            f"{t('flows_' + fk, lang)} · {t('signals', lang)}: {count(s, lang, k)} · "
            f"{t('amount_eur', lang)}: {euro(a, lang)}"
            for fk, s, a in zip(arcs["flow_kind"], arcs["signals"], arcs["amount_eur"], strict=True)
        ],
    )
    return MapFrames(cells=cells, ports=ports, arcs=arcs)


def deck_json(
    data: MapFrames, choice: MapChoice, settings: maps.MapSettings, lang: str, k: int
) -> str:
    """The deck's JSON for these frames and choices (no cache)."""
    shown = with_tooltips(data, lang, k)
    layers = []
    if "hexagons" in choice.layers:
        layers.append(maps.hexagon_layer(shown.cells, choice.metric))
    if "flows" in choice.layers:
        layers.append(maps.flow_layer(shown.arcs))
    if "nodes" in choice.layers:
        layers.append(maps.node_layer(shown.ports))
    if "places" in choice.layers:
        layers.append(maps.place_layer(maps.place_labels(shown.cells)))
    return maps.deck(layers, settings, world=choice.world).to_json()


@dataclass(frozen=True)
class PreparedMap:
    """The deck's JSON, and whether a hexagon or port on it is grey (fewer than k signals)."""

    text: str
    suppressed: bool


def prepared(
    data: MapFrames, choice: MapChoice, settings: maps.MapSettings, lang: str, k: int
) -> PreparedMap:
    """`deck_json` and the grey cells' flag (no cache)."""
    grey = bool(data.cells["suppressed"].any() or data.ports["suppressed"].any())
    return PreparedMap(text=deck_json(data, choice, settings, lang, k), suppressed=grey)


def cached_deck(
    viewer: Viewer,
    filters: Filters,
    choice: MapChoice,
    settings: maps.MapSettings,
    lang: str,
    k: int,
) -> tuple[pdk.Deck, bool]:
    """The deck for this viewer, filters and choices, its JSON written once per agency, role,
    filters, choices, map settings and language for five minutes; and whether a hexagon or port
    on it is grey (the page then explains grey)."""
    out = per_viewer(
        _prepared, viewer, filters=filters, choice=choice, settings=settings, lang=lang, k=k
    )
    return maps.prepared_deck(out.text, settings, world=choice.world), out.suppressed


@st.cache_data(ttl=300, max_entries=50, show_spinner=False)
def _prepared(
    agency: str,
    role: str,
    filters: Filters,
    choice: MapChoice,
    settings: maps.MapSettings,
    lang: str,
    k: int,
    _viewer: Viewer,
) -> PreparedMap:
    # agency, role, filters, choice, settings, language and k are the cache key; the viewer is
    # not hashed (its agency and role are what a read depends on: warehouse/scoped.py)
    return prepared(frames(_viewer, filters, choice), choice, settings, lang, k)
