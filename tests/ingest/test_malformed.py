"""Malformed deliveries: bad rows go to quarantine with a reason per field, good rows load,
and files that cannot be read as a whole are rejected with a message that says what to fix."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.ingest.conftest import COLUMNS, csv_bytes, deliver, jsonl_bytes, row


def _signals(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(text("select count(*) from signal"))


def _reasons(report) -> dict[int, dict[str, str]]:
    return {q.line_no: q.reasons for q in report.quarantine}


def test_example_files_load_without_quarantine(fresh, examples):
    files = sorted(examples.iterdir())
    assert len(files) >= 8
    for path in files:
        agency = path.stem
        report = deliver(fresh, path.read_bytes(), path.name, agency=agency)
        assert report.status == "loaded" and report.quarantined == 0, report.summary()
        assert report.inserted > 0


def test_wrong_encoding_quarantines_only_that_line(fresh):
    good = csv_bytes([row("A-1"), row("A-2")])
    bad = csv_bytes([row("A-3", entity2_name="Café Noord B.V.")]).split(b"\n", 1)[1]
    data = good + bad.replace("é".encode(), "é".encode("latin-1"))
    report = deliver(fresh, data)
    assert (report.inserted, report.quarantined) == (2, 1)
    assert "UTF-8" in _reasons(report)[4]["row"]


def test_utf16_file_is_rejected(fresh):
    report = deliver(fresh, csv_bytes([row("A-1")]).decode().encode("utf-16"))
    assert report.status == "rejected" and "UTF-8" in report.error
    assert _signals(fresh) == 0


def test_missing_columns_reject_the_file(fresh):
    columns = [c for c in COLUMNS if c not in ("phenomenon", "severity")]
    report = deliver(fresh, csv_bytes([row("A-1")], columns))
    assert report.status == "rejected"
    assert report.error == "missing columns: phenomenon, severity"
    with fresh.connect() as conn:
        assert conn.scalar(text("select status from delivery_batch")) == "rejected"


def test_broken_quoting_loses_one_row_not_the_rest(fresh):
    lines = csv_bytes([row("A-1"), row("A-2"), row("A-3")]).decode().split("\r\n")
    lines[2] = lines[2].replace("Vanberg", '"Vanberg', 1)  # a stray quote in row A-2
    report = deliver(fresh, "\r\n".join(lines).encode())
    assert report.inserted == 2 and report.quarantined == 1
    assert report.quarantine[0].line_no == 3


def test_huge_field_is_quarantined(fresh):
    report = deliver(fresh, csv_bytes([row("A-1", entity2_name="x" * 2_000_000), row("A-2")]))
    assert (report.inserted, report.quarantined) == (1, 1)
    assert report.quarantine[0].line_no == 2


def test_unknown_codes_get_a_reason_per_field(fresh):
    bad = row(
        "A-1",
        phenomenon="NOPE",
        municipality="GM9999",
        severity="9",
        reliability="Q",
        credibility="0",
        handling_code="H7",
        audience="politie;fbi",
        entity2_kind="spaceship",
        entity2_category="PIRATE",
    )
    report = deliver(fresh, csv_bytes([bad, row("A-2")]))
    reasons = _reasons(report)[2]
    for name in (
        "phenomenon",
        "municipality",
        "severity",
        "reliability",
        "credibility",
        "handling_code",
        "audience",
        "entity2_kind",
        "entity2_category",
    ):
        assert name in reasons, name
    assert report.inserted == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"observed_on": "2999-01-01"}, "observed_on"),
        ({"observed_on": "02-03-2024"}, "observed_on"),
        ({"reported_at": "2024-03-03 10:15"}, "reported_at"),
        ({"amount_eur": "-5"}, "amount_eur"),
        ({"amount_eur": "1e15"}, "amount_eur"),
        ({"quantity_kg": "lots"}, "quantity_kg"),
        ({"lat": "40.7", "lon": "-74.0", "node": "", "municipality": ""}, "lat"),
        ({"lat": "51.9", "lon": ""}, "lat"),
        ({"entity2_id": "1234"}, "entity2_id"),
        # digits of another script: isdigit() says yes, the table's check (0-9) would not
        ({"entity2_id": "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668"}, "entity2_id"),
        (
            {"entity2_kind": "vessel", "entity2_id": "\u0669\u0660\u0667\u0664\u0667\u0662\u0669"},
            "entity2_id",
        ),
        ({"entity2_kind": "bank_account", "entity2_id": "NL00ABNA0417164300"}, "entity2_id"),
        ({"entity1_id": ""}, "entity1_id"),
        ({"source_ref": ""}, "source_ref"),
        ({"network": "bad code!"}, "network"),
    ],
)
def test_invalid_values_are_quarantined(fresh, overrides, field):
    report = deliver(fresh, csv_bytes([row("A-1", **overrides), row("A-2")]))
    assert report.inserted == 1 and report.quarantined == 1
    assert field in report.quarantine[0].reasons


def test_coordinates_at_a_known_foreign_node_are_fine(fresh):
    report = deliver(
        fresh, csv_bytes([row("A-1", lat="-2.28", lon="-79.91", node="", municipality="")])
    )
    assert report.inserted == 1, report.quarantine


def test_duplicate_references_in_one_batch_are_all_quarantined(fresh):
    report = deliver(fresh, csv_bytes([row("A-1"), row("A-1", severity="5"), row("A-2")]))
    assert (report.inserted, report.quarantined) == (1, 2)
    assert "lines 2, 3" in report.quarantine[0].reasons["source_ref"]


def test_formula_like_names_round_trip_as_delivered(fresh):
    names = ['=HYPERLINK("http://x")', "+31 Trading", "-Min B.V.", "@Home", "\tTab", "\rCR"]
    rows = [
        row(f"A-{i}", entity2_id="", entity2_name=name, entity2_municipality="GM0363")
        for i, name in enumerate(names)
    ]
    report = deliver(fresh, csv_bytes(rows))
    assert report.inserted == len(names) and report.quarantined == 0
    with fresh.connect() as conn:
        stored = set(conn.scalars(text("select display_name from entity where kind='company'")))
    assert {n.strip() for n in names} <= stored


def test_a_row_for_another_agency_is_quarantined(fresh):
    columns = [*COLUMNS, "agency"]
    rows = [row("A-1", agency="douane"), row("A-2", agency="politie")]
    report = deliver(fresh, csv_bytes(rows, columns))
    assert (report.inserted, report.quarantined) == (1, 1)
    assert "agency" in report.quarantine[0].reasons


def test_jsonl_with_a_broken_line(fresh):
    data = jsonl_bytes([row("J-1"), row("J-2")]) + b"{not json\n" + jsonl_bytes([row("J-3")])
    report = deliver(fresh, data, "batch.jsonl")
    assert (report.inserted, report.quarantined) == (3, 1)
    assert report.quarantine[0].line_no == 3


def test_unknown_file_type_and_empty_file(fresh):
    assert deliver(fresh, b"x", "batch.xlsx").status == "rejected"
    assert deliver(fresh, b"", "batch.csv").status == "rejected"
