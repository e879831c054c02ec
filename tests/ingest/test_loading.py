"""Loading is idempotent, keeps history of corrections, never stores persons in clear, keeps
rollups in step, and a killed load leaves the warehouse as before."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
from sqlalchemy import text

from seed.load import checksums
from tests.ingest.conftest import KEY, PERSONS, csv_bytes, deliver, row
from warehouse import rollups
from warehouse.ingest.pseudonyms import pseudonymise


def _state(engine):
    with engine.connect() as conn:
        return checksums(conn), conn.scalar(text("select count(*) from signal_history"))


def test_redelivery_and_overlap_change_nothing(fresh):
    first = deliver(fresh, csv_bytes([row("A-1"), row("A-2")]))
    assert first.inserted == 2
    before = _state(fresh)
    again = deliver(fresh, csv_bytes([row("A-1"), row("A-2")]))
    assert again.status == "duplicate" and again.batch_id == first.batch_id
    overlap = deliver(fresh, csv_bytes([row("A-2"), row("A-1")]), "other-order.csv")
    assert (overlap.inserted, overlap.updated, overlap.unchanged) == (0, 0, 2)
    assert _state(fresh) == before


def test_a_correction_updates_the_signal_and_keeps_history(fresh):
    deliver(fresh, csv_bytes([row("A-1"), row("A-2")]))
    fixed = deliver(fresh, csv_bytes([row("A-1", severity="5", entity2_id="87654321")]), "fix.csv")
    assert (fixed.inserted, fixed.updated) == (0, 1)
    with fresh.connect() as conn:
        severity = conn.scalar(text("select severity from signal where source_ref = 'A-1'"))
        history = conn.execute(text("select signal_id, previous from signal_history")).all()
        kvks = conn.scalars(
            text(
                "select e.kvk_number from signal_entity l join entity e on e.id = l.entity_id "
                "join signal s on s.id = l.signal_id where s.source_ref = 'A-1' "
                "and e.kind = 'company'"
            )
        ).all()
    assert severity == 5 and kvks == ["87654321"]
    assert len(history) == 1 and history[0].previous["severity"] == 4
    assert len(history[0].previous["links"]) == 2


def test_person_identifiers_never_reach_the_database_in_clear(fresh):
    rows = [
        row("P-1", entity1_id=PERSONS[0]),
        row("P-2", entity1_id=f"{PERSONS[1][:4]}.{PERSONS[1][4:6]}.{PERSONS[1][6:]}"),
        # quarantined rows keep their raw fields, with the person number pseudonymised
        row("P-3", entity1_id=PERSONS[2], phenomenon="NOPE"),
        row("P-4", entity1_kind="persoon", entity1_id=PERSONS[2]),
    ]
    report = deliver(fresh, csv_bytes(rows))
    assert (report.inserted, report.quarantined) == (2, 2)
    broken = csv_bytes([row("P-5")]).split(b"\n", 1)[1].replace(b"P-5", b'"P-5')
    deliver(fresh, csv_bytes([row("P-6")]) + broken, "broken.csv")
    with fresh.connect() as conn:
        columns = conn.execute(
            text(
                "select table_name, column_name from information_schema.columns "
                "where table_schema = 'public' "
                "and data_type in ('text', 'character varying', 'character', 'jsonb')"
            )
        ).all()
        for table, column in columns:
            for person in PERSONS:
                hits = conn.scalar(
                    text(f'select count(*) from "{table}" where "{column}"::text like :p'),
                    {"p": f"%{person}%"},
                )
                assert hits == 0, (table, column)
        pseudonyms = set(conn.scalars(text("select person_pseudonym from entity")))
        raw = conn.scalar(text("select raw from quarantine_row where source_ref = 'P-3'"))
    assert pseudonymise(KEY, PERSONS[0]) in pseudonyms
    assert pseudonymise(KEY, PERSONS[1]) in pseudonyms  # dots forgiven: the same person
    assert raw["entity1_id"] == f"pseudonym:{pseudonymise(KEY, PERSONS[2])}"
    assert "entity1_name" not in raw


def test_rollups_follow_a_load_incrementally(fresh):
    # Each delivery merges its new signals into the rollups and rebuilds, for its own agency,
    # the months its corrections touched (the rollups folded over owners whole): two agencies in
    # the same months, a correction that moves a signal to another month, and a second agency's
    # correction after the first's load.
    deliver(fresh, csv_bytes([row("R-1"), row("R-2", observed_on="2023-05-01")]))
    deliver(fresh, csv_bytes([row("D-1"), row("D-2", severity="2")]), "d1.csv", agency="douane")
    deliver(fresh, csv_bytes([row("R-2", observed_on="2023-07-01"), row("R-3")]), "b2.csv")
    deliver(fresh, csv_bytes([row("D-2", severity="5", entity1_id=PERSONS[1])]), "d2.csv", "douane")
    with fresh.begin() as conn:

        def ordered(name: str) -> str:
            # the whole grain, so that equal frames come out in the same order
            return f"select * from {name} order by {', '.join(rollups.ROLLUPS[name])}"

        incremental = {name: pd.read_sql(text(ordered(name)), conn) for name in rollups.ROLLUPS}
        rollups.refresh_all(conn)
        for name, frame in incremental.items():
            full = pd.read_sql(text(ordered(name)), conn)
            pd.testing.assert_frame_equal(frame, full)
        months = conn.scalars(text("select distinct month from rollup_signal_month")).all()
    assert sorted(str(m) for m in months) == ["2023-07-01", "2024-03-01"]


def _big_file(path, n: int) -> None:
    rows = [
        row(f"K-{i:07d}", entity1_id=f"{100000000 + i % 5000}", entity2_id=f"{10000000 + i % 3000}")
        for i in range(n)
    ]
    path.write_bytes(csv_bytes(rows))


@pytest.mark.slow
def test_a_killed_load_leaves_nothing_and_a_rerun_completes(fresh, tmp_path):
    deliver(fresh, csv_bytes([row("BEFORE-1")]), "before.csv")
    before = _state(fresh)
    big = tmp_path / "big.csv"
    _big_file(big, 150_000)
    env = {**os.environ, "NSOC_DATABASE_URL": fresh.url.render_as_string(hide_password=False)}
    cmd = [sys.executable, "-m", "dashboard.cli", "ingest", "--agency", "politie", str(big)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_writing(fresh, proc)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert _state(fresh) == before
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    with fresh.connect() as conn:
        assert conn.scalar(text("select count(*) from signal")) == 150_001
        assert conn.scalar(text("select count(*) from delivery_batch")) == 2


def _wait_for_writing(engine, proc) -> None:
    """Until the loader is inside its transaction, writing the batch."""
    deadline = time.monotonic() + 120
    sql = text(
        "select count(*) from pg_stat_activity where datname = current_database() "
        "and pid <> pg_backend_pid() and state in ('active', 'idle in transaction') "
        "and backend_xid is not null"
    )
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the loader finished before it could be killed"
        with engine.connect() as conn:
            if conn.scalar(sql):
                time.sleep(0.3)
                return
        time.sleep(0.05)
    raise AssertionError("the loader never started writing")
