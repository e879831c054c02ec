"""Load one delivered file as one batch, in the caller's transaction: a killed load leaves the
warehouse as before (the transaction never committed), a re-run finishes it, and a file already
loaded (same agency, same sha256) changes nothing."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

from warehouse import entity_counts, rollups
from warehouse.ingest.prepare import Prepared, Progress, prepare_delivery
from warehouse.ingest.reference import Reference, load_reference
from warehouse.ingest.report import QuarantinedRow, Report
from warehouse.ingest.upsert import Resolved, apply_batch

# Processes that read and validate deliveries for load_deliveries: on two cores, reading
# takes about as long as the database's part.
_READERS = 2
# The columns the loader looks entities up by: with a column list, analyze leaves out the
# statistics of entity's expression index (nsoc_name_key of every sampled name, 3/4 of the time).
_ANALYZE = (
    "analyze entity (kind, kvk_number, iban, imo_number, person_pseudonym), "
    "entity_alias (agency, kind, name_key, municipality_code), network (code)"
)


def load_file(
    *,
    conn: Connection,
    agency: str,
    path: Path,
    key: bytes,
    refresh_rollups: bool = True,
    progress: Progress | None = None,
    resolved: Resolved | None = None,
) -> Report:
    """Load a delivery file from disk (see load_delivery)."""
    return load_delivery(
        conn=conn,
        agency=agency,
        file_name=path.name,
        data=path.read_bytes(),
        key=key,
        refresh_rollups=refresh_rollups,
        progress=progress,
        resolved=resolved,
    )


def load_files(
    *,
    engine: Engine,
    files: list[tuple[str, Path]],
    key: bytes,
    jobs: int = 2,
    refresh_rollups: bool = True,
) -> list[Report]:
    """Load (agency, path) deliveries, each file one batch in its own transaction. Agencies
    load side by side in `jobs` worker processes (each reads and validates on its own core
    while the other waits for the database); one agency's files load one after another in
    the order given. jobs=1 loads everything here, one file at a time."""
    by_agency: dict[str, list[tuple[int, str, Path]]] = {}
    for index, (agency, path) in enumerate(files):
        by_agency.setdefault(agency, []).append((index, agency, path))
    reports: list[Report | None] = [None] * len(files)
    if jobs <= 1 or len(by_agency) <= 1:
        for batches in by_agency.values():
            for index, report in _load_agency(engine, batches, key, refresh_rollups):
                reports[index] = report
        return _recounted(engine, reports, refresh_rollups)
    url = engine.url.render_as_string(hide_password=False)
    # spawn: a worker starts clean (no copied connections or threads of the caller).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [
            pool.submit(_load_agency_in_worker, url, batches, key, refresh_rollups)
            for batches in by_agency.values()
        ]
        # result() re-raises the first error of any agency.
        for future in futures:
            for index, report in future.result():
                reports[index] = report
    return _recounted(engine, reports, refresh_rollups)


def _recounted(engine: Engine, reports: list[Report | None], refreshed: bool) -> list[Report]:
    """The reports, once the distinct-entity counts the loads left stale are recounted (after
    their commits, in a transaction of its own: warehouse/entity_counts.py)."""
    if refreshed:
        entity_counts.recount_stale(engine)
    return [r for r in reports if r is not None]


def _load_agency(
    engine: Engine, batches: list[tuple[int, str, Path]], key: bytes, refresh_rollups: bool
) -> list[tuple[int, Report]]:
    done = []
    resolved = Resolved()  # an error ends this loader, and its memory with it
    for index, agency, path in batches:
        with engine.begin() as conn:
            report = load_file(
                conn=conn,
                agency=agency,
                path=path,
                key=key,
                refresh_rollups=refresh_rollups,
                resolved=resolved,
            )
        done.append((index, report))
    return done


def _load_agency_in_worker(
    url: str, batches: list[tuple[int, str, Path]], key: bytes, refresh_rollups: bool
) -> list[tuple[int, Report]]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        return _load_agency(engine, batches, key, refresh_rollups)
    finally:
        engine.dispose()


def load_delivery(
    *,
    conn: Connection,
    agency: str,
    file_name: str,
    data: bytes,
    key: bytes,
    now: dt.datetime | None = None,
    refresh_rollups: bool = True,
    progress: Progress | None = None,
    resolved: Resolved | None = None,
) -> Report:
    """Validate and load one batch for `agency`; bad rows go to quarantine with reasons
    (`resolved`: the entities this loader resolved before, see upsert.Resolved)."""
    step = progress or (lambda stage, fraction: None)
    ref = load_reference(conn=conn)
    _check_agency(ref, agency)
    sha = hashlib.sha256(data).hexdigest()
    duplicate = _lock_and_find(conn, agency, file_name, sha)
    if duplicate is not None:
        return duplicate
    step("reading", 0.05)
    prepared = prepare_delivery(
        agency=agency, file_name=file_name, data=data, sha=sha, ref=ref, key=key, now=now, step=step
    )
    return _apply(conn, prepared, refresh_rollups=refresh_rollups, step=step, resolved=resolved)


def load_deliveries(
    *,
    conn: Connection,
    deliveries: Iterable[tuple[str, str, bytes]],
    key: bytes,
    now: dt.datetime | None = None,
) -> Iterator[Report]:
    """Load (agency, file name, data) deliveries one after another, in the order given, in
    the caller's transaction (rollups are left to the caller). Three things overlap: this
    thread takes the next delivery from `deliveries` (the seed generates it), worker processes
    read and validate the ones before (each its own Python, not sharing this one's lock), and
    a thread has the database apply the one before those (psycopg waits for the server without
    holding Python's lock). The seed loads this way.

    Autovacuum cannot see rows of a transaction that has not committed: the tables the loader
    looks entities up in are analyzed here before the 1st, 2nd, 4th, 8th, … delivery, so
    that the planner's idea of their size is never off by more than a factor of two (an
    entity table thought empty is scanned whole for every delivery). Signals are looked up
    only when a delivery repeats a source reference (upsert.py), so their tables are not."""
    ref = load_reference(conn=conn)
    now = now or dt.datetime.now(dt.UTC)
    resolved = Resolved()  # entities resolved by earlier deliveries of this transaction
    # spawn: the worker starts clean (no copied connections or threads of this process)
    context = multiprocessing.get_context("spawn")
    with (
        ProcessPoolExecutor(
            max_workers=_READERS, mp_context=context, initializer=os.nice, initargs=(10,)
        ) as reader,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="nsoc-apply") as database,
    ):
        pending: deque[Future[Prepared]] = deque()
        applying: Future[Report] | None = None
        number = 0
        # A spawned reader first imports (half a second): both start now, and this process,
        # which has everything imported, reads the first delivery itself meanwhile.
        for _ in range(_READERS):
            reader.submit(int)
        for delivery in _then_none(deliveries):  # None: no more, apply what is still read
            if delivery is not None:
                agency, file_name, data = delivery
                _check_agency(ref, agency)
                job = functools.partial(
                    prepare_delivery,
                    agency=agency,
                    file_name=file_name,
                    data=data,
                    sha=hashlib.sha256(data).hexdigest(),
                    ref=ref,
                    key=key,
                    now=now,
                )
                pending.append(reader.submit(job) if number or pending else _done(job()))
            # One delivery more than there are readers waits its turn: no reader idles. The
            # first, read here, goes to the database at once.
            while pending and (delivery is None or len(pending) > _READERS or applying is None):
                prepared = pending.popleft().result()
                if applying is not None:
                    yield applying.result()
                number += 1
                applying = database.submit(
                    _apply_unless_loaded,
                    conn,
                    prepared,
                    resolved,
                    analyze=number & (number - 1) == 0,
                )
        if applying is not None:
            yield applying.result()


def _done(prepared: Prepared) -> Future[Prepared]:
    future: Future[Prepared] = Future()
    future.set_result(prepared)
    return future


def _then_none(items: Iterable[tuple[str, str, bytes]]) -> Iterator[tuple[str, str, bytes] | None]:
    yield from items
    yield None


def _check_agency(ref: Reference, agency: str) -> None:
    if agency not in ref.agency_bits:
        raise ValueError(f"unknown agency {agency!r}: choose one of {', '.join(ref.agency_bits)}")


def _lock_and_find(conn: Connection, agency: str, file_name: str, sha: str) -> Report | None:
    """Take the agency's loader lock; the report of a file already loaded, if it was."""
    # One loader per agency at a time: overlapping batches cannot race each other.
    conn.execute(text("select pg_advisory_xact_lock(hashtext(:k))"), {"k": f"ingest:{agency}"})
    done = conn.execute(
        text(
            "select id from delivery_batch where agency = :a and sha256 = :s and status = 'loaded'"
        ),
        {"a": agency, "s": sha},
    ).scalar()
    if done is None:
        return None
    return Report(agency=agency, file_name=file_name, status="duplicate", batch_id=done)


def _apply_unless_loaded(
    conn: Connection, prepared: Prepared, resolved: Resolved, *, analyze: bool
) -> Report:
    if analyze:
        conn.execute(text(_ANALYZE))
    duplicate = _lock_and_find(conn, prepared.agency, prepared.file_name, prepared.sha)
    if duplicate is not None:
        return duplicate
    return _apply(
        conn, prepared, refresh_rollups=False, step=lambda stage, fraction: None, resolved=resolved
    )


def _apply(
    conn: Connection,
    prepared: Prepared,
    *,
    refresh_rollups: bool,
    step: Progress,
    resolved: Resolved | None = None,
) -> Report:
    """Write a prepared delivery (the caller holds the agency's lock)."""
    agency, file_name = prepared.agency, prepared.file_name
    if prepared.error is not None:
        return _reject(conn, agency, file_name, prepared.sha, prepared.error)
    assert prepared.batch is not None
    # Room for the batch's sorts, hashes and the reference triggers' transition tables.
    conn.execute(text("set local work_mem = '64MB'"))
    batch_id = _open_batch(conn, agency, file_name, prepared.fmt, prepared.sha)
    step("loading", 0.5)
    counts = apply_batch(
        conn=conn,
        agency=agency,
        batch_id=batch_id,
        batch=prepared.batch,
        resolved=resolved,
        # the refresh below takes the corrected signals' old rows out of the rollups
        keep_old=refresh_rollups,
    )
    _store_quarantine(conn, batch_id, prepared.quarantine)
    report = Report(
        agency=agency,
        file_name=file_name,
        status="loaded",
        batch_id=batch_id,
        rows=prepared.rows,
        inserted=counts.inserted,
        updated=counts.updated,
        unchanged=counts.unchanged,
        quarantined=len(prepared.quarantine),
        ignored_columns=prepared.ignored_columns,
        quarantine=[QuarantinedRow(q[0], q[1], q[3]) for q in prepared.quarantine],
    )
    _close_batch(conn, report)
    if refresh_rollups:
        step("rollups", 0.9)
        # Corrections rebuild their months and phenomena for the agency (the rollups that only
        # count and sum take their old rows out instead); new signals are merged.
        rollups.refresh_months(
            conn,
            counts.months,
            owners=[agency],
            added=counts.added,
            phenomena=counts.phenomena,
            corrected=counts.corrected,
        )
    step("done", 1.0)
    return report


def _open_batch(conn: Connection, agency: str, file_name: str, fmt: str, sha: str) -> int:
    return int(
        conn.execute(
            text(
                "insert into delivery_batch (agency, file_name, file_format, sha256, status) "
                "values (:a, :f, :fmt, :s, 'loaded') returning id"
            ),
            {"a": agency, "f": file_name[:255], "fmt": fmt, "s": sha},
        ).scalar_one()
    )


def _close_batch(conn: Connection, report: Report) -> None:
    conn.execute(
        text(
            "update delivery_batch set finished_at = clock_timestamp(), rows_total = :rows, "
            "inserted = :ins, updated = :upd, unchanged = :unch, quarantined = :q where id = :b"
        ),
        {
            "rows": report.rows,
            "ins": report.inserted,
            "upd": report.updated,
            "unch": report.unchanged,
            "q": report.quarantined,
            "b": report.batch_id,
        },
    )


def _reject(conn: Connection, agency: str, file_name: str, sha: str, error: str) -> Report:
    fmt = "jsonl" if file_name.lower().endswith((".jsonl", ".ndjson")) else "csv"
    batch_id = conn.execute(
        text(
            "insert into delivery_batch (agency, file_name, file_format, sha256, status, error, "
            "finished_at) values (:a, :f, :fmt, :s, 'rejected', :e, clock_timestamp()) "
            "returning id"
        ),
        {"a": agency, "f": file_name[:255], "fmt": fmt, "s": sha, "e": error},
    ).scalar_one()
    return Report(
        agency=agency, file_name=file_name, status="rejected", batch_id=batch_id, error=error
    )


def _store_quarantine(
    conn: Connection, batch_id: int, rows: list[tuple[int, str | None, dict, dict]]
) -> None:
    if not rows:
        return
    conn.execute(
        text(
            "insert into quarantine_row (batch_id, line_no, source_ref, raw, reasons) "
            "values (:b, :l, :s, cast(:raw as jsonb), cast(:reasons as jsonb))"
        ),
        [
            {
                "b": batch_id,
                "l": line,
                "s": ref,
                "raw": json.dumps(raw, ensure_ascii=False).replace("\\u0000", ""),
                "reasons": json.dumps(reasons, ensure_ascii=False),
            }
            for line, ref, raw, reasons in rows
        ],
    )
