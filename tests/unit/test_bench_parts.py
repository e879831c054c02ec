"""A part of the benchmark that fails is noted and the run goes on; Ctrl-C still ends it."""

from __future__ import annotations

import pytest

from dashboard.bench.common import Report, first_line, part
from dashboard.bench.report import render


def test_a_failing_part_is_noted_and_the_run_goes_on():
    report, said = Report(), []
    with part(report, "export", said.append):
        raise RuntimeError("server gone\nsecond line")
    with part(report, "briefing", said.append):
        report.briefing = {"period": "2024-Q4", "first_s": 1.0, "second_s": 0.5}
    assert report.errors == [{"part": "export", "error": "RuntimeError: server gone"}]
    assert said == ["export failed, its figures are missing: RuntimeError: server gone"]
    lines = render(report)
    assert "FAILED export: RuntimeError: server gone" in lines
    assert any(line.startswith("briefing 2024-Q4") for line in lines)
    assert report.as_dict()["errors"] == report.errors


def test_an_interrupt_is_not_swallowed():
    report = Report()
    with pytest.raises(KeyboardInterrupt), part(report, "queries", print):
        raise KeyboardInterrupt
    assert report.errors == []


def test_an_error_without_a_message_is_reported_by_its_type():
    # a bare TimeoutError() has no first line to cut: the report names its type
    report = Report()
    with part(report, "browser pages", print):
        raise TimeoutError
    assert report.errors == [{"part": "browser pages", "error": "TimeoutError: TimeoutError"}]
    assert first_line(TimeoutError()) == "TimeoutError"
    assert first_line(RuntimeError("gone\nCall log: …")) == "gone"


def test_the_browser_table_splits_a_filter_change_into_rerun_and_drawing():
    # after a filter change: until drawn and, of that, until the app's rerun was over; the map
    # has no filter change, and a report written before the split has no rerun figures
    def s(median: float, p95: float) -> dict[str, float]:
        return {"median_ms": median, "p95_ms": p95, "runs": 4}

    report = Report()
    report.browser = [
        {
            "page": "heatmaps",
            "load": s(603, 644),
            "filter": s(215, 245),
            "filter_rerun": s(198, 230),
        },
        {"page": "map", "load": s(789, 1187), "filter": None, "filter_rerun": None},
        {"page": "indicators", "load": s(665, 678), "filter": s(270, 314)},
    ]
    lines = render(report)
    header = next(line for line in lines if line.startswith("page"))
    assert header.split() == [
        "page", "load", "med", "load", "p95", "filter", "med", "filter", "p95",
        "rerun", "med", "rerun", "p95",
    ]  # fmt: skip
    rows = {
        line.split()[0]: line.split()[1:]
        for line in lines
        if line.split()[:1] in (["heatmaps"], ["map"], ["indicators"])
    }
    assert rows["heatmaps"] == ["603", "644", "215", "245", "198", "230"]
    assert rows["map"] == ["789", "1187", "nan", "nan", "nan", "nan"]
    assert rows["indicators"] == ["665", "678", "270", "314", "nan", "nan"]


def test_a_rerun_is_seen_in_the_apps_messages_however_quick():
    # a rerun answered from the caches can start and end between two frames of the page: the
    # benchmark counts the app's script_finished messages instead of watching the page's state
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from dashboard.bench.browser import Reruns

    def message(status: str | None = None) -> bytes:
        msg = ForwardMsg()
        if status is None:
            msg.new_session.name = "x"  # not the end of a run
        else:
            msg.script_finished = ForwardMsg.ScriptFinishedStatus.Value(status)
        return msg.SerializeToString()

    async def scenario() -> None:
        runs = Reruns()
        count = runs.finished
        waiting = asyncio.create_task(runs.after(count, timeout=5))
        for payload in (
            message(),
            "text",
            b"\xff not protobuf",
            message("FINISHED_EARLY_FOR_RERUN"),
        ):
            runs.frame(payload)
        await asyncio.sleep(0.05)
        assert not waiting.done() and runs.finished == 0
        runs.frame(message("FINISHED_SUCCESSFULLY"))
        assert await waiting == runs.at and runs.finished == 1
        # a run over before anyone waits is counted all the same
        runs.frame(message("FINISHED_SUCCESSFULLY"))
        assert await runs.after(1, timeout=1) == runs.at
        with pytest.raises(TimeoutError):
            await runs.after(2, timeout=0.1)

    # on a thread of its own: the browser tests' Playwright keeps an event loop running in
    # this one for the rest of the session
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, scenario()).result()
