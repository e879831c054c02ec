"""Login journeys in a real browser against real OIDC providers: agencies see different rows,
managers see suppressed cells, forged cookies and foreign issuers are refused, sessions expire,
logout ends them; each leaves the right audit entry."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time

import psutil
import pytest
from sqlalchemy import text

from dashboard import devidp
from tests.e2e.conftest import free_port, login, wait_for, wait_until_rendered
from warehouse.settings import agencies


def audit_entries(warehouse, action: str, since: int) -> list:
    with warehouse.engine.connect() as conn:
        return conn.execute(
            text(
                "select viewer, agency, role, details from audit_log "
                "where action = :a and chain_seq > :s order by chain_seq"
            ),
            {"a": action, "s": since},
        ).all()


def last_seq(warehouse) -> int:
    with warehouse.engine.connect() as conn:
        return int(conn.scalar(text("select coalesce(max(chain_seq), 0) from audit_log")))


def visible(warehouse, agency: str, refs: list[str]) -> bool:
    with warehouse.engine.connect() as conn:
        return conn.scalar(
            text(
                "select bool_and(s.audience_mask & (1::bigint << a.bit) <> 0) from signal s, agency a "
                "where a.code = :a and s.source_ref = any(:r)"
            ),
            {"a": agency, "r": refs},
        )


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def confirm_provider_logout(page) -> None:
    """Streamlit's logout also ends the session at the provider (RP-initiated logout); the
    development provider asks for a confirmation, then sends the browser back to the app."""
    page.get_by_role("button", name="End session").click(timeout=30_000)
    page.wait_for_url("http://localhost:*/**", timeout=30_000)


def newest_refs(page) -> list[str]:
    table = page.get_by_test_id("stTable").last
    table.wait_for()
    return [r for r in table.inner_text().split() if "-20" in r and r[:2].isalpha()]


def test_analysts_of_two_agencies_see_different_rows(browser, app_url, warehouse):
    since = last_seq(warehouse)
    seen = {}
    for agency, label in (("politie", "Politie"), ("defensie", "Defensie")):
        context = browser.new_context(viewport={"width": 1400, "height": 1200})
        page = context.new_page()
        login(page, app_url, label, f"analist@{agency}")
        page.get_by_role("heading", name="Fenomeen-heatmaps").wait_for()  # the start page
        page.goto(f"{app_url}/status")
        page.get_by_role("heading", name="Nieuwste signalen die u mag zien").wait_for()
        page.screenshot(path=f"/tmp/nsoc-e2e-{agency}.png", full_page=True)
        refs = newest_refs(page)
        assert refs and visible(warehouse, agency, refs)
        seen[agency] = set(refs)
        context.close()
    assert seen["politie"] != seen["defensie"]
    logins = {(e.viewer, e.agency) for e in audit_entries(warehouse, "login", since)}
    assert {("analist@politie", "politie"), ("analist@defensie", "defensie")} <= logins


def test_manager_sees_suppressed_cells(page, app_url, warehouse):
    login(page, app_url, "Defensie", "manager@defensie")
    page.goto(f"{app_url}/status")
    page.get_by_text("kleine-celbeveiliging").wait_for()
    assert "< 5" in page.get_by_test_id("stTable").first.inner_text()
    assert "Nieuwste signalen" not in page.content()


def test_tampered_identity_cookie_is_refused(page, app_url, warehouse):
    login(page, app_url, "Politie", "analist@politie")
    since = last_seq(warehouse)
    cookies = page.context.cookies()
    forged = []
    for c in cookies:
        if c["name"].startswith("_streamlit_user"):
            value = c["value"]
            c = {**c, "value": value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB")}
        forged.append(c)
    page.context.clear_cookies()
    page.context.add_cookies(forged)
    page.reload()
    wait_until_rendered(page)
    page.get_by_role("button", name="Politie").wait_for()
    assert "Fenomeen-heatmaps" not in page.content()
    reasons = [e.details["reason"] for e in audit_entries(warehouse, "access_refused", since)]
    assert "invalid_identity_cookie" in reasons


def test_token_from_the_wrong_issuer_is_refused(browser, start_app, idp_base_port, warehouse):
    # The KMar login is (mis)configured to go to the police provider: its tokens carry the
    # police issuer and must never make anyone a KMar viewer (nor a police viewer).
    police = f"http://127.0.0.1:{idp_base_port}"
    kmar = f"http://127.0.0.1:{idp_base_port + 5}"

    def misroute(secrets: str) -> str:
        return secrets.replace(
            f'server_metadata_url = "{kmar}/', f'server_metadata_url = "{police}/'
        )

    url = start_app(secrets_edit=misroute)
    since = last_seq(warehouse)
    context = browser.new_context()
    page = context.new_page()
    login(page, url, "Koninklijke Marechaussee", "analist@politie")
    page.get_by_text("verwachte uitgever").wait_for()
    assert "Fenomeen-heatmaps" not in page.content()
    entry = audit_entries(warehouse, "login_refused", since)[-1]
    assert entry.agency == "kmar" and entry.details["reason"] == "issuer_mismatch"
    context.close()


def test_expired_session_goes_back_to_login(browser, start_app, warehouse):
    url = start_app(session_max_age_seconds=6)
    since = last_seq(warehouse)
    context = browser.new_context()
    page = context.new_page()
    login(page, url, "FIOD", "analist@fiod")
    page.get_by_role("heading", name="Fenomeen-heatmaps").wait_for()
    time.sleep(7)
    page.goto(url)
    confirm_provider_logout(page)
    page.goto(url)
    wait_until_rendered(page)
    page.get_by_role("button", name="FIOD").wait_for(timeout=30_000)
    assert any(
        e.viewer == "analist@fiod" for e in audit_entries(warehouse, "session_expired", since)
    )
    context.close()


def test_logout_ends_the_session(page, app_url, warehouse):
    login(page, app_url, "Douane", "analist@douane")
    since = last_seq(warehouse)
    page.get_by_role("button", name="Uitloggen").click()
    confirm_provider_logout(page)
    page.goto(app_url)
    wait_until_rendered(page)
    page.get_by_role("button", name="Douane").wait_for()
    assert not [c for c in page.context.cookies() if c["name"].startswith("_streamlit_user")]
    assert [e.viewer for e in audit_entries(warehouse, "logout", since)] == ["analist@douane"]


def test_stopping_nsoc_serve_stops_the_streamlit_server(warehouse, tmp_path):
    """SIGTERM to `nsoc serve` (what a supervisor, the tests and the benchmark send) reaches
    the Streamlit process it started: nothing keeps running on the port afterwards."""
    port = free_port()
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(devidp.demo_secrets(agencies(), app_port=port, base_port=1))
    env = {**os.environ, "NSOC_DATABASE_URL": warehouse.url, "NSOC_SECRETS_FILE": str(secrets)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children: list[psutil.Process] = []
    try:
        wait_for(f"http://localhost:{port}/_stcore/health")
        children = psutil.Process(proc.pid).children(recursive=True)
        assert children, "nsoc serve runs Streamlit as a child process"
        proc.terminate()
        proc.wait(20)
        _, alive = psutil.wait_procs(children, timeout=20)
        assert not alive, f"still running after nsoc serve stopped: {alive}"
    finally:
        for leftover in [proc, *children]:
            with contextlib.suppress(psutil.NoSuchProcess, ProcessLookupError):
                leftover.kill()
