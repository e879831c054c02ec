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
