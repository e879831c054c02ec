"""Shared fixtures: a real PostgreSQL (embedded by default, NSOC_DATABASE_URL when set), fresh
databases per purpose, and one seeded warehouse for the whole session."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from seed.load import seed_warehouse
from warehouse import db, migrate
from warehouse.settings import DEMO_PSEUDONYM_KEY, agencies, get_settings

TEST_SEED = 7
# Every chart the app draws is validated against the Vega-Lite schema in the tests (and in the
# app servers the browser tests start); the app itself skips that (dashboard/charts.py).
os.environ["NSOC_VALIDATE_CHARTS"] = "1"
EXTERNAL_URL = os.environ.get("NSOC_DATABASE_URL")


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """Admin URL of the server the tests run against."""
    if EXTERNAL_URL:
        yield db.sqlalchemy_url(EXTERNAL_URL)
        return
    workdir = Path(tempfile.mkdtemp(prefix="nsoc-test-pg-"))
    url = db.start_embedded(workdir / "pgdata")
    try:
        yield url
    finally:
        db.stop_embedded(workdir / "pgdata")
        shutil.rmtree(workdir, ignore_errors=True)


@dataclass
class Databases:
    server_url: str
    created: list[str]

    def new(self, prefix: str = "nsoc_test") -> str:
        """A fresh, empty database on the test server; dropped at the end of the session."""
        url = make_url(self.server_url).set(database=f"{prefix}_{uuid.uuid4().hex[:10]}")
        rendered = url.render_as_string(hide_password=False)
        db.ensure_database(rendered)
        self.created.append(rendered)
        return rendered


@pytest.fixture(scope="session")
def databases(server_url: str) -> Iterator[Databases]:
    dbs = Databases(server_url=server_url, created=[])
    yield dbs
    for url in dbs.created:
        db.drop_database(url)


def seeded(
    url: str, *, size: str = "small", seed: int = TEST_SEED, manifest: Path | None = None
) -> Engine:
    engine = create_engine(url)
    migrate.upgrade(engine)
    with engine.begin() as conn:
        seed_warehouse(
            conn,
            size=size,
            seed=seed,
            agencies=agencies(),
            pseudonym_key=DEMO_PSEUDONYM_KEY.encode(),
            manifest_path=manifest,
        )
    return engine


@dataclass
class Warehouse:
    url: str
    engine: Engine
    manifest: dict


@pytest.fixture(scope="session")
def warehouse(
    databases: Databases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Warehouse]:
    """The small data set, seeded once; tests must not write to it (use `databases.new()`)."""
    url = databases.new("nsoc_test_wh")
    manifest = tmp_path_factory.mktemp("seed") / "manifest.json"
    engine = seeded(url, manifest=manifest)
    yield Warehouse(url=url, engine=engine, manifest=json.loads(manifest.read_text()))
    engine.dispose()


@pytest.fixture
def use_warehouse(warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch) -> Iterator[Warehouse]:
    """Point settings (and so the CLI and the app) at the seeded test warehouse."""
    monkeypatch.setenv("NSOC_DATABASE_URL", warehouse.url)
    get_settings.cache_clear()
    db.get_engine.cache_clear()
    yield warehouse
    get_settings.cache_clear()
    db.get_engine.cache_clear()


def make_viewer(agency: str, role: str = "analyst", subject: str | None = None):
    """A Viewer as the login would build it (agency bit from configuration)."""
    import datetime as dt

    from warehouse.viewer import Role, Viewer

    bits = {a.code: a.bit for a in agencies()}
    return Viewer(
        subject=subject or f"{role}-{agency}",
        agency=agency,
        agency_bit=bits[agency],
        role=Role(role),
        session_started=dt.datetime.now(dt.UTC),
    )


@pytest.fixture(scope="session")
def app_engine(warehouse: Warehouse) -> Iterator[Engine]:
    """The seeded warehouse as the app's own role (nsoc_app): row-level security applies."""
    from warehouse.scoped import app_url

    engine = create_engine(app_url(warehouse.url))
    yield engine
    engine.dispose()
