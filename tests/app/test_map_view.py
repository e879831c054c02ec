"""dashboard/map_view.py: the map's deck, its JSON written once per agency, role, filters,
choices, map settings and language."""

from __future__ import annotations

import dataclasses
import json

from dashboard import map_view, maps
from tests.conftest import make_viewer
from warehouse.filters import Filters

EVERYTHING = Filters()
K = 10


def _layers(text: str) -> dict[str, list]:
    return {layer["id"]: layer["data"] for layer in json.loads(text)["layers"]}


def test_the_deck_is_written_once_per_agency_role_filters_choice_and_language(app_env, monkeypatch):
    settings = maps.MapSettings()
    politie, douane = make_viewer("politie"), make_viewer("douane")
    choice = map_view.MapChoice()
    direct = map_view.deck_json(
        map_view.frames(politie, EVERYTHING, choice), choice, settings, "nl", K
    )
    written: list[tuple[map_view.MapChoice, str]] = []
    write = map_view.deck_json

    def counted(data, choice, settings, lang, k):
        written.append((choice, lang))
        return write(data, choice, settings, lang, k)

    monkeypatch.setattr(map_view, "deck_json", counted)

    def deck(viewer, filters, choice, lang, k=K):
        return map_view.cached_deck(viewer, filters, choice, settings, lang, k)[0]

    first = deck(politie, EVERYTHING, choice, "nl")
    again = deck(make_viewer("politie", subject="another-analyst"), EVERYTHING, choice, "nl")
    assert len(written) == 1  # a second analyst of the agency gets the JSON written already
    assert first.to_json() == again.to_json() == direct
    # what st.pydeck_chart takes from the deck besides its JSON
    assert first._tooltip == maps.deck([], settings)._tooltip  # type: ignore[attr-defined]
    hexagons = _layers(direct)["hexagons"]
    assert hexagons and all(h["label"] and "Signalen" in h["detail"] for h in hexagons)

    # another agency, language, choice or set of filters: each its own
    theirs = deck(douane, EVERYTHING, choice, "nl")
    english = deck(politie, EVERYTHING, choice, "en")
    two_layers = deck(
        politie, EVERYTHING, dataclasses.replace(choice, layers=("hexagons", "nodes")), "nl"
    )
    rotterdam = deck(politie, Filters(regions=("RTM",)), choice, "nl")
    assert len(written) == 5
    assert theirs.to_json() != direct
    assert "Signals" in _layers(english.to_json())["hexagons"][0]["detail"]
    assert set(_layers(two_layers.to_json())) == {"hexagons", "nodes"}
    assert len(_layers(rotterdam.to_json())["hexagons"]) < len(hexagons)
    assert written[-1] == (choice, "nl")


def test_the_map_says_whether_a_cell_or_port_is_grey(app_env):
    settings, choice = maps.MapSettings(), map_view.MapChoice()
    for viewer in (make_viewer("politie"), make_viewer("kmar", "manager")):
        data = map_view.frames(viewer, EVERYTHING, choice)
        grey = bool(data.cells["suppressed"].any() or data.ports["suppressed"].any())
        assert map_view.cached_deck(viewer, EVERYTHING, choice, settings, "nl", K)[1] is grey
    assert grey  # the manager's map has cells with fewer than k signals
