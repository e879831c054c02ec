"""Browser fixtures: development identity providers (one per agency, real OIDC), the app as a
real server (`nsoc serve`) on a free port, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dashboard import devidp
from dashboard.bench.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    NO_SKELETON,
    READY,
    free_port,
    free_port_range,
    wait_for,
)
from warehouse.settings import agencies

ROOT = Path(__file__).resolve().parents[2]
# One definition of the browser and server plumbing, shared with the benchmark.
__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "free_port", "free_port_range", "wait_for"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium package "
            "(make browser) or set NSOC_CHROMIUM"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def idp_base_port() -> Iterator[int]:
    base = free_port_range(63)
    procs = devidp.start_idps(agencies(), base)
    yield base
    devidp.stop_idps(procs)


AppFactory = Callable[..., str]


@pytest.fixture(scope="session")
def start_app(warehouse, idp_base_port, tmp_path_factory) -> Iterator[AppFactory]:
    """Start `nsoc serve` on the test warehouse with development identities; keyword arguments
    become NSOC_* settings, `secrets_edit` may change the secrets text."""
    procs: list[subprocess.Popen] = []

    def start(secrets_edit: Callable[[str], str] = lambda s: s, **settings: object) -> str:
        port = free_port()
        secrets = tmp_path_factory.mktemp("secrets") / "secrets.toml"
        text = devidp.demo_secrets(agencies(), app_port=port, base_port=idp_base_port)
        secrets.write_text(secrets_edit(text))
        env = {
            **os.environ,
            "NSOC_DATABASE_URL": warehouse.url,
            "NSOC_SECRETS_FILE": str(secrets),
            **{f"NSOC_{k.upper()}": str(v) for k, v in settings.items()},
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        procs.append(proc)
        wait_for(f"http://localhost:{port}/_stcore/health")
        return f"http://localhost:{port}"

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def app_url(start_app) -> str:
    return start_app()


def wait_until_rendered(page, timeout: float = 60_000) -> None:  # type: ignore[no-untyped-def]
    """Streamlit has finished a run: connected, script idle, no skeletons left."""
    page.wait_for_selector(READY, timeout=timeout)
    page.wait_for_function(NO_SKELETON, timeout=timeout)


def login(page, app_url: str, agency_label: str, user: str) -> None:  # type: ignore[no-untyped-def]
    """Through the real flow: the app's login button, the provider's page, back to the app."""
    page.goto(app_url)
    wait_until_rendered(page)
    page.get_by_role("button", name=agency_label).click()
    page.get_by_role("button", name=user).click()
    page.wait_for_url(f"{app_url}/**", timeout=60_000)
    wait_until_rendered(page)
