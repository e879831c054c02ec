"""The analyst's morning journey in a real browser: open the heatmaps, narrow the filters,
click a cell, read the signals behind it; the drill-down is in the audit trail."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login, wait_until_rendered
from tests.e2e.test_login_journeys import audit_entries, last_seq


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    yield page
    context.close()


def test_analyst_filters_clicks_a_cell_and_reaches_the_drilldown(page, app_url, warehouse):
    since = last_seq(warehouse)
    login(page, app_url, "Politie", "analist@politie")
    page.get_by_role("heading", name="Fenomeen-heatmaps").wait_for()  # the analyst's start page

    # Change a filter in the sidebar: only Rotterdam.
    regions = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
    regions.click()
    page.keyboard.type("Rotterdam")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.get_by_role("heading", name="Fenomeen-heatmaps").click()  # blur: the widget commits
    wait_until_rendered(page)
    page.screenshot(path="/tmp/nsoc-e2e-heatmap-filtered.png", full_page=True)

    # Every coloured cell (SVG renderer: a path) carries its number; click one, on the number,
    # where an analyst would.
    chart = page.get_by_test_id("stVegaLiteChart")
    cells = chart.locator("g.cells_marks path")
    numbers = chart.locator("g.numbers_marks text")
    numbers.first.wait_for(timeout=30_000)
    assert cells.count() > 3 and numbers.count() == cells.count()
    assert all(n.strip() for n in numbers.all_text_contents())
    numbers.nth(2).click()
    wait_until_rendered(page)

    page.get_by_role("heading", name="Signalen achter de cel").wait_for(timeout=30_000)
    page.get_by_text("signalen getoond").wait_for()
    page.screenshot(path="/tmp/nsoc-e2e-heatmap-drilldown.png", full_page=True)

    entries = [e for e in audit_entries(warehouse, "drilldown", since) if e.agency == "politie"]
    assert entries, "the drill-down was not audited"
    details = entries[-1].details
    assert details["page"] == "heatmaps"
    assert details["filters"]["regios"] == "RTM"
    assert details["cell"]["region"] == "RTM" and details["rows"] > 0
