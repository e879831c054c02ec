"""Browser fixtures: development identity providers (one per agency, real OIDC), the app as a
real server (`nsoc serve`) on a free port, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dashboard import devidp
from warehouse.settings import agencies

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("NSOC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def free_port_range(n: int) -> int:
    """A base port with n free ports after it."""
    for base in range(21000, 60000, 97):
        try:
            socks = []
            for port in range(base, base + n):
                s = socket.socket()
                s.bind(("127.0.0.1", port))
                socks.append(s)
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free port range")


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 (localhost only)
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


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
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
        '[data-test-script-state="notRunning"]',
        timeout=timeout,
    )
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0",
        timeout=timeout,
    )


def login(page, app_url: str, agency_label: str, user: str) -> None:  # type: ignore[no-untyped-def]
    """Through the real flow: the app's login button, the provider's page, back to the app."""
    page.goto(app_url)
    wait_until_rendered(page)
    page.get_by_role("button", name=agency_label).click()
    page.get_by_role("button", name=user).click()
    page.wait_for_url(f"{app_url}/**", timeout=60_000)
    wait_until_rendered(page)
