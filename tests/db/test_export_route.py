"""The download route verifies the viewer itself: a signed, short-lived, single-use token.
Refused: missing, expired, tampered, reused tokens and a manager's row export."""

from __future__ import annotations

import hashlib
import json
import time

import anyio
import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.testclient import TestClient

from tests.conftest import make_viewer
from warehouse import export, scoped
from warehouse.csvfile import Dialect, reader
from warehouse.export import ExportRequest, ExportRun
from warehouse.filters import Filters
from warehouse.settings import get_settings


@pytest.fixture
def client(use_warehouse):
    from dashboard import export_route

    scoped.app_engine.cache_clear()
    with TestClient(Starlette(routes=export_route.ROUTES)) as c:
        yield c
    scoped.app_engine.cache_clear()


def _request(**kw) -> ExportRequest:
    return ExportRequest(
        source=kw.pop("source", export.SIGNALS),
        filters=kw.pop("filters", Filters(phenomena=("ML_TBML",))),
        columns=kw.pop("columns", ("source_ref", "owner_agency", "observed_on", "amount_eur")),
        dialect=kw.pop("dialect", Dialect.excel_nl),
        reason=kw.pop("reason", "zaak TBML"),
        **kw,
    )


def _entry(warehouse, export_id: str) -> dict:
    with warehouse.engine.connect() as conn:
        raw = conn.execute(
            text("select details::text from audit_log where details->>'export_id' = :i"),
            {"i": export_id},
        ).scalar_one()
    return json.loads(raw)


def test_a_valid_token_downloads_once(client, use_warehouse):
    from dashboard.export_route import mint, url

    request = _request()
    token = mint(make_viewer("fiod"), request)
    response = client.get(url(token))
    assert response.status_code == 200
    assert request.export_id in response.headers["content-disposition"]
    rows = reader(response.content, Dialect.excel_nl)
    assert rows[0] == list(request.columns) and len(rows) > 10
    entry = _entry(use_warehouse, request.export_id)
    assert entry["sha256"] == hashlib.sha256(response.content).hexdigest()
    assert entry["rows"] == len(rows) - 1 and entry["via"] == "download"
    assert client.get(url(token)).status_code == 403  # single use


def test_missing_expired_and_tampered_tokens_are_refused(client, monkeypatch):
    from dashboard.export_route import SALT, mint, url

    assert client.get("/api/export").status_code == 401
    token = mint(make_viewer("fiod"), _request())
    tampered = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    assert client.get(url(tampered)).status_code == 403
    request = _request()
    mint(make_viewer("fiod"), request)  # the nonce exists; the signature is another key's
    payload = {
        "viewer": {"subject": "x", "agency": "politie", "role": "analyst", "name": None},
        "request": request.to_dict(),
    }
    forged = URLSafeTimedSerializer("an attacker's own key", salt=SALT).dumps(payload)
    assert client.get(url(forged)).status_code == 403
    with monkeypatch.context() as m:
        m.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 3600)
        old = mint(make_viewer("fiod"), _request())
    assert client.get(url(old)).status_code == 401


def test_a_managers_row_export_is_refused(client):
    from dashboard.export_route import mint, url

    token = mint(make_viewer("fiod", "manager"), _request())
    assert client.get(url(token)).status_code == 403


def test_a_managers_aggregate_export_is_served_suppressed(client):
    from dashboard.export_route import mint, url

    request = _request(
        source="export_rows.signal_aggregate",
        columns=("month", "region_code", "phenomenon_code", "signals"),
        dialect=Dialect.rfc4180,
    )
    response = client.get(url(mint(make_viewer("fiod", "manager"), request)))
    assert response.status_code == 200
    k = get_settings().suppression_k
    assert f"< {k}" in response.text


def test_the_route_streams_in_chunks(use_warehouse, monkeypatch):
    """Bounded memory: the body is an iterator of chunks, each made when the client asks."""
    from dashboard.export_route import stream

    monkeypatch.setattr(export, "CHUNK_BYTES", 16 * 1024)
    monkeypatch.setattr(export, "BATCH_ROWS", 500)
    scoped.app_engine.cache_clear()
    request = _request(filters=Filters(), dialect=Dialect.rfc4180)
    run = ExportRun(request, make_viewer("politie"))

    async def collect() -> list[bytes]:
        return [chunk async for chunk in stream(run)]

    chunks = anyio.run(collect)
    assert len(chunks) > 10
    assert max(len(c) for c in chunks[:-1]) < 64 * 1024
    entry = _entry(use_warehouse, request.export_id)
    assert entry["sha256"] == hashlib.sha256(b"".join(chunks)).hexdigest()
    scoped.app_engine.cache_clear()
