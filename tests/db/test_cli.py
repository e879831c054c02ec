"""The `nsoc` command against a real database: upgrade, seed, status, clear errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from warehouse import db, migrate
from warehouse.settings import get_settings

runner = CliRunner()


@pytest.fixture
def fresh(databases, monkeypatch):
    url = databases.new("nsoc_test_cli")
    monkeypatch.setenv("NSOC_DATABASE_URL", url)
    get_settings.cache_clear()
    db.get_engine.cache_clear()
    yield url
    get_settings.cache_clear()
    db.get_engine.cache_clear()


def test_upgrade_seed_and_reseed(fresh, tmp_path):
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"Schema at revision {migrate.head_revision()}" in result.output

    manifest = tmp_path / "m.json"
    result = runner.invoke(
        app, ["seed", "--size", "small", "--seed", "3", "--manifest", str(manifest)]
    )
    assert result.exit_code == 0, result.output
    assert "Loaded 20,000 signals" in result.output
    assert json.loads(manifest.read_text())["seed"] == 3

    result = runner.invoke(app, ["seed", "--size", "small", "--seed", "3"])
    assert result.exit_code == 0 and "nothing to seed" in result.output

    result = runner.invoke(app, ["seed", "--size", "small", "--seed", "4"])
    assert result.exit_code == 1
    assert "--replace" in result.output and "Traceback" not in result.output

    result = runner.invoke(app, ["db", "checksums"])
    assert result.exit_code == 0 and '"signal"' in result.output

    result = runner.invoke(app, ["rollups", "refresh"])
    assert result.exit_code == 0 and "rollup_signal_month" in result.output


def test_status_reports_external_server_and_revision(fresh):
    runner.invoke(app, ["db", "upgrade"])
    result = runner.invoke(app, ["db", "status"])
    assert result.exit_code == 0, result.output
    head = migrate.head_revision()
    assert "external server" in result.output and f"schema revision: {head}" in result.output


def test_unknown_size_is_a_clear_error(fresh):
    result = runner.invoke(app, ["seed", "--size", "enormous"])
    assert result.exit_code == 1
    assert "unknown size" in result.output and "Traceback" not in result.output


def test_unreachable_server_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("NSOC_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    get_settings.cache_clear()
    db.get_engine.cache_clear()
    try:
        result = runner.invoke(app, ["db", "upgrade"])
    finally:
        get_settings.cache_clear()
        db.get_engine.cache_clear()
    assert result.exit_code == 1
    assert "cannot reach the warehouse" in result.output


def test_a_schema_newer_than_the_code_is_a_clear_error(fresh):
    # A warehouse migrated by newer code: no Alembic stack trace, the schema untouched.
    from sqlalchemy import create_engine, text

    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    engine = create_engine(fresh)
    with engine.begin() as conn:
        conn.execute(text("update alembic_version set version_num = '9999'"))
    for command in (["db", "upgrade"], ["db", "downgrade", "base"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1, result.output
        assert "revision 9999" in result.output and "Traceback" not in result.output
    assert migrate.current_revision(engine) == "9999"
    engine.dispose()


def test_audit_verify_reports_intact_and_tampered_trails(fresh):
    from sqlalchemy import create_engine, text

    from warehouse import audit
    from warehouse.scoped import app_url

    runner.invoke(app, ["db", "upgrade"])
    app_engine = create_engine(app_url(fresh))
    for i in range(3):
        audit.record(app_engine, action="page_view", subject=f"user{i}", agency="politie")
    app_engine.dispose()
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0 and "3 entries, chain verified" in result.output

    owner = create_engine(fresh)
    with owner.begin() as conn:
        conn.execute(text("alter table audit_log disable trigger user"))
        conn.execute(text("update audit_log set viewer = 'someone-else' where chain_seq = 2"))
        conn.execute(text("alter table audit_log enable trigger user"))
    owner.dispose()
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "entry 2 was altered" in result.output and "tampered" in result.output
