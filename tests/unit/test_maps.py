"""The map's layers as JSON: plain values (no NaN, which browsers reject) and pydeck's own
JSON written compactly."""

from __future__ import annotations

import json
import sys
from decimal import Decimal

import numpy as np
import pandas as pd
import pydeck as pdk
import pytest

from dashboard import maps


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "cell": ["87194d900ffffff", "87194d901ffffff"],
            "signals": [133, 7],
            "amount_eur": [11377539.67, np.nan],
            "high": pd.array([54, None], dtype="Int64"),
            "label": ["Vlissingen", None],
            "suppressed": [False, True],
            "color": maps._objects([[253, 141, 60, 190], [200, 200, 200, 160]], pd.RangeIndex(2)),
        }
    )


def test_records_are_plain_values_with_none_for_what_is_missing():
    got = maps.records(_frame())
    assert got == [
        {
            "cell": "87194d900ffffff",
            "signals": 133,
            "amount_eur": 11377539.67,
            "high": 54,
            "label": "Vlissingen",
            "suppressed": False,
            "color": [253, 141, 60, 190],
        },
        {
            "cell": "87194d901ffffff",
            "signals": 7,
            "amount_eur": None,
            "high": None,
            "label": None,
            "suppressed": True,
            "color": [200, 200, 200, 160],
        },
    ]
    plain = (int, float, str, bool, list, type(None))
    assert all(type(v) in plain for row in got for v in row.values())
    json.dumps(got, allow_nan=False)
    assert maps.records(_frame().iloc[:0]) == []


def test_records_turn_the_database_s_decimals_into_numbers():
    # PostgreSQL's sums come as decimals in a column of objects; pydeck would send them as text
    sums = pd.DataFrame({"signals": [Decimal("2"), Decimal("2.5"), None, Decimal("NaN")]})
    got = maps.records(sums)
    assert got == [{"signals": 2}, {"signals": 2.5}, {"signals": None}, {"signals": None}]
    assert [type(r["signals"]) for r in maps.records(sums)[:2]] == [int, float]


class _Attempts:
    """A finder that counts the attempts to import pydeck's Jupyter widget and finds nothing
    (the finders after it do the importing)."""

    def __init__(self) -> None:
        self.count = 0

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pydeck.widget":
            self.count += 1


def test_a_deck_asks_for_pydeck_s_jupyter_widget_once_per_process(monkeypatch):
    attempts = _Attempts()
    monkeypatch.setattr(sys, "meta_path", [attempts, *sys.meta_path])
    if "pydeck.widget" in sys.modules:
        pytest.skip("pydeck's Jupyter widget imports here (ipywidgets installed): nothing to ask")
    layers = [pdk.Layer("H3HexagonLayer", maps.records(_frame()), id="hexagons")]
    for _ in range(3):
        maps.deck(layers, maps.MapSettings())
    # pydeck asks when a deck is made and for each attribute it sets: a failed import each
    # time, searched for anew, without the answer kept by dashboard/maps.py
    assert attempts.count <= 1


def test_the_compact_deck_is_pydeck_s_json_without_the_whitespace():
    def layers() -> list[pdk.Layer]:
        return [
            pdk.Layer("H3HexagonLayer", maps.records(_frame()), id="hexagons", get_hexagon="cell"),
            pdk.Layer("TextLayer", [{"position": [4.5, 52.1], "label": "Den Haag"}], id="places"),
        ]

    view = pdk.ViewState(latitude=52.2, longitude=5.3, zoom=6.5)
    tooltip = {"html": "<b>{label}</b>"}
    compact = maps.CompactDeck(
        layers=layers(), initial_view_state=view, map_provider=None, tooltip=tooltip
    ).to_json()
    pydeck = pdk.Deck(
        layers=layers(), initial_view_state=view, map_provider=None, tooltip=tooltip
    ).to_json()
    assert json.loads(compact) == json.loads(pydeck)
    assert "\n" not in compact and len(compact) < 0.8 * len(pydeck)
    assert json.loads(compact)["layers"][0]["data"][1]["amount_eur"] is None
