"""What every part of the benchmark shares: its options, the report it fills, summaries of
figures, the benchmark's viewers and a sampler of memory. Figures only, never assertions."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psutil

from warehouse.settings import agencies
from warehouse.viewer import Role, Viewer

BENCH_DATABASE = "nsoc_bench"
TARGET_P95_MS = 100.0
TARGET_RATIO = 20.0


@dataclass
class Options:
    size: str = "bench"
    url: str | None = None  # an existing warehouse to use as-is (otherwise nsoc_bench)
    runs: int = 20
    cold_runs: int = 5
    naive_runs: int = 3
    queries: bool = True
    naive: bool = True
    browser: bool = True
    concurrent: bool = True
    protocol: bool = True  # the concurrent sessions without browsers (bench/protocol.py)
    sessions: int = 20
    session_seconds: float = 60.0
    think_seconds: float = 0.0  # pause between a session's page loads (0: back to back)
    # browser sessions move between the views through the sidebar, as analysts do, after one
    # load of the app; reload=True loads each view anew (the whole frontend every time)
    reload: bool = False
    export: bool = True
    export_rows: int = 1_000_000
    briefing: bool = True
    refresh: bool = True
    refresh_signals: int = 100_000
    seed: int = 20240701


@dataclass
class Report:
    meta: dict[str, Any] = field(default_factory=dict)
    queries: list[dict[str, Any]] = field(default_factory=list)
    browser: list[dict[str, Any]] = field(default_factory=list)
    concurrent: dict[str, Any] = field(default_factory=dict)
    protocol: dict[str, Any] = field(default_factory=dict)
    export: dict[str, Any] = field(default_factory=dict)
    briefing: dict[str, Any] = field(default_factory=dict)
    refresh: dict[str, Any] = field(default_factory=dict)
    server: dict[str, Any] = field(default_factory=dict)
    # parts that failed: their figures are missing, the others' are kept (`part` below)
    errors: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "meta": self.meta,
            "queries": self.queries,
            "browser": self.browser,
            "concurrent": self.concurrent,
            "protocol": self.protocol,
            "export": self.export,
            "briefing": self.briefing,
            "refresh": self.refresh,
            "server": self.server,
            "errors": self.errors,
        }


def first_line(exc: BaseException) -> str:
    """An error as the bench reports it: the first line of its message (Playwright's carry a
    call log after it), or its type when it has none."""
    lines = str(exc).splitlines()
    return lines[0] if lines else type(exc).__name__


@contextmanager
def part(report: Report, name: str, say: Callable[[str], None]) -> Iterator[None]:
    """Run one part of the benchmark: if it fails, say so, note it in the report and go on, so
    that a long run keeps the figures of every other part (a browser timing out after twenty
    minutes of queries lost them all before)."""
    try:
        yield
    except Exception as exc:  # any failure of a part; Ctrl-C still ends the run
        error = f"{type(exc).__name__}: {first_line(exc)}"
        report.errors.append({"part": name, "error": error})
        say(f"{name} failed, its figures are missing: {error}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(values), 1) if values else float("nan"),
        "p95_ms": round(percentile(values, 0.95), 1),
        "runs": len(values),
    }


def cpu_seconds(processes: list[psutil.Process]) -> float:
    """User and system CPU these processes have used so far (those gone count 0)."""
    total = 0.0
    for proc in processes:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def tree(root: psutil.Process | None) -> list[psutil.Process]:
    """A process and all its descendants (none without one)."""
    return [] if root is None else [root, *root.children(recursive=True)]


def browsers() -> list[psutil.Process]:
    """The Chromium processes this benchmark started (through Playwright's driver)."""
    return [p for p in tree(psutil.Process()) if "chrom" in p.name().lower()]


class Pacing:
    """When one session of the concurrent parts pauses. `think_seconds` 0: back to back, the
    worst case. Otherwise as analysts who read a view before they open the next: the session
    starts at a random moment of its first pause and pauses 0.5 to 1.5 times `think_seconds`
    after each view, so that twenty sessions do not move in lock step (all at once, then all
    idle); seeded per session, the same on every run."""

    def __init__(self, options: Options, session: int) -> None:
        self.think = options.think_seconds
        self.rng = random.Random(options.seed * 1000 + session)

    def start(self) -> float:
        return self.rng.uniform(0.0, self.think) if self.think > 0 else 0.0

    def pause(self) -> float:
        return self.rng.uniform(0.5, 1.5) * self.think if self.think > 0 else 0.0


def make_viewer(agency: str, role: Role) -> Viewer:
    bits = {a.code: a.bit for a in agencies()}
    return Viewer(f"bench-{role}", agency, bits[agency], role, dt.datetime.now(dt.UTC))


@dataclass
class Peak:
    value: int = 0


@contextmanager
def peak_rss(processes: list[Any], interval: float = 0.05) -> Iterator[Peak]:
    """Sample the summed RSS of these processes and all their children until the block ends."""
    import psutil

    peak, stop = Peak(), threading.Event()

    def sample() -> None:
        while not stop.is_set():
            total = 0
            for p in processes:
                try:
                    tree = [p, *p.children(recursive=True)]
                    total += sum(c.memory_info().rss for c in tree)
                except psutil.Error:
                    continue
            peak.value = max(peak.value, total)
            stop.wait(interval)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        stop.set()
        thread.join()
