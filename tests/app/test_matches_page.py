"""The Koppelvoorstellen page with AppTest: analysts and stewards only, the proposals the viewer
may see side by side, confirm and reject, and the recent decisions."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from dashboard.app import pages_for
from tests.app.conftest import _reset, claims, texts
from tests.app.conftest import open_page as open_any_page
from tests.conftest import make_viewer
from tests.ingest.conftest import match_scenario, new_warehouse
from warehouse.ingest.decisions import decide_for
from warehouse.scoped import app_engine
from warehouse.viewer import Role


@pytest.fixture
def match_env(databases, monkeypatch):
    """The app on a fresh warehouse with three open proposals (see match_scenario)."""
    engine = new_warehouse(databases, "nsoc_test_matches")
    ids = match_scenario(engine)
    monkeypatch.setenv("NSOC_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    _reset()
    yield engine, ids
    _reset()
    engine.dispose()


def open_page(user: dict, page: str = "matches", lang: str | None = None):
    return open_any_page(user, page, lang)


def politie_rejects(engine, match_id: int) -> None:
    """A politie analyst rejects a proposal (elsewhere, while the page under test is open)."""
    viewer = make_viewer("politie", "analyst")
    decide_for(owner=engine, app=app_engine(), viewer=viewer, match_id=match_id, confirm=False)


def proposals_shown(at) -> set[str]:
    keys = [b.key or "" for b in at.button]
    return {k.removeprefix("confirm_") for k in keys if k.startswith("confirm_")}


def test_analysts_and_stewards_get_the_page():
    for role in Role:
        names = [p.name for p in pages_for(role)]
        assert ("matches" in names) == (role in {Role.analyst, Role.steward}), role
    # the start pages stay what they are
    assert pages_for(Role.analyst)[0].name == "heatmaps"
    assert pages_for(Role.steward)[0].name == "deliveries"


def test_an_analyst_sees_the_seeds_proposals(app_env):
    at = open_page(claims("politie"))
    assert not at.exception, at.exception
    assert at.title[0].value == "Koppelvoorstellen"
    with app_env.engine.connect() as conn:
        total = conn.scalar(text("select count(*) from entity_match where status = 'proposed'"))
    assert 0 < len(proposals_shown(at)) <= total
    assert "Zelfde naam en plaats" in texts(at)
    assert "Nog geen besluiten die u mag zien." in texts(at)


def test_a_steward_confirms_a_proposal(match_env):
    engine, ids = match_env
    at = open_page(claims("politie", "gegevensbeheerder"))
    assert not at.exception, at.exception
    assert proposals_shown(at) == {str(ids["politie"])}
    shown = texts(at)
    assert "Vanberg Transport BV" in shown and "kenmerk 12345678" in shown
    # agencies by name, not by code
    assert "Gemeld door: Politie · " in shown, shown
    assert "beide entiteiten in de aanleveringen van uw eigen organisatie" in shown

    at.button(key=f"confirm_{ids['politie']}").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value.startswith(f"Voorstel {ids['politie']} bevestigd")
    assert proposals_shown(at) == set()
    decisions = at.dataframe[0].value
    assert list(decisions["Door"]) == ["Politie · gegevensbeheerder · gegevensbeheerder@politie"]
    assert list(decisions["Besluit"]) == ["bevestigd"]
    with engine.connect() as conn:
        status = conn.scalar(
            text("select status from entity_match where id = :id"), {"id": ids["politie"]}
        )
        audited = conn.scalar(
            text("select count(*) from audit_log where action = 'match_decision'")
        )
    assert (status, audited) == ("confirmed", 1)


def test_an_analyst_rejects_in_english(match_env):
    engine, ids = match_env
    at = open_page(claims("douane"), lang="en")
    assert not at.exception, at.exception
    assert proposals_shown(at) == {str(i) for i in ids.values()}
    at.button(key=f"reject_{ids['names']}").click().run()
    assert not at.exception, at.exception
    assert "stay apart" in at.success[0].value
    assert list(at.dataframe[0].value["Decision"]) == ["rejected"]


def test_a_proposal_decided_meanwhile_drops_out_on_the_next_click(match_env):
    engine, ids = match_env
    at = open_page(claims("douane"))
    assert "kenmerk nan" not in texts(at) and "geen kenmerk" in texts(at)
    # someone of another agency decides while this page is open
    politie_rejects(engine, ids["politie"])
    at.button(key=f"confirm_{ids['politie']}").click().run()
    assert not at.exception, at.exception
    # the rerun reads the list again: the proposal is gone and its button with it
    assert str(ids["politie"]) not in proposals_shown(at)
    with engine.connect() as conn:
        status = conn.scalar(
            text("select status from entity_match where id = :id"), {"id": ids["politie"]}
        )
    assert status == "rejected"
    # a decision by a partner shows the agency and role, not the person
    assert list(at.dataframe[0].value["Door"]) == ["Politie · analist"]


def test_the_deliveries_page_links_to_the_open_proposals(match_env):
    at = open_page(claims("politie", "gegevensbeheerder"), "deliveries")
    assert not at.exception, at.exception
    assert at.page_link[0].value == "Koppelvoorstellen (1 open)"


def test_an_agency_undoes_its_own_decision_and_only_its_own(match_env):
    engine, ids = match_env
    at = open_page(claims("douane"))
    assert not [b for b in at.button if b.key == "undo_decision"]
    at.button(key=f"confirm_{ids['douane']}").click().run()
    # politie rejects another proposal douane can see: douane may not undo that one
    politie_rejects(engine, ids["politie"])
    at.run()
    assert not at.exception, at.exception
    assert "Besluit ongedaan maken" in [h.value for h in at.subheader]
    choices = at.selectbox(key="undo_pick").options
    assert len(choices) == 1 and choices[0].startswith(f"{ids['douane']}: ")
    at.button(key="undo_decision").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value.startswith(f"Besluit over voorstel {ids['douane']} ongedaan")
    assert str(ids["douane"]) in proposals_shown(at)
    with engine.connect() as conn:
        statuses = dict(conn.execute(text("select id, status from entity_match")).all())
        decisions = conn.scalars(
            text(
                "select details->>'decision' from audit_log where action = 'match_decision' "
                "order by chain_seq"
            )
        ).all()
    assert statuses[ids["douane"]] == "proposed" and statuses[ids["politie"]] == "rejected"
    assert decisions == ["confirmed", "rejected", "reopened"]
