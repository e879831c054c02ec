"""Map settings (streamlit_config/map.toml) and pydeck builders: pure functions of the query
frames, so the same map can be drawn on any page. No basemap by default: the deck is drawn on a
plain background and makes no network calls (closed networks)."""

from __future__ import annotations

import functools
import json
import math
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import h3
import pandas as pd
import pydeck as pdk
from pydeck.bindings import deck as deck_bindings
from pydeck.bindings.json_tools import default_serialize

from warehouse.settings import get_settings

# pydeck's Deck asks whether its Jupyter widget can be imported when it is made and again for
# each attribute it sets; without ipywidgets that import fails, and a failed import searches
# the disk anew each time (~1 ms a map on a quiet server, ~5 ms under twenty sessions). The
# answer cannot change while the app runs: asked once.
deck_bindings.has_jupyter_extra = functools.cache(deck_bindings.has_jupyter_extra)

PROVIDERS = ("none", "carto", "mapbox", "google_maps")
LAYER_IDS = ("hexagons", "nodes", "flows", "places")
# Light yellow to dark red: intensity reads without a legend.
RAMP = [(255, 237, 160), (254, 178, 76), (253, 141, 60), (240, 59, 32), (189, 0, 38)]
SUPPRESSED_COLOR = [180, 180, 180, 120]
FLOW_COLORS = {"smuggling": [21, 66, 115], "money": [0, 137, 123]}


@dataclass(frozen=True)
class MapSettings:
    provider: str = "none"
    style: str = "light"
    lat: float = 52.15
    lon: float = 5.25
    zoom: float = 6.4

    @property
    def offline(self) -> bool:
        return self.provider == "none"


def map_settings() -> MapSettings:
    """[map] from <config_dir>/map.toml; defaults (offline) when absent or unusable."""
    path = get_settings().config_dir / "map.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8")).get("map", {})
    except (OSError, tomllib.TOMLDecodeError):
        return MapSettings()
    provider = str(raw.get("provider", "none"))
    return MapSettings(
        provider=provider if provider in PROVIDERS else "none",
        style=str(raw.get("style", "light")),
        lat=float(raw.get("lat", 52.15)),
        lon=float(raw.get("lon", 5.25)),
        zoom=float(raw.get("zoom", 6.4)),
    )


def color(value: float, top: float) -> list[int]:
    """A colour on the ramp for value in 0..top (log scale: a few hot cells should not wash
    out the rest)."""
    if top <= 0 or value <= 0:
        return [*RAMP[0], 160]
    share = math.log1p(value) / math.log1p(top)
    index = min(len(RAMP) - 1, int(share * (len(RAMP) - 1) + 0.5))
    return [*RAMP[index], 190]


def _clean(value: Any) -> Any:
    """JSON-safe: NaN and NA become None (pydeck would send NaN, which browsers reject), numpy
    scalars and decimals (PostgreSQL's sums) plain numbers (pydeck would send a decimal as a
    string)."""
    if value is None or isinstance(value, str | list | dict):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return int(value) if value == value.to_integral_value() else float(value)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    return value.item() if hasattr(value, "item") else value


def _objects(values: list, index: pd.Index) -> pd.Series:
    """A column of lists (colours), which pandas would otherwise try to broadcast."""
    return pd.Series(values, index=index, dtype=object)


def _plain(column: pd.Series) -> list[Any]:
    """A column as plain Python values, missing ones as None: typed columns converted whole by
    pandas, columns of objects (decimals, colours) a value at a time. (pandas takes
    na_value=None; its type stubs do not admit it.)"""
    if column.dtype == object:
        return [_clean(v) for v in column]
    return column.to_numpy(dtype=object, na_value=None).tolist()  # type: ignore[call-overload]


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as plain Python values, missing ones as None: column by column (a cell at a
    time cost a fifth of the map page's time; a frame of objects made from the typed columns,
    another tenth)."""
    if df.empty:
        return []
    names = [str(c) for c in df.columns]
    columns = [_plain(df[c]) for c in df.columns]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def hexagon_layer(cells: pd.DataFrame, metric: str) -> pdk.Layer:
    """cells: the hexagons frame plus `label` and `detail` strings for the tooltip."""
    values = cells[metric].astype("Float64").fillna(0).astype(float)
    top = float(values.max()) if len(values) else 0.0
    data = cells.assign(
        color=_objects(
            [
                SUPPRESSED_COLOR if s else color(v, top)
                for v, s in zip(values, cells["suppressed"], strict=True)
            ],
            cells.index,
        )
    )
    return pdk.Layer(
        "H3HexagonLayer",
        records(data),
        id="hexagons",
        get_hexagon="cell",
        get_fill_color="color",
        get_line_color=[255, 255, 255, 80],
        line_width_min_pixels=0.5,
        extruded=False,
        pickable=True,
        auto_highlight=True,
    )


def node_layer(ports: pd.DataFrame) -> pdk.Layer:
    signals = ports["signals"].astype("Float64").fillna(0).astype(float)
    top = float(signals.max()) if len(signals) else 0.0
    data = ports.assign(
        radius=[1500 + 9000 * math.sqrt(s / top) if top else 1500 for s in signals],
        color=_objects(
            [
                [21, 66, 115, 220] if t == "seaport" else [123, 31, 162, 220]
                for t in ports["node_type"]
            ],
            ports.index,
        ),
    )
    return pdk.Layer(
        "ScatterplotLayer",
        records(data),
        id="nodes",
        get_position=["lon", "lat"],
        get_radius="radius",
        get_fill_color="color",
        get_line_color=[255, 255, 255],
        line_width_min_pixels=1,
        stroked=True,
        pickable=True,
        auto_highlight=True,
    )


def flow_layer(arcs: pd.DataFrame) -> pdk.Layer:
    weight = arcs["signals"].astype("Float64").fillna(1).astype(float)
    top = float(weight.max()) if len(weight) else 0.0
    data = arcs.assign(
        width=[1 + 5 * math.sqrt(w / top) if top else 1 for w in weight],
        color=_objects(
            [[*FLOW_COLORS.get(k, [90, 90, 90]), 200] for k in arcs["flow_kind"]], arcs.index
        ),
    )
    return pdk.Layer(
        "ArcLayer",
        records(data),
        id="flows",
        get_source_position=["origin_lon", "origin_lat"],
        get_target_position=["node_lon", "node_lat"],
        get_source_color="color",
        get_target_color="color",
        get_width="width",
        pickable=True,
        auto_highlight=True,
    )


def place_labels(cells: pd.DataFrame, limit: int = 30) -> pd.DataFrame:
    """Municipality names at their busiest cell, for orientation without a basemap."""
    if cells.empty:
        return pd.DataFrame(columns=["name", "lat", "lon"])
    ranked = cells.dropna(subset=["municipality"]).assign(
        weight=cells["signals"].astype("Float64").fillna(0)
    )
    busiest = ranked.sort_values("weight", ascending=False).drop_duplicates("municipality")
    rows = []
    for name, cell in zip(busiest["municipality"][:limit], busiest["cell"][:limit], strict=False):
        lat, lon = h3.cell_to_latlng(cell)
        rows.append({"name": name, "lat": lat, "lon": lon})
    return pd.DataFrame(rows, columns=["name", "lat", "lon"])


def place_layer(places: pd.DataFrame) -> pdk.Layer:
    return pdk.Layer(
        "TextLayer",
        records(places),
        id="places",
        get_position=["lon", "lat"],
        get_text="name",
        get_size=12,
        get_color=[40, 40, 40, 230],
        get_pixel_offset=[0, -14],
        pickable=False,
    )


class CompactDeck(pdk.Deck):
    """A pydeck Deck whose JSON is written compactly: pydeck indents it, which makes Python's
    json module use its pure-Python encoder (a fifth of the map page's time) and sends the
    browser the whitespace too. The same objects, the same JSON values."""

    prepared: str | None = None  # the JSON written before (`prepared_deck`)

    def to_json(self) -> str:
        if self.prepared is not None:
            return self.prepared
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def deck(layers: list[pdk.Layer], settings: MapSettings, *, world: bool = False) -> CompactDeck:
    view = (
        pdk.ViewState(latitude=25.0, longitude=-35.0, zoom=1.6)
        if world
        else pdk.ViewState(latitude=settings.lat, longitude=settings.lon, zoom=settings.zoom)
    )
    tooltip = {
        "html": "<b>{label}</b><br/>{detail}",
        "style": {"backgroundColor": "#154273", "color": "white", "fontSize": "12px"},
    }
    if settings.offline:
        return CompactDeck(
            layers=layers, initial_view_state=view, map_provider=None, tooltip=tooltip
        )
    return CompactDeck(
        layers=layers,
        initial_view_state=view,
        map_provider=settings.provider,
        map_style=settings.style,
        tooltip=tooltip,
    )


def prepared_deck(text: str, settings: MapSettings, *, world: bool = False) -> CompactDeck:
    """A deck whose JSON was written before (`deck(...).to_json()`, kept by the app's cache:
    dashboard/map_view.py), for st.pydeck_chart: it takes the JSON, the tooltip and the map
    provider's key from the deck."""
    out = deck([], settings, world=world)
    out.prepared = text
    return out


def selected_places(selection: Any) -> list[tuple[str, str | None]]:
    """(municipality code, region code) of the hexagons and ports picked on the map."""
    objects: dict = {}
    if isinstance(selection, dict) or hasattr(selection, "get"):
        objects = selection.get("objects", {}) or {}
    out = []
    for layer in ("hexagons", "nodes"):
        for obj in objects.get(layer, []) or []:
            code = obj.get("municipality_code") if hasattr(obj, "get") else None
            if code:
                out.append((str(code), obj.get("region_code")))
    return list(dict.fromkeys(out))
