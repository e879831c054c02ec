"""`nsoc ingest` and `nsoc resolve`: reports, exit codes, one-line errors."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from dashboard.cli import app
from tests.ingest.conftest import csv_bytes, row
from warehouse import db
from warehouse.settings import get_settings

runner = CliRunner()


@pytest.fixture
def cli(fresh, monkeypatch):
    monkeypatch.setenv("NSOC_DATABASE_URL", fresh.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    db.get_engine.cache_clear()
    yield fresh
    get_settings.cache_clear()
    db.get_engine.cache_clear()


def audited(engine, action: str) -> list:
    """The audit entries of one kind, oldest first: who, for which agency, what."""
    with engine.connect() as conn:
        sql = "select viewer, agency, details from audit_log where action = :a order by chain_seq"
        return list(conn.execute(text(sql), {"a": action}).all())


def test_ingest_reports_and_exit_codes(cli, tmp_path, examples):
    good = runner.invoke(app, ["ingest", "--agency", "politie", str(examples / "politie.csv")])
    assert good.exit_code == 0, good.output
    assert "15 rows: 15 new" in good.output
    # after the commit, the distinct-entity counts the delivery left out of date
    assert "Distinct-entity counts recounted from" in good.output
    with cli.connect() as conn:
        assert conn.scalar(text("select count(*) from rollup_stale")) == 0
    idle = runner.invoke(app, ["rollups", "recount"])
    assert idle.exit_code == 0 and "up to date" in idle.output

    again = runner.invoke(app, ["ingest", "--agency", "politie", str(examples / "politie.csv")])
    assert again.exit_code == 0 and "already delivered" in again.output

    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(csv_bytes([row("M-1"), row("M-2", phenomenon="NOPE")]))
    result = runner.invoke(app, ["ingest", "--agency", "politie", str(mixed)])
    assert result.exit_code == 2
    assert "1 quarantined" in result.output and "phenomenon: unknown code" in result.output

    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"source_ref\nX\n")
    result = runner.invoke(app, ["ingest", "--agency", "politie", str(broken)])
    assert result.exit_code == 1 and "missing columns" in result.output

    # every delivery on the command line is in the audit trail, as an upload on the page is
    entries = audited(cli, "delivery")
    assert [(e.agency, e.details["file"], e.details["status"]) for e in entries] == [
        ("politie", "politie.csv", "loaded"),
        ("politie", "politie.csv", "duplicate"),
        ("politie", "mixed.csv", "loaded"),
        ("politie", "broken.csv", "rejected"),
    ]
    assert entries[0].details["inserted"] == 15 and entries[2].details["quarantined"] == 1
    assert {e.details["via"] for e in entries} == {"cli"} and all(e.viewer for e in entries)


def test_ingest_clear_errors(cli, tmp_path):
    result = runner.invoke(app, ["ingest", "--agency", "fbi", str(tmp_path / "x.csv")])
    assert result.exit_code == 1 and "unknown agency" in result.output
    result = runner.invoke(app, ["ingest", "--agency", "politie", str(tmp_path / "none.csv")])
    assert result.exit_code == 1 and "no such" in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_resolve_commands(cli, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_bytes(csv_bytes([row("P-1")]))
    second.write_bytes(csv_bytes([row("D-1", entity2_id="")]))
    runner.invoke(app, ["ingest", "--agency", "politie", str(first)])
    runner.invoke(app, ["ingest", "--agency", "douane", str(second)])
    result = runner.invoke(app, ["resolve", "propose"])
    assert result.exit_code == 0 and "1 new match proposals" in result.output
    listed = runner.invoke(app, ["resolve", "list"])
    assert "12345678" in listed.output
    confirmed = runner.invoke(app, ["resolve", "confirm", "1", "--by", "steward"])
    assert confirmed.exit_code == 0 and "confirmed" in confirmed.output
    missing = runner.invoke(app, ["resolve", "reject", "99"])
    assert missing.exit_code == 1 and "no match proposal" in missing.output
    reopened = runner.invoke(app, ["resolve", "reopen", "1", "--by", "steward"])
    assert reopened.exit_code == 0 and "proposed" in reopened.output
    entries = audited(cli, "match_decision")
    with cli.connect() as conn:
        resolved = conn.scalar(text("select count(*) from entity where resolved_id is not null"))
    # each decision on the command line is in the audit trail, with the operator who took it
    assert [(e.viewer, e.agency, e.details["decision"], e.details["via"]) for e in entries] == [
        ("steward", None, "confirmed", "cli"),
        ("steward", None, "reopened", "cli"),
    ]
    assert entries[0].details["match"] == 1
    assert resolved == 0
