"""The browser part of the benchmark: the real app (`nsoc serve`) with the development identity
providers, Debian's Chromium driven by Playwright. Page ready = Streamlit connected, its script
idle and no skeleton left (as in the browser tests). Loopback only; bounded in count and time."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psutil
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from dashboard import devidp
from dashboard.bench import protocol
from dashboard.bench.common import (
    Options,
    Pacing,
    Report,
    browsers,
    cpu_seconds,
    first_line,
    part,
    peak_rss,
    summary,
    tree,
)
from dashboard.i18n import t
from warehouse.settings import agencies

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

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
PAGES = ("heatmaps", "indicators", "facilitators", "map")
# A region not picked before in the run for each filter change: the app caches its reads for
# five minutes per agency, role and filters, and a filter seen before would be served from there.
REGIONS = (
    "Rotterdam",
    "Amsterdam",
    "Limburg",
    "Oost-Brabant",
    "Noord-Holland",
    "Midden-Nederland",
    "Oost-Nederland",
    "Noord-Nederland",
    "Zeeland-West-Brabant",
    "Den Haag",
)
READY = (
    '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
    '[data-test-script-state="notRunning"]'
)
NO_SKELETON = "() => document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def free_port_range(n: int) -> int:
    for base in range(23000, 60000, 89):
        socks: list[socket.socket] = []
        try:
            for port in range(base, base + n):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free port range")


def wait_for(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 (loopback only)
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


async def rendered(page: Page, timeout: float = 60_000) -> None:
    await page.wait_for_selector(READY, timeout=timeout)
    await page.wait_for_function(NO_SKELETON, timeout=timeout)


class Reruns:
    """The app's finished script runs, as its frontend learns of them: each `script_finished`
    message on the page's websocket to the app, counted and timed as it arrives.

    Watching the page's `data-test-script-state` for leaving "running" (until the twenty-fourth
    session) missed a rerun when the app was quick: a rerun answered from the caches delivered
    its start and its end to the frontend together, the attribute never showed "running", and
    the benchmark waited for a change that had already happened."""

    def __init__(self) -> None:
        self.finished = 0
        self.at = 0.0
        self._seen = asyncio.Event()

    def attach(self, page: Page) -> None:
        """Count the runs of every websocket the page opens from now on (a load opens one)."""
        page.on("websocket", lambda ws: ws.on("framereceived", self.frame))

    def frame(self, payload: str | bytes) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # noqa: BLE001 - not a message of the app's protocol
            return
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished == FINISHED:
            self.finished += 1
            self.at = time.perf_counter()
            self._seen.set()

    async def after(self, count: int, timeout: float = 60.0) -> float:
        """Wait until more than `count` runs have finished; when the last one did."""
        async with asyncio.timeout(timeout):
            while self.finished <= count:
                self._seen.clear()
                await self._seen.wait()
        return self.at


FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")


async def settle(page: Page, reruns: Reruns, count: int) -> float:
    """After an interaction: wait until the rerun it caused is over (more than `count` runs
    finished) and the page is drawn. Returns when the rerun was over."""
    done = await reruns.after(count)
    await rendered(page)
    return done


async def login(page: Page, app: str, agency_label: str, user: str) -> None:
    await page.goto(app)
    await rendered(page)
    await page.get_by_role("button", name=agency_label).click()
    await page.get_by_role("button", name=user).click()
    await page.wait_for_url(f"{app}/**", timeout=60_000)
    await rendered(page)


async def load_time(page: Page, url: str) -> float:
    began = time.perf_counter()
    await page.goto(url, timeout=60_000)
    await page.wait_for_selector("h1", timeout=60_000)
    await rendered(page)
    return (time.perf_counter() - began) * 1000


async def filter_time(page: Page, reruns: Reruns, region: str) -> tuple[float, float]:
    """Pick a region in the sidebar's first multiselect and wait for the page to settle. Returns
    the time until the page was drawn and the part of it until the app's rerun was over (the
    request, the server's script run and its messages; the rest is the browser drawing)."""
    regions = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
    await regions.click()
    await page.keyboard.type(region)
    count = reruns.finished
    began = time.perf_counter()
    await page.keyboard.press("Enter")
    await page.keyboard.press("Escape")
    await page.locator("h1").first.click()  # blur: the widget commits
    done = await settle(page, reruns, count)
    drawn = (time.perf_counter() - began) * 1000
    return drawn, (done - began) * 1000


async def single(browser: Browser, app: str, options: Options, report: Report) -> Any:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    runs = Reruns()
    runs.attach(page)
    await login(page, app, "Politie", "analist@politie")
    for name in PAGES:
        loads, filters, reruns = [], [], []
        for i in range(max(2, options.runs // 4) + 1):
            loads.append(await load_time(page, f"{app}/{name}"))
            if name != "map":
                drawn, rerun = await filter_time(page, runs, REGIONS[i % len(REGIONS)])
                filters.append(drawn)
                reruns.append(rerun)
        report.browser.append(
            {
                "page": name,
                "load": summary(loads[1:]),  # the first load warms the app's caches
                "filter": summary(filters[1:]) if filters else None,
                # of which until the rerun was over (the rest: the browser drawing)
                "filter_rerun": summary(reruns[1:]) if reruns else None,
            }
        )
    state = await context.storage_state()
    await context.close()
    return state


async def navigate_time(page: Page, name: str) -> float:
    """Open a view through the sidebar's page links, as an analyst moves between views (the app
    stays loaded: the link reruns it over the same connection), and wait until it is ready."""
    title = t(f"{name}_title", "nl")
    link = page.get_by_test_id("stSidebarNav").locator("a", has_text=title).first
    began = time.perf_counter()
    await link.click()
    # the new view's title is drawn early in its run; then the run must be over and drawn
    await page.locator("h1", has_text=title).first.wait_for(timeout=60_000)
    await rendered(page)
    return (time.perf_counter() - began) * 1000


# How many sessions load the app's frontend at once before the timed part: twenty at once on two
# cores took over 30 s for some (not timed, but a time-out ended the whole run)
FIRST_LOADS = 4


async def first_load(
    page: Page, app: str, n: int, errors: list[str], gate: asyncio.Semaphore
) -> None:
    """A session's first view, before the clock starts; a failure is the session's error."""
    name = PAGES[n % len(PAGES)]
    async with gate:
        try:
            await load_time(page, f"{app}/{name}")
        except Exception as exc:  # the session goes on; its next views show whether it recovers
            errors.append(f"{name} (first load): {first_line(exc)}")


async def concurrent(
    browser: Browser,
    app: str,
    state: Any,
    options: Options,
    report: Report,
    server: psutil.Process | None = None,
) -> None:
    """`sessions` logged-in sessions, each opening the views in turn for `session_seconds`,
    `think_seconds` apart on average and not in step (`Pacing`): through the sidebar once every
    session has loaded the app (those first loads, a few frontends at a time, are not timed:
    the clock starts when all are in), or with `reload` each view loaded anew from the start.
    Reports the CPU the browsers and the app server used meanwhile."""
    times: list[float] = []
    errors: list[str] = []
    contexts = [
        await browser.new_context(storage_state=state, viewport={"width": 1200, "height": 900})
        for _ in range(options.sessions)
    ]
    pages = [await c.new_page() for c in contexts]
    try:
        if not options.reload:
            gate = asyncio.Semaphore(FIRST_LOADS)
            await asyncio.gather(
                *(first_load(p, app, n, errors, gate) for n, p in enumerate(pages))
            )
        # the CPU the browsers and the app server use while the sessions run: on one machine
        # the twenty frontends compete with the server for its cores
        began = time.monotonic()
        chromium = browsers()
        cpu = (cpu_seconds(chromium), cpu_seconds(tree(server)))
        deadline = began + options.session_seconds

        async def session(n: int) -> None:
            i = n if options.reload else n + 1
            pacing = Pacing(options, n)
            await asyncio.sleep(pacing.start())
            while time.monotonic() < deadline:
                name = PAGES[i % len(PAGES)]
                try:
                    if options.reload:
                        times.append(await load_time(pages[n], f"{app}/{name}"))
                    else:
                        times.append(await navigate_time(pages[n], name))
                except Exception as exc:  # a timeout counts as an error, the session goes on
                    errors.append(f"{name}: {first_line(exc)}")
                i += 1
                await asyncio.sleep(pacing.pause())

        await asyncio.gather(*(session(n) for n in range(options.sessions)))
        wall = time.monotonic() - began
        used = (cpu_seconds(chromium) - cpu[0], cpu_seconds(tree(server)) - cpu[1])
    finally:
        for context in contexts:
            await context.close()
    report.concurrent = {
        "sessions": options.sessions,
        "seconds": options.session_seconds,
        "think_s": options.think_seconds,
        "how": "reload" if options.reload else "sidebar",
        "pages": len(times),
        "errors": len(errors),
        "first_errors": errors[:3],
        **summary(times),
        "wall_s": round(wall, 1),
        "cores": psutil.cpu_count(),
        "browser_cpu_s": round(used[0], 1),
        "server_cpu_s": round(used[1], 1) if server else None,
    }


async def signed_in(browser: Browser, app: str) -> Any:
    """The cookies of a browser signed in as the politie analyst (through the real login)."""
    context = await browser.new_context()
    page = await context.new_page()
    await login(page, app, "Politie", "analist@politie")
    state = await context.storage_state()
    await context.close()
    return state


async def drive(
    app: str,
    options: Options,
    report: Report,
    say: Callable[[str], None],
    server: psutil.Process | None = None,
) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            state = None
            if options.browser:
                with part(report, "browser pages", say):
                    state = await single(browser, app, options, report)
            if (options.concurrent or options.protocol) and state is None:
                state = await signed_in(browser, app)
            if options.protocol:
                # first, on a server no browser session has left busy
                with part(report, "sessions without browsers", say):
                    await protocol.concurrent(
                        app, protocol.cookies_of(state, app), PAGES, options, report, server=server
                    )
            if options.concurrent:
                with part(report, "concurrent browser sessions", say):
                    await concurrent(browser, app, state, options, report, server=server)
        finally:
            await browser.close()


def run(url: str, options: Options, report: Report, say: Callable[[str], None]) -> None:
    if not Path(CHROMIUM).exists():
        say(f"Chromium not found at {CHROMIUM}: browser part skipped (install Debian's chromium)")
        return
    base = free_port_range(len(agencies()) * 9)
    idps = devidp.start_idps(agencies(), base)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="nsoc-bench-") as tmp:
        secrets = Path(tmp) / "secrets.toml"
        secrets.write_text(devidp.demo_secrets(agencies(), app_port=port, base_port=base))
        env = {**os.environ, "NSOC_DATABASE_URL": url, "NSOC_SECRETS_FILE": str(secrets)}
        server = subprocess.Popen(
            [sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(f"http://localhost:{port}/_stcore/health")
            proc = psutil.Process(server.pid)
            idle = sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)])
            with peak_rss([proc]) as peak:
                asyncio.run(drive(f"http://localhost:{port}", options, report, say, server=proc))
            report.server = {
                "idle_rss_mb": round(idle / 2**20),
                "peak_rss_mb": round(peak.value / 2**20),
            }
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
            devidp.stop_idps(idps)
