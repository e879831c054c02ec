"""The management briefing: its headline figures equal the query results for the same viewer
and period, a manager's briefing is suppressed, the same data gives the same document, and
making one is audited. Also `nsoc export` and `nsoc briefing` from the command line."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from pypdf import PdfReader
from sqlalchemy import text
from typer.testing import CliRunner

from dashboard.briefing import make_briefing, period_filters
from dashboard.i18n import fmt_int
from tests.conftest import make_viewer
from warehouse.csvfile import Dialect, reader
from warehouse.period import Period
from warehouse.queries import briefing as queries
from warehouse.scoped import scoped
from warehouse.settings import get_settings

PERIOD = Period.parse("2024-Q1")


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def analyst_briefing(app_engine):
    return make_briefing(make_viewer("politie"), PERIOD, engine=app_engine)


def test_period_parsing_and_the_period_before():
    assert PERIOD.previous().label == "2023-Q4"
    assert Period.parse("2024-07").previous().label == "2024-06"
    assert Period.parse("2024").end.isoformat() == "2024-12-01"
    with pytest.raises(ValueError, match="2024-Q3"):
        Period.parse("Q3")


def test_headline_figures_equal_the_query(analyst_briefing, app_engine):
    viewer = make_viewer("politie")
    current, _ = period_filters(PERIOD, ())
    with scoped(viewer, engine=app_engine) as conn:
        row = queries.headline(conn=conn, viewer=viewer, filters=current).iloc[0]
    body = pdf_text(analyst_briefing.pdf)
    assert f"Signalen\n{fmt_int(row.signals, 'nl')}\n" in body
    assert f"€ {fmt_int(float(row.amount_eur), 'nl')}" in body
    assert "DEPARTEMENTAAL VERTROUWELIJK" in body and "2024-Q1" in body
    assert "vorige periode (2023-Q4)" in body


def test_a_managers_briefing_is_suppressed(app_engine):
    manager = make_viewer("kmar", "manager")
    current, _ = period_filters(PERIOD, ())
    with scoped(manager, engine=app_engine) as conn:
        grid = queries.phenomenon_by_region(conn=conn, viewer=manager, filters=current)
    assert grid["suppressed"].any(), "the small data set should have small cells here"
    body = pdf_text(make_briefing(manager, PERIOD, engine=app_engine).pdf)
    k = get_settings().suppression_k
    assert f"< {k}" in body


def test_same_data_same_document(analyst_briefing, app_engine):
    again = make_briefing(make_viewer("politie"), PERIOD, engine=app_engine)
    assert pdf_text(again.pdf) == pdf_text(analyst_briefing.pdf)
    assert again.sha256 == analyst_briefing.sha256


def test_making_a_briefing_is_audited(analyst_briefing, warehouse):
    with warehouse.engine.connect() as conn:
        rows = conn.execute(
            text("select details::text from audit_log where action = 'briefing'")
        ).scalars()
        entries = [json.loads(r) for r in rows]
    assert any(
        e["sha256"] == hashlib.sha256(analyst_briefing.pdf).hexdigest() and e["period"] == "2024-Q1"
        for e in entries
    )


def test_regions_narrow_the_briefing(app_engine):
    viewer = make_viewer("politie")
    body = pdf_text(make_briefing(viewer, PERIOD, regions=("OB",), engine=app_engine).pdf)
    assert "Oost-Brabant" in body and "Amsterdam\n" not in body


runner = CliRunner()


def test_cli_export_and_briefing(use_warehouse, tmp_path):
    from dashboard.cli import app
    from warehouse import scoped as scoped_module

    scoped_module.app_engine.cache_clear()
    result = runner.invoke(
        app,
        [
            "export",
            "--agency", "douane",
            "--role", "steward",
            "--reason", "routinelevering",
            "--case", "LEV-7",
            "--dialect", "excel-nl",
            "--from", "2024-01",
            "--to", "2024-03",
            "--out", str(tmp_path),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (out,) = tmp_path.glob("nsoc-export-*.csv")
    data = out.read_bytes()
    rows = reader(data, Dialect.excel_nl)
    assert {r[1] for r in rows[1:]} == {"douane"}  # a steward exports their own agency's rows
    assert hashlib.sha256(data).hexdigest() in result.output.replace("\n", "")
    with use_warehouse.engine.connect() as conn:
        entry = json.loads(
            conn.execute(
                text("select details::text from audit_log where details->>'case_number' = 'LEV-7'")
            ).scalar_one()
        )
    assert entry["via"] == "cli" and entry["rows"] == len(rows) - 1
    assert entry["filters"] == {"van": "2024-01", "tot": "2024-03"}

    refused = runner.invoke(
        app, ["export", "--agency", "douane", "--role", "manager", "--reason", "x", "--out", str(tmp_path / "m.csv")]
    )  # fmt: skip
    assert refused.exit_code == 1 and "aggregates only" in refused.output
    assert not (tmp_path / "m.csv").exists()

    pdf = tmp_path / "b.pdf"
    result = runner.invoke(
        app, ["briefing", "--period", "2024-Q3", "--agency", "om", "--role", "manager", "--out", str(pdf)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "2024-Q3" in pdf_text(pdf.read_bytes())
    scoped_module.app_engine.cache_clear()


def test_briefing_carries_the_view_sections_for_analysts_and_managers(warehouse, app_engine):
    """Indicators with the planted spike, facilitators (names for analysts only), hotspots."""
    from dashboard.briefing import build
    from tests.conftest import make_viewer
    from warehouse.period import Period
    from warehouse.scoped import scoped

    period = Period.parse("2024-03")
    analyst = make_viewer("politie")
    with scoped(analyst, engine=app_engine) as conn:
        content = build(conn, analyst, period, (), "nl")
    assert {"indicators", "facilitators", "hotspots"} <= set(content)
    anomalies = [b for b in content["indicators"] if hasattr(b, "rows")][-1]
    assert any(row[1] == "OB" for row in anomalies.rows[:3])  # the planted violence spike
    planted = {f["kvk_number"] for f in warehouse.manifest["facilitators"]}
    names = {row[2] for b in content["facilitators"] if hasattr(b, "rows") for row in b.rows}
    assert names  # analysts see names

    manager = make_viewer("politie", "manager")
    with scoped(manager, engine=app_engine) as conn:
        content = build(conn, manager, period, (), "nl")
    cells = [
        cell
        for b in content["facilitators"]
        if hasattr(b, "rows")
        for row in b.rows
        for cell in row
    ]
    assert not (names & set(cells)) and not (planted & set(cells))
