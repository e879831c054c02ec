"""Smoke tests of the heatmap and indicator pages with AppTest (chart clicks need a browser:
see tests/e2e/test_heatmap_journey.py)."""

from __future__ import annotations

from tests.app.conftest import claims, new_app


def _open(page: str, agency: str, role: str = "analist", lang: str | None = None, **params):
    at = new_app(claims(agency, role), lang=lang).run()
    at.switch_page(f"../pages/{page}.py")
    for key, value in params.items():
        # The sidebar filters are bound to the URL under these keys.
        at.session_state[key] = value
    return at.run()


def test_heatmap_page_for_an_analyst(app_env):
    at = _open("heatmaps", "politie", van="2024-01", tot="2024-06")
    assert not at.exception
    assert at.title[0].value == "Fenomeen-heatmaps"
    assert any("Klik op een cel" in c.value for c in at.caption)
    assert at.selectbox(key="hm_metric").options[0] == "Signalen"
    at.toggle(key="hm_compare").set_value(True).run()
    assert not at.exception
    assert any("Verandering ten opzichte van" in c.value for c in at.caption)


def test_heatmap_page_for_a_manager_in_english(app_env):
    at = _open("heatmaps", "defensie", "manager", lang="en")
    assert not at.exception
    assert at.title[0].value == "Phenomenon heatmaps"
    assert any("managers" in c.value or "manager" in c.value for c in at.caption)
    at.selectbox(key="hm_metric").set_value("entities").run()
    assert not at.exception


def test_indicator_page_shows_the_planted_spike(app_env):
    at = _open("indicators", "politie", van="2023-04", tot="2024-03")
    assert not at.exception
    assert at.title[0].value == "Corruptie- en geweldsindicatoren"
    assert any(m.label == "Geweld (alle vormen)" for m in at.metric)
    top = at.table[0].value
    assert top.iloc[0]["Regio"] == "Oost-Brabant"


def test_indicator_page_for_a_manager(app_env):
    at = _open("indicators", "kmar", "manager", lang="en")
    assert not at.exception
    assert at.title[0].value == "Corruption and violence indicators"
    assert len(at.metric) == 9
