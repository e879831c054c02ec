"""The benchmark's sessions without a browser (dashboard/bench/protocol.py) speak the app's
real protocol: with a signed-in browser's cookies they get the page as that user, without them
the login page, and a short concurrent run loads pages without errors."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from dashboard.bench import protocol
from dashboard.bench.common import Options, Report
from dashboard.i18n import t
from tests.e2e.conftest import login


def _run(coroutine):  # type: ignore[no-untyped-def]
    """Run it on a thread of its own: Playwright's sync API keeps an event loop on this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _cookies(browser, app_url: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    login(page, app_url, "Politie", "analist@politie")
    state = context.storage_state()
    context.close()
    cookies = protocol.cookies_of(state, app_url)
    assert "_streamlit_user" in cookies and protocol.XSRF_COOKIE in cookies
    return cookies


def test_a_session_without_a_browser_gets_the_page_of_the_signed_in_user(browser, app_url):
    cookies = _cookies(browser, app_url)
    run = _run(protocol.load(app_url, cookies, "heatmaps", "fenomenen=VIO_EXPLOSION"))
    assert t("heatmaps_title", "nl") in run.texts
    assert run.elements > 10 and not run.exceptions and run.seconds > 0
    # without the identity cookie the same request gets the login page, not the heatmaps
    anonymous = {k: v for k, v in cookies.items() if k != "_streamlit_user"}
    refused = _run(protocol.load(app_url, anonymous, "heatmaps"))
    assert t("heatmaps_title", "nl") not in refused.texts
    assert t("login_title", "nl") in refused.texts


def test_concurrent_sessions_without_browsers_load_pages(browser, app_url):
    cookies = _cookies(browser, app_url)
    report = Report()
    options = Options(sessions=3, session_seconds=4.0)
    pages = ("heatmaps", "facilitators")
    _run(protocol.concurrent(app_url, cookies, pages, options, report))
    assert report.protocol["errors"] == 0
    assert report.protocol["pages"] >= 3 and report.protocol["p95_ms"] > 0


def test_browser_sessions_move_between_the_views_through_the_sidebar(browser, app_url):
    # The benchmark's concurrent browser sessions load the app once, then open each view through
    # the sidebar's page links, as an analyst does.
    from playwright.async_api import async_playwright

    from dashboard.bench import browser as browser_bench

    context = browser.new_context()
    login(context.new_page(), app_url, "Politie", "analist@politie")
    state = context.storage_state()
    context.close()

    async def sessions() -> Report:
        report = Report()
        options = Options(sessions=2, session_seconds=8.0)
        async with async_playwright() as pw:
            chromium = await pw.chromium.launch(
                executable_path=browser_bench.CHROMIUM, args=browser_bench.CHROMIUM_ARGS
            )
            try:
                await browser_bench.concurrent(chromium, app_url, state, options, report)
            finally:
                await chromium.close()
        return report

    report = _run(sessions())
    assert report.concurrent["how"] == "sidebar"
    assert report.concurrent["errors"] == 0, report.concurrent["first_errors"]
    assert report.concurrent["pages"] >= 2
