"""Sessions without a browser, for the server's side of the concurrency figure.

Twenty Chromium renderers on the benchmark's two cores take most of the CPU themselves (load
average 23–49 in the browser run), so that run says little about the app server. Here each
session speaks the app's own protocol, as Streamlit's frontend does: a websocket to
`/_stcore/stream` with the signed-in browser's cookies (identity and XSRF) and its Origin, one
BackMsg asking to run a page with a query string, then ForwardMsgs until the script reports it
has finished. A page load is a new websocket, as a browser's reload is a new session: the
server does all it does for a browser (identity from the cookie, the page's script and queries,
every element serialised and sent); only the drawing is left out. Figures only."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import psutil
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from dashboard.bench.common import Options, Pacing, Report, cpu_seconds, summary, tree

# The frontend's own subprotocol name; the second entry carries the XSRF token (the cookie's
# value), the third an earlier session's id (none: every load is a new session).
SUBPROTOCOL = "streamlit"
XSRF_COOKIE = "_streamlit_xsrf"


class PageFailed(RuntimeError):
    """The page's script did not finish, finished with an error or showed an exception."""


@dataclass
class PageRun:
    """What one page load sent back: its time, the elements and the texts they carry."""

    seconds: float
    elements: int = 0
    texts: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)


def cookies_of(state: Any, app: str) -> dict[str, str]:
    """The cookies a Playwright storage state holds for the app's host."""
    host = app.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return {c["name"]: c["value"] for c in state.get("cookies", []) if c["domain"] == host}


async def load(
    app: str, cookies: dict[str, str], page: str, query: str = "", timeout: float = 120.0
) -> PageRun:
    """Open a session, run `page` (its URL path, '' for the start page) with `query` (a URL
    query string without '?'), and read until the script has finished."""
    began = time.perf_counter()
    url = app.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
    headers = {"Origin": app.rstrip("/")}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    offered = [SUBPROTOCOL, cookies.get(XSRF_COOKIE, "")]
    run = PageRun(0.0)
    async with websockets.connect(
        url,
        subprotocols=[p for p in offered if p],  # type: ignore[misc]
        additional_headers=headers,
        max_size=None,
        open_timeout=timeout,
    ) as ws:
        ask = BackMsg()
        ask.rerun_script.query_string = query
        ask.rerun_script.page_name = page
        await ws.send(ask.SerializeToString())
        async with asyncio.timeout(timeout):
            while not await _read(ws, run):
                pass
    run.seconds = time.perf_counter() - began
    if run.exceptions:
        raise PageFailed(f"{page}: {run.exceptions[0][:200]}")
    return run


async def _read(ws: Any, run: PageRun) -> bool:
    """Take one message into `run`; True when the page's run is over."""
    msg = ForwardMsg()
    msg.ParseFromString(await ws.recv())
    kind = msg.WhichOneof("type")
    if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
        element = msg.delta.new_element
        run.elements += 1
        shown = element.WhichOneof("type")
        if shown == "exception":
            run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif shown in ("markdown", "heading"):
            run.texts.append(getattr(element, shown).body)
    elif kind == "page_not_found":
        raise PageFailed(f"page not found: {msg.page_not_found.page_name}")
    elif kind == "script_finished":
        finished = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
        if finished == "FINISHED_WITH_COMPILE_ERROR":
            raise PageFailed("the page's script did not compile")
        # FINISHED_EARLY_FOR_RERUN: the page asked for a rerun (a redirect), which follows
        return finished == "FINISHED_SUCCESSFULLY"
    return False


async def concurrent(
    app: str,
    cookies: dict[str, str],
    pages: tuple[str, ...],
    options: Options,
    report: Report,
    server: psutil.Process | None = None,
) -> None:
    """`sessions` sessions loading the pages in turn until the time is up, `think_seconds` apart
    on average, not in step (`Pacing`, as the browser sessions do); with the app server's process, the CPU time it spent."""
    used = cpu_seconds(tree(server))
    deadline = time.monotonic() + options.session_seconds
    times: list[float] = []
    errors = 0

    async def session(n: int) -> None:
        nonlocal errors
        i = n
        pacing = Pacing(options, n)
        await asyncio.sleep(pacing.start())
        while time.monotonic() < deadline:
            try:
                times.append((await load(app, cookies, pages[i % len(pages)])).seconds * 1000)
            except Exception:  # a failed or timed-out load counts as an error; the session goes on
                errors += 1
            i += 1
            await asyncio.sleep(pacing.pause())

    await asyncio.gather(*(session(n) for n in range(options.sessions)))
    used = cpu_seconds(tree(server)) - used
    report.protocol = {
        "sessions": options.sessions,
        "seconds": options.session_seconds,
        "think_s": options.think_seconds,
        "pages": len(times),
        "errors": errors,
        **summary(times),
        "server_cpu_s": round(used, 1) if server else None,
        "server_cpu_ms_per_page": round(1000 * used / len(times)) if server and times else None,
    }
