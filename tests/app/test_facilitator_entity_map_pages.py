"""Smoke tests of the facilitator, entity and map pages with AppTest."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from tests.app.conftest import claims, new_app, open_page, texts


def last_audit(warehouse, action: str):
    with warehouse.engine.connect() as conn:
        return conn.execute(
            text(
                "select viewer, details from audit_log where action = :a order by chain_seq desc "
                "limit 1"
            ),
            {"a": action},
        ).one()


def test_facilitator_ranking_for_an_analyst(app_env):
    at = open_page(claims("politie"), "facilitators")
    assert not at.exception, at.exception
    assert at.title[0].value == "Facilitators"
    assert "Alleen via partners in beeld" in texts(at)
    assert len(at.slider) == 6  # five weights and the half-life
    shown = at.dataframe[0].value
    planted = {f["entity_id"] for f in app_env.manifest["facilitators"]}
    assert len(shown) > 10 and "Score eigen gegevens" in shown.columns
    with app_env.engine.connect() as conn:
        names = set(
            conn.scalars(
                text("select display_name from entity where id = any(:i)"), {"i": list(planted)}
            )
        )
    assert names & set(shown["Facilitator"])


def test_the_facilitator_page_looks_names_up_once_for_every_row_it_shows(app_env, monkeypatch):
    # The lens, the partners' list and the ranking of a category show names: one read serves them
    # all, also when a category is chosen; every row shown has its name.
    import streamlit as st

    from warehouse.queries import facilitators

    asked: list[tuple[int, ...]] = []
    lookup = facilitators.entity_names

    def counted(**kwargs):
        asked.append(kwargs["ids"])
        return lookup(**kwargs)

    counted.__qualname__ = lookup.__qualname__
    monkeypatch.setattr(facilitators, "entity_names", counted)
    st.cache_data.clear()
    at = open_page(claims("fiod"), "facilitators")
    assert not at.exception, at.exception
    assert len(asked) == 1
    assert at.dataframe[0].value["Facilitator"].notna().all()
    at.selectbox(key="facilitator_categorie").select_index(1).run()
    assert not at.exception, at.exception
    assert len(asked) == 2
    assert at.dataframe[0].value["Facilitator"].notna().all()


def test_facilitator_page_for_a_manager_shows_categories_only(app_env):
    at = open_page(claims("om", "manager"), "facilitators", lang="en")
    assert not at.exception, at.exception
    assert "aggregate counts per category" in texts(at)
    grid = at.table[0].value
    assert "Trust and domicile office" in grid.index or len(grid) > 3
    assert not at.dataframe  # no ranking, no names


def test_entity_page_shows_a_planted_facilitator_and_is_audited(app_env):
    planted = app_env.manifest["facilitators"][0]
    at = open_page(claims("douane"), "entity", entiteit=str(planted["entity_id"]))
    assert not at.exception, at.exception
    assert at.header and at.header[0].value
    assert "Uitleg van de score" in [s.value for s in at.subheader]
    entry = last_audit(app_env, "drilldown")
    details = entry.details if isinstance(entry.details, dict) else json.loads(entry.details)
    assert entry.viewer == "analist@douane"
    assert details["entity_id"] == planted["entity_id"] and details["found"] is True


def test_entity_page_does_not_reveal_an_invisible_entity(app_env):
    restricted = app_env.manifest["restricted_facilitators"][0]
    for entity_id in (str(restricted["entity_id"]), "999999999"):
        at = open_page(claims("politie"), "entity", entiteit=entity_id)
        assert not at.exception, at.exception
        assert [w.value for w in at.warning] == ["Niet gevonden of geen toegang."]
        assert not at.header and not at.table
    at = open_page(claims("politie"), "entity", entiteit="12; drop table entity")
    assert "geen geldig entiteit-id" in texts(at)


def test_entity_page_is_not_registered_for_managers(app_env):
    at = new_app(claims("politie", "manager")).run()
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("../pages/entity.py")


def test_map_page_for_analyst_and_manager(app_env):
    for user in (claims("politie"), claims("kmar", "manager")):
        at = open_page(user, "map")
        assert not at.exception, at.exception
        assert at.title[0].value == "Kaart"
        assert "Offline kaart" in texts(at)
        decks = [e for e in at.get("deck_gl_json_chart")]
        assert len(decks) == 1
        spec = json.loads(decks[0].proto.json)
        assert {layer["id"] for layer in spec["layers"]} == {"hexagons", "nodes", "flows", "places"}
        assert "mapProvider" not in spec or not spec.get("mapStyle")


def charts_of(at) -> list:
    return [e.proto for e in at.get("vega_lite_chart")]


@pytest.mark.parametrize("page", ["facilitators", "heatmaps", "indicators"])
def test_a_filter_change_keeps_the_charts_and_swaps_their_rows(app_env, page):
    # The browser draws a chart anew only when its spec or its datasets' names change; a filter
    # change must change the rows alone (dashboard/charts.py)
    at = open_page(claims("politie"), page)
    assert not at.exception, at.exception
    before = charts_of(at)
    assert before
    at.sidebar.multiselect[0].select("Rotterdam").run()
    assert not at.exception, at.exception
    after = charts_of(at)
    assert [c.spec for c in after] == [c.spec for c in before]
    assert all([d.name for d in c.datasets] == ["rows"] for c in before + after)
    assert [c.datasets[0].data.data for c in after] != [c.datasets[0].data.data for c in before]
