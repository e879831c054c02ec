"""`nsoc bench` in its fast mode against the test warehouse: it runs and prints its table and
JSON with the expected keys. Figures are never asserted (the machine is shared)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from dashboard.cli import app
from warehouse.settings import agencies

runner = CliRunner()


def test_bench_fast_mode_prints_table_and_json(warehouse, tmp_path):
    out = tmp_path / "bench.json"
    result = runner.invoke(
        app,
        [
            "bench",
            "--size",
            "small",
            "--url",
            warehouse.url,
            "--runs",
            "1",
            "--cold-runs",
            "1",
            "--refresh-signals",
            "500",
            "--skip-browser",
            "--skip-concurrent",
            "--skip-protocol",
            "--skip-export",
            "--json",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "warm p95" in result.output and "briefing" in result.output
    report = json.loads(out.read_text())
    assert set(report) == {
        "meta",
        "queries",
        "browser",
        "concurrent",
        "protocol",
        "export",
        "briefing",
        "refresh",
        "server",
        "errors",
    }
    assert report["errors"] == []
    assert report["meta"]["size"] == "small" and report["meta"]["signals"] > 0
    views = {q["view"] for q in report["queries"]}
    assert {"heatmaps", "indicators", "facilitators", "map"} <= views
    for q in report["queries"]:
        assert {"median_ms", "p95_ms", "runs"} <= set(q["warm"]) and q["cold"]["runs"] == 1
    assert any(q["ratio"] is not None for q in report["queries"])
    # one agency's delivery: at most 500 copies of its signals of the last three months
    refresh = report["refresh"]
    assert 0 < refresh["signals"] <= 500 and refresh["refresh_s"] >= 0
    assert refresh["corrected_refresh_s"] >= 0
    # a re-delivery's corrections: a tenth as many, across the months and several phenomena
    assert refresh["corrections"] == 50 and refresh["corrected_phenomena"] > 1
    assert refresh["many_corrected_refresh_s"] >= 0
    assert refresh["agency"] in {a.code for a in agencies()}
    # after each, the recount of the distinct-entity counts from the first month it touched
    assert refresh["recount_from"] in refresh["months"]
    assert min(refresh[f"{k}recount_s"] for k in ("", "corrected_", "many_corrected_")) > 0
    assert refresh["new_months_refresh_s"] > 0 and refresh["new_months_recount_s"] > 0
    assert report["briefing"]["pdf_bytes"] > 0
    assert report["browser"] == [] and report["export"] == {} and report["protocol"] == {}


def test_a_failing_part_keeps_the_figures_of_the_others(warehouse, tmp_path, monkeypatch):
    """A part that fails (a browser timing out, say) is reported and the run goes on: the
    figures of every other part are printed and written, and the command exits 1."""
    import dashboard.bench

    def broken(*args, **kwargs):
        raise TimeoutError("Page.goto: Timeout 30000ms exceeded.\nCall log: …")

    monkeypatch.setattr(dashboard.bench, "bench_refresh", broken)
    out = tmp_path / "bench.json"
    skips = ["--skip-browser", "--skip-concurrent", "--skip-protocol", "--skip-export"]
    result = runner.invoke(
        app,
        ["bench", "--size", "small", "--url", warehouse.url, "--runs", "1", "--cold-runs", "1"]
        + ["--skip-naive", *skips, "--json", str(out)],
    )
    assert result.exit_code == 1, result.output
    text = " ".join(result.output.split())
    assert "FAILED refresh: TimeoutError: Page.goto: Timeout 30000ms exceeded." in text
    assert "1 part(s) of the benchmark failed (refresh)" in text
    report = json.loads(out.read_text())
    assert report["errors"] == [
        {"part": "refresh", "error": "TimeoutError: Page.goto: Timeout 30000ms exceeded."}
    ]
    assert report["refresh"] == {}
    # the parts before and after it kept their figures
    assert report["queries"] and report["briefing"]["pdf_bytes"] > 0


def test_bench_refuses_a_warehouse_of_another_size_in_one_line(warehouse):
    result = runner.invoke(app, ["bench", "--size", "demo", "--url", warehouse.url])
    assert result.exit_code == 1
    assert "signals of another size (seeded: small); pass that --size" in " ".join(
        result.output.split()
    )
    assert "Traceback" not in result.output
