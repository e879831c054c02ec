"""The app as a person sees it: served by `nsoc serve`, opened in Chromium."""

from __future__ import annotations

from tests.e2e.conftest import wait_until_rendered


def test_status_page_renders_with_chart_and_language_switch(browser, app_url, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(app_url)
    wait_until_rendered(page)
    page.get_by_role("heading", name="Status van het warehouse").wait_for()
    assert "20.000" in page.get_by_test_id("stMetric").first.inner_text()
    page.locator("canvas.marks, svg.marks").first.wait_for(timeout=15_000)
    page.screenshot(path=str(tmp_path / "status-nl.png"), full_page=True)

    page.get_by_text("English").click()
    page.get_by_role("heading", name="Warehouse status").wait_for(timeout=15_000)
    assert "lang=en" in page.url
    page.close()
