"""Helpers for delivery tests: a fresh migrated warehouse and delivery files built from rows."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from seed.reference import sync_reference
from warehouse import migrate
from warehouse.ingest.formats import ENTITY_FIELDS, SIGNAL_FIELDS, entity_column
from warehouse.ingest.load import load_delivery
from warehouse.ingest.report import Report
from warehouse.settings import DEMO_PSEUDONYM_KEY, agencies

KEY = DEMO_PSEUDONYM_KEY.encode()
# Clear person numbers used in the test files: they must never reach the database.
PERSONS = ("123456782", "987654321", "555444333")


def row(ref: str, **overrides: str) -> dict[str, str]:
    base = {
        "source_ref": ref,
        "phenomenon": "DRG_COCAINE_IMPORT",
        "observed_on": "2024-03-02",
        "reported_at": "2024-03-03T10:15:00+01:00",
        "municipality": "GM0599",
        "node": "NLRTM",
        "origin_node": "ECGYE",
        "lat": "51.90070",
        "lon": "4.47170",
        "amount_eur": "",
        "quantity_kg": "120.5",
        "severity": "4",
        "reliability": "B",
        "credibility": "2",
        "handling_code": "H0",
        "audience": "all",
        "network": "NW-TEST-1",
        "entity1_role": "suspect",
        "entity1_kind": "person",
        "entity1_id": PERSONS[0],
        "entity1_name": "Jan Jansen",
        "entity2_role": "facilitator",
        "entity2_kind": "company",
        "entity2_id": "1234 5678",
        "entity2_name": "Vanberg Transport B.V.",
        "entity2_municipality": "GM0599",
        "entity2_category": "TRANSPORT",
    }
    return {**base, **overrides}


COLUMNS = [
    *SIGNAL_FIELDS,
    *(entity_column(s, f) for s in (1, 2) for f in ENTITY_FIELDS),
]


def csv_bytes(rows: list[dict[str, str]], columns: list[str] | None = None) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns or COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def jsonl_bytes(rows: list[dict[str, str]]) -> bytes:
    lines = []
    for r in rows:
        obj: dict[str, object] = {k: v for k, v in r.items() if not k.startswith("entity")}
        obj["entities"] = [
            {f: r.get(entity_column(s, f), "") for f in ENTITY_FIELDS}
            for s in (1, 2)
            if r.get(entity_column(s, "kind"))
        ]
        lines.append(json.dumps(obj))
    return ("\n".join(lines) + "\n").encode()


def new_warehouse(databases, prefix: str = "nsoc_test_ingest") -> Engine:
    """A migrated, empty warehouse with reference data, on a new database."""
    engine = create_engine(databases.new(prefix))
    migrate.upgrade(engine)
    with engine.begin() as conn:
        sync_reference(conn, agencies())
    return engine


@pytest.fixture
def fresh(databases) -> Engine:
    """A migrated, empty warehouse with reference data."""
    engine = new_warehouse(databases)
    yield engine
    engine.dispose()


def deliver(
    engine: Engine, data: bytes, name: str = "batch.csv", agency: str = "politie"
) -> Report:
    with engine.begin() as conn:
        return load_delivery(conn=conn, agency=agency, file_name=name, data=data, key=KEY)


@pytest.fixture
def examples() -> Path:
    return Path(__file__).resolve().parents[2] / "examples" / "deliveries"


def match_scenario(engine: Engine) -> dict[str, int]:
    """Three open proposals around one company: politie knows it by KvK number and by name only
    (shared with all), douane by name only in a signal for itself. Returns the proposal ids by
    name: `politie` (politie's name-only entity and the company), `douane` (douane's and the
    company) and `names` (douane's and politie's name-only entities)."""
    from sqlalchemy import text

    from warehouse.ingest import resolve

    named = {"entity2_id": "", "entity2_municipality": "GM0599"}
    deliver(
        engine,
        csv_bytes([row("P-1"), row("P-2", entity2_name="Vanberg Transport BV", **named)]),
    )
    deliver(
        engine,
        csv_bytes([row("D-1", audience="douane", entity2_name="Vanberg Transport", **named)]),
        agency="douane",
    )
    with engine.begin() as conn:
        resolve.propose_matches(conn=conn)
        rows = conn.execute(
            text(
                """
                select m.id, coalesce(a.agency, '') || '/' || coalesce(c.agency, 'kvk') as pair
                from entity_match as m
                left join entity_alias as a on a.entity_id = m.entity_id
                left join entity_alias as c on c.entity_id = m.candidate_id
                """
            )
        ).all()
    names = {"politie/kvk": "politie", "douane/kvk": "douane", "douane/politie": "names"}
    return {names[r.pair]: r.id for r in rows}
