"""load_files: several agencies side by side, each file its own batch, and one agency's files
in the order given (a later correction wins, whatever the threads do)."""

from __future__ import annotations

from sqlalchemy import text

from tests.ingest.conftest import KEY, csv_bytes, row
from warehouse.ingest.load import load_files


def test_agencies_load_side_by_side_and_an_agency_in_order(fresh, tmp_path):
    files = []
    for n, (agency, prefix) in enumerate([("politie", "POL"), ("douane", "DOU")] * 3):
        path = tmp_path / f"{n}-{agency}.csv"
        # Every file of an agency corrects the same signal: the last one must win.
        rows = [row(f"{prefix}-{n}"), row(f"{prefix}-X", severity=str(n // 2 + 1))]
        path.write_bytes(csv_bytes([{**r, "audience": "all"} for r in rows]))
        files.append((agency, path))
    reports = load_files(engine=fresh, files=files, key=KEY, jobs=2)
    assert [r.file_name for r in reports] == [p.name for _, p in files]
    assert [(r.inserted, r.updated) for r in reports] == [(2, 0)] * 2 + [(1, 1)] * 4
    with fresh.connect() as conn:
        latest = conn.execute(
            text("select owner_agency, severity from signal where source_ref like '%-X'")
        ).all()
        assert sorted(latest) == [("douane", 3), ("politie", 3)]
        assert conn.scalar(text("select count(*) from signal_history")) == 4
        assert conn.scalar(text("select count(*) from delivery_batch")) == 6
