"""A link shared with a colleague opens the same view, whatever language either of them reads:
the filters live in the URL as codes, not as the labels on screen."""

from __future__ import annotations

from tests.e2e.conftest import login, wait_until_rendered

LINK = "/heatmaps?van=2024-01&tot=2024-06&regios=OB&fenomenen=VIO_EXPLOSION"
SHOWN = {"nl": ("06-2024", "Explosie"), "en": ("2024-06", "Explosive attack")}


def test_a_shared_link_reproduces_the_filters_in_either_language(browser, app_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    login(page, app_url, "Politie", "analist@politie")
    for lang, (month, phenomenon) in SHOWN.items():
        page.goto(f"{app_url}{LINK}&lang={lang}")
        wait_until_rendered(page)
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_text("Oost-Brabant").wait_for()
        sidebar.get_by_text(phenomenon, exact=True).wait_for()
        to_box = sidebar.get_by_test_id("stSelectbox").nth(1)
        assert to_box.locator("input").first.get_attribute("value") == month  # reader's format
        # the start page by its name is a page, not "Page not found" (Streamlit serves the
        # default page at the root only; dashboard/app.py registers it under its name too)
        assert page.get_by_role("dialog").count() == 0
        assert page.get_by_text("Page not found").count() == 0
        # the URL keeps the codes, not language-dependent labels
        for part in ("van=2024-01", "tot=2024-06", "regios=OB", "fenomenen=VIO_EXPLOSION"):
            assert part in page.url
    page.close()
