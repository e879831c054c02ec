"""Loading many deliveries in one transaction (the seed's path): the next file is validated
while the database loads this one, in order, with the same results as one by one; plain
indexes and reference checks move to the end and come back exactly as they were."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, text

from tests.ingest.conftest import (
    KEY,
    PERSONS,
    csv_bytes,
    deliver,
    jsonl_bytes,
    new_warehouse,
    row,
)
from warehouse.bulk import MissingReference, bulk_load
from warehouse.ingest import upsert
from warehouse.ingest.load import load_deliveries
from warehouse.ingest.pseudonyms import pseudonymise

INDEXES = (
    "select indexname, indexdef from pg_indexes "
    "where tablename in ('signal', 'signal_entity') order by 1"
)
TRIGGERS = (
    "select tgname, tgenabled from pg_trigger "
    "where tgrelid in ('signal'::regclass, 'signal_entity'::regclass) and not tgisinternal "
    "order by 1"
)
CONTENT = """
select s.owner_agency, s.source_ref, s.severity, s.phenomenon_code, s.network_id is not null,
    array_agg(e.kind || ':' || se.role order by e.kind, se.role)
from signal s join signal_entity se on se.signal_id = s.id join entity e on e.id = se.entity_id
group by 1, 2, 3, 4, 5 order by 1, 2
"""


def _deliveries() -> list[tuple[str, str, bytes]]:
    """Two agencies, CSV and JSON Lines, a correction, a bad row, a repeated file and a file
    that is refused as a whole."""
    first = csv_bytes([row("P-1"), row("P-2", severity="9"), row("P-3")])
    return [
        ("politie", "1.csv", first),
        ("douane", "2.jsonl", jsonl_bytes([row("D-1", audience="douane"), row("D-2")])),
        ("politie", "3.csv", csv_bytes([row("P-1", severity="2"), row("P-4")])),
        ("politie", "1-again.csv", first),
        ("douane", "4.csv", b"\xff\xfe not a delivery"),
    ]


def _state(conn: Connection) -> list[tuple]:
    return [tuple(r) for r in conn.execute(text(CONTENT))]


def test_one_transaction_loads_in_order_as_one_by_one(databases, fresh):
    with fresh.begin() as conn:
        reports = list(load_deliveries(conn=conn, deliveries=_deliveries(), key=KEY))
    assert [r.file_name for r in reports] == ["1.csv", "2.jsonl", "3.csv", "1-again.csv", "4.csv"]
    assert [r.status for r in reports] == ["loaded", "loaded", "loaded", "duplicate", "rejected"]
    assert [(r.inserted, r.updated, r.quarantined) for r in reports[:3]] == [
        (2, 0, 1),
        (2, 0, 0),
        (1, 1, 0),
    ]
    one_by_one = new_warehouse(databases)
    try:
        for agency, name, data in _deliveries():
            deliver(one_by_one, data, name=name, agency=agency)
        with fresh.connect() as pipelined, one_by_one.connect() as single:
            assert _state(pipelined) == _state(single)
            assert len(_state(pipelined)) == 5
            history = "select count(*) from signal_history"
            assert pipelined.scalar(text(history)) == single.scalar(text(history)) == 1
    finally:
        one_by_one.dispose()


def test_an_unknown_agency_stops_the_load(fresh):
    deliveries = [("politie", "1.csv", csv_bytes([row("P-1")])), ("nobody", "2.csv", b"")]
    with pytest.raises(ValueError, match="unknown agency 'nobody'"), fresh.begin() as conn:
        list(load_deliveries(conn=conn, deliveries=deliveries, key=KEY))
    with fresh.connect() as conn:
        assert conn.scalar(text("select count(*) from signal")) == 0


def test_bulk_load_drops_plain_indexes_and_triggers_and_restores_them(fresh):
    with fresh.connect() as conn:
        indexes = conn.execute(text(INDEXES)).all()
        triggers = conn.execute(text(TRIGGERS)).all()
    plain = {"signal_observed_idx", "signal_phenomenon_idx", "signal_entity_entity_idx"}
    assert plain <= {name for name, _ in indexes}
    with fresh.begin() as conn, bulk_load(conn):
        during = {name for name, _ in conn.execute(text(INDEXES))}
        assert not plain & during
        assert {"signal_pkey", "signal_owner_agency_source_ref_key"} <= during
        disabled = {name for name, state in conn.execute(text(TRIGGERS)) if state == "D"}
        assert disabled == {"signal_references_insert", "signal_references_update"} | {
            "signal_entity_references_insert",
            "signal_entity_references_update",
        }
        list(load_deliveries(conn=conn, deliveries=_deliveries()[:3], key=KEY))
    with fresh.connect() as conn:
        assert conn.execute(text(INDEXES)).all() == indexes
        assert conn.execute(text(TRIGGERS)).all() == triggers
        assert conn.scalar(text("select count(*) from signal")) == 5
        # The rebuilt index is used and complete.
        conn.execute(text("set enable_seqscan = off"))
        by_index = "select count(*) from signal_entity where entity_id > 0"
        assert conn.scalar(text(by_index)) == conn.scalar(
            text("select count(*) from (select * from signal_entity offset 0) as se")
        )


def test_a_missing_reference_found_at_the_end_commits_nothing(fresh):
    with fresh.connect() as conn:
        indexes = conn.execute(text(INDEXES)).all()
    with (
        pytest.raises(
            MissingReference, match='phenomenon_code = NOPE is not present in table "phenomenon"'
        ),
        fresh.begin() as conn,
        bulk_load(conn),
    ):
        list(load_deliveries(conn=conn, deliveries=_deliveries()[:1], key=KEY))
        # What the disabled trigger would have refused at once.
        conn.execute(text("update signal set phenomenon_code = 'NOPE' where source_ref = 'P-3'"))
    with fresh.connect() as conn:
        assert conn.scalar(text("select count(*) from signal")) == 0
        assert conn.execute(text(INDEXES)).all() == indexes
        assert all(state != "D" for _, state in conn.execute(text(TRIGGERS)))
    # The triggers work again: the same update is refused at once.
    deliver(fresh, csv_bytes([row("P-3")]))
    with pytest.raises(Exception, match="foreign key"), fresh.begin() as conn:
        conn.execute(text("update signal set phenomenon_code = 'NOPE'"))


def test_entities_resolved_once_per_transaction_are_the_same_as_one_by_one(
    databases, fresh, monkeypatch
):
    """In one transaction an identifier or an agency's name is resolved in SQL the first time
    only; later deliveries take the entity the load already found, and the warehouse is the
    same as when every delivery resolves its own."""
    unnamed = {"entity2_id": "", "entity2_name": "Havenbedrijf Oost"}
    deliveries = [
        ("politie", "1.csv", csv_bytes([row("P-1"), row("P-2", **unnamed)])),
        ("politie", "2.csv", csv_bytes([row("P-3"), row("P-4", **unnamed)])),
        ("douane", "3.csv", csv_bytes([row("D-1", **unnamed)])),
    ]
    staged: list[list[str]] = []
    real = upsert._stage_distinct

    def recording(conn, create, table, rows):
        staged.append(sorted(rows["kind"] + ":" + rows.get("ident", rows["name"]).astype(str)))
        real(conn, create, table, rows)

    monkeypatch.setattr(upsert, "_stage_distinct", recording)
    with fresh.begin() as conn:
        list(load_deliveries(conn=conn, deliveries=deliveries, key=KEY))
    person = f"person:{pseudonymise(KEY, PERSONS[0])}"
    # 1.csv: the person, the KvK number and politie's unnamed company; 2.csv: nothing new;
    # 3.csv: douane's own alias of the same name (agencies do not share name matches).
    assert staged == [
        sorted([person, "company:12345678"]),
        ["company:Havenbedrijf Oost"],
        ["company:Havenbedrijf Oost"],
    ]
    monkeypatch.setattr(upsert, "_stage_distinct", real)
    one_by_one = new_warehouse(databases)
    try:
        for agency, name, data in deliveries:
            deliver(one_by_one, data, name=name, agency=agency)
        with fresh.connect() as pipelined, one_by_one.connect() as single:
            assert _links(pipelined) == _links(single)
            assert len(_links(pipelined)) == 10
            assert pipelined.scalar(text("select count(*) from entity")) == 4
    finally:
        one_by_one.dispose()


LINKS = """
select s.owner_agency, s.source_ref, e.kind, coalesce(e.kvk_number, e.display_name),
    dense_rank() over (order by e.id)
from signal s join signal_entity se on se.signal_id = s.id join entity e on e.id = se.entity_id
order by 1, 2, 3, 4
"""


def _links(conn: Connection) -> list[tuple]:
    return [tuple(r) for r in conn.execute(text(LINKS))]
