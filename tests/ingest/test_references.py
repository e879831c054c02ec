"""The references of signal and signal_entity hold as foreign keys did (migration 0009 checks
them once per statement): unknown codes, signals and entities are refused, referenced rows
cannot be deleted, and deleting or truncating signals takes their links along."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.ingest.conftest import csv_bytes, deliver, row

INSERT = """
insert into signal (owner_agency, source_ref, phenomenon_code, observed_on, reported_at,
    municipality_code, node_code, origin_node_code, network_id, severity, reliability,
    credibility, handling_code, audience_mask)
values (:agency, :ref, :phenomenon, '2024-03-02', '2024-03-03', :municipality, :node, :origin,
    :network, 4, 'B', 2, 'H0', 1)
"""
GOOD = {
    "agency": "politie",
    "ref": "X-1",
    "phenomenon": "DRG_COCAINE_IMPORT",
    "municipality": "GM0599",
    "node": "NLRTM",
    "origin": None,
    "network": None,
}


def _refused(engine, sql: str, params: dict | None = None) -> str:
    with pytest.raises(IntegrityError) as caught, engine.begin() as conn:
        conn.execute(text(sql), params or {})
    assert "foreign key" in str(caught.value)
    return str(caught.value)


@pytest.mark.parametrize(
    ("column", "value", "table"),
    [
        ("agency", "nobody", "agency"),
        ("phenomenon", "NO_SUCH_THING", "phenomenon"),
        ("municipality", "GM9999", "municipality"),
        ("node", "XXNOPE", "logistics_node"),
        ("origin", "XXNOPE", "logistics_node"),
        ("network", 987654, "network"),
    ],
)
def test_a_signal_with_an_unknown_reference_is_refused(fresh, column, value, table):
    message = _refused(fresh, INSERT, {**GOOD, column: value})
    assert f'is not present in table "{table}"' in message
    with fresh.connect() as conn:
        assert conn.scalar(text("select count(*) from signal")) == 0


def test_links_need_an_existing_signal_and_entity(fresh):
    deliver(fresh, csv_bytes([row("A-1")]))
    with fresh.connect() as conn:
        signal_id, entity_id = conn.execute(
            text("select signal_id, entity_id from signal_entity limit 1")
        ).one()
    link = "insert into signal_entity values (:s, :e, 'involved', 1)"
    assert '"signal"' in _refused(fresh, link, {"s": signal_id + 1000, "e": entity_id})
    assert '"entity"' in _refused(fresh, link, {"s": signal_id, "e": entity_id + 1000})
    _refused(fresh, "update signal_entity set entity_id = entity_id + 1000")


def test_referenced_rows_cannot_be_deleted_or_rekeyed(fresh):
    deliver(fresh, csv_bytes([row("A-1")]))
    _refused(fresh, "delete from phenomenon where code = 'DRG_COCAINE_IMPORT'")
    _refused(fresh, "update municipality set gm_code = 'GM0000' where gm_code = 'GM0599'")
    _refused(fresh, "delete from network")
    _refused(fresh, "delete from entity")
    with fresh.begin() as conn:  # unreferenced rows and unchanged keys are fine
        conn.execute(text("update municipality set gm_code = gm_code where gm_code = 'GM0599'"))
        conn.execute(text("delete from phenomenon where code = 'VIO_EXPLOSION'"))


def test_deleting_or_truncating_signals_removes_their_links(fresh):
    deliver(fresh, csv_bytes([row("A-1"), row("A-2")]))
    with fresh.begin() as conn:
        conn.execute(text("delete from signal where source_ref = 'A-1'"))
        remaining = conn.scalar(text("select count(distinct signal_id) from signal_entity"))
        assert remaining == 1
        conn.execute(text("truncate signal cascade"))
        assert conn.scalar(text("select count(*) from signal_entity")) == 0
