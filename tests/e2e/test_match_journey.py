"""A steward's journey in a real browser: from the deliveries page to the open match proposal,
confirm it, and find the decision in the list, in the warehouse and in the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.e2e.conftest import login, wait_until_rendered
from tests.ingest.conftest import csv_bytes, match_scenario, new_warehouse, row


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def matches_app(start_app, databases):
    """The app on its own warehouse with open proposals (the shared one is read-only)."""
    engine = new_warehouse(databases, "nsoc_test_e2e_matches")
    ids = match_scenario(engine)
    url = start_app(database_url=engine.url.render_as_string(hide_password=False))
    yield url, engine, ids
    engine.dispose()


def test_steward_confirms_a_proposal(page, matches_app):
    app_url, engine, ids = matches_app
    login(page, app_url, "Politie", "gegevensbeheerder@politie")
    page.get_by_role("heading", name="Aanleveringen", exact=True).wait_for()

    page.get_by_role("link", name="Koppelvoorstellen (1 open)").first.click()
    wait_until_rendered(page)
    page.get_by_role("heading", name="Koppelvoorstellen", exact=True).wait_for()
    page.get_by_text("Vanberg Transport BV").wait_for()
    page.get_by_text("kenmerk 12345678").wait_for()
    page.screenshot(path="/tmp/nsoc-e2e-matches-open.png", full_page=True)

    page.get_by_role("button", name="Bevestigen: dezelfde").click()
    wait_until_rendered(page)
    page.get_by_text(f"Voorstel {ids['politie']} bevestigd").wait_for(timeout=30_000)
    page.get_by_text("Geen open koppelvoorstellen die u mag zien.").wait_for()
    page.screenshot(path="/tmp/nsoc-e2e-matches-confirmed.png", full_page=True)

    with engine.connect() as conn:
        decided = conn.execute(
            text(
                "select status, decided_by, decided_agency, decided_role from entity_match "
                "where id = :id"
            ),
            {"id": ids["politie"]},
        ).one()
        resolved = conn.scalar(text("select count(*) from entity where resolved_id is not null"))
        audited = conn.execute(
            text("select viewer, agency, role, details from audit_log where action = :a"),
            {"a": "match_decision"},
        ).all()
    assert tuple(decided) == ("confirmed", "gegevensbeheerder@politie", "politie", "steward")
    assert resolved == 1
    assert [(a.viewer, a.agency, a.role) for a in audited] == [
        ("gegevensbeheerder@politie", "politie", "steward")
    ]
    assert audited[0].details["match"] == ids["politie"]


def test_steward_uploads_a_delivery_and_the_counts_catch_up(page, matches_app, tmp_path):
    # The match scenario was delivered without the step after the commit: the distinct-entity
    # counts are stale. An upload on the page loads, then recounts them.
    app_url, engine, _ = matches_app
    with engine.connect() as conn:
        assert conn.scalar(text("select count(*) from rollup_stale")) == 1
    upload = tmp_path / "politie-upload.csv"
    upload.write_bytes(csv_bytes([row("UP-1"), row("UP-2", observed_on="2024-02-09")]))
    login(page, app_url, "Politie", "gegevensbeheerder@politie")
    page.get_by_role("heading", name="Aanleveringen", exact=True).wait_for()
    page.locator("input[type='file']").set_input_files(str(upload))
    page.get_by_text("politie-upload.csv").wait_for()
    page.get_by_role("button", name="Aanleveren", exact=True).click()
    page.get_by_text("Aanlevering geladen").wait_for(timeout=60_000)
    with engine.connect() as conn:
        assert conn.scalar(text("select count(*) from signal where source_ref like 'UP-%'")) == 2
        assert conn.scalar(text("select count(*) from rollup_stale")) == 0
