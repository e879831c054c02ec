"""Rebuild the rollup tables from the signals (SQL in warehouse/sql/, one file per rollup)."""

from __future__ import annotations

import datetime as dt
import time
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, text

from warehouse.bulk import indexes_deferred
from warehouse.scoring import quality_params

SQL_DIR = Path(__file__).resolve().parent / "sql"

# Rollup table -> its grain columns (kept in step with the unique constraints in 0002, 0005,
# 0006, 0008, 0011, 0012, 0014), in refresh order.
ROLLUPS: dict[str, tuple[str, ...]] = {
    "rollup_signal_month": (
        "month",
        "phenomenon_code",
        "municipality_code",
        "owner_agency",
        "handling_code",
        "audience_mask",
    ),
    "rollup_node_month": (
        "month",
        "node_code",
        "origin_node_code",
        "phenomenon_code",
        "owner_agency",
        "handling_code",
        "audience_mask",
    ),
    # migration 0006: facilitator rankings and the map
    "rollup_facilitator_month": (
        "month",
        "entity_id",
        "phenomenon_code",
        "municipality_code",
        "owner_agency",
        "network_id",
        "reliability",
        "credibility",
        "handling_code",
        "audience_mask",
    ),
    "rollup_h3_month": (
        "month",
        "h3_r7",
        "phenomenon_code",
        "municipality_code",
        "owner_agency",
        "handling_code",
        "audience_mask",
    ),
    # migration 0005: distinct entities for the heatmaps
    "rollup_entity_month": (
        "month",
        "phenomenon_code",
        "municipality_code",
        "owner_agency",
        "handling_code",
        "audience_mask",
        "entity_id",
    ),
    # migration 0011: entity id arrays per cell, built from rollup_entity_month (after it)
    "rollup_entity_set_month": (
        "month",
        "phenomenon_code",
        "region_code",
        "audience_mask",
    ),
    # migration 0008: per viewing agency, built from rollup_signal_month (so it comes after it)
    "rollup_viewer_month": (
        "viewer_mask",
        "month",
        "phenomenon_code",
        "region_code",
        "owner_agency",
        "handling_code",
    ),
    # migration 0012: per viewing agency, built from rollup_h3_month (so it comes after it)
    "rollup_h3_viewer_month": (
        "viewer_mask",
        "month",
        "h3_r7",
        "municipality_code",
    ),
    # migration 0014: per viewing agency, month and facilitator, built from
    # rollup_facilitator_month (so it comes after it)
    "rollup_facilitator_viewer_month": (
        "viewer_mask",
        "month",
        "entity_id",
    ),
}

# Rollups folded over the owning agencies: a refresh for some owners rebuilds their months whole.
OWNERLESS = frozenset(name for name, grain in ROLLUPS.items() if "owner_agency" not in grain)


@dataclass(frozen=True)
class RefreshResult:
    rollup: str
    rows: int
    seconds: float = 0.0  # its delete, rebuild and analyze


def refresh_all(conn: Connection, *, bulk: bool = False) -> list[RefreshResult]:
    """Rebuild every rollup inside the caller's transaction: readers see old or new, never half.
    bulk=True, for the seed (whose transaction replaces the warehouse and locks it anyway):
    the rollups are emptied with TRUNCATE, which keeps readers out until the commit, and their
    indexes are built after the rows instead of updated row by row."""
    return _refresh(conn, None, bulk=bulk)


def refresh_months(
    conn: Connection, months: list[dt.date], *, owners: list[str] | None = None
) -> list[RefreshResult]:
    """Rebuild only the rows of these months (first days), e.g. after a delivery touched them:
    the same SQL as the full rebuild, restricted to the months' signals. With `owners` (a
    delivery's agency: its signals are the only ones it changed) the rollups that keep the owning
    agency in their grain rebuild only those agencies' rows of the months; the ones folded over
    owners (OWNERLESS) rebuild the months whole from the rollups refreshed before them."""
    if not months:
        return []
    return _refresh(conn, sorted({m.replace(day=1) for m in months}), owners=owners)


def _refresh(
    conn: Connection,
    months: list[dt.date] | None,
    *,
    bulk: bool = False,
    owners: list[str] | None = None,
) -> list[RefreshResult]:
    results = []
    # Loads of different agencies may commit side by side: one refresh at a time, each seeing
    # the signals of the loads committed before it.
    conn.execute(text("select pg_advisory_xact_lock(hashtext('nsoc:rollups'))"))
    # Months of signals are spread over the whole table: with the server's default work_mem
    # the bitmap of three months at 10M went lossy (every row of 200,000 pages rechecked) and
    # the grouping sorted on disk. Local to the caller's transaction.
    conn.execute(text("set local work_mem = '256MB'"))
    source_rows = conn.scalar(text("select count(*) from signal")) or 0
    # The facilitator rollup weights signals by their evaluation: scoring.py's tables, bound.
    params: dict[str, object] = {
        "months": months,
        "lo": None,
        "hi": None,
        "owners": None,
        **quality_params(),
    }
    if months:
        last = months[-1]
        params["lo"] = months[0]
        params["hi"] = dt.date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    for name in ROLLUPS:
        began = time.perf_counter()
        params["owners"] = owners if months is not None and name not in OWNERLESS else None
        deleted = _delete(conn, name, params, bulk=bulk)
        with indexes_deferred(conn, (name,), unique=True) if bulk else nullcontext():
            sql = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
            inserted = conn.execute(text(sql), params).rowcount
        # Fresh statistics: without them the planner guesses a few hundred rows and sorts.
        conn.execute(text(f"analyze {name}"))
        rows = inserted if months is None else _rows_after(conn, name, deleted, inserted)
        conn.execute(
            text(
                "insert into rollup_refresh (rollup, refreshed_at, source_rows, rollup_rows) "
                "values (:r, now(), :s, :n) on conflict (rollup) do update set "
                "refreshed_at = excluded.refreshed_at, source_rows = excluded.source_rows, "
                "rollup_rows = excluded.rollup_rows"
            ),
            {"r": name, "s": source_rows, "n": rows},
        )
        results.append(RefreshResult(name, rows, time.perf_counter() - began))
    return results


def _delete(conn: Connection, name: str, params: dict[str, object], *, bulk: bool) -> int:
    """Empty what the refresh rebuilds: the rollup's rows of the months (of the owners, when
    given), or all of it; returns how many rows went (0 for all of it)."""
    # Table names and columns come from the constants above, never from input.
    if params["months"] is None:
        conn.execute(text(f"truncate {name}" if bulk else f"delete from {name}"))  # noqa: S608
        return 0
    where = "month = any(:months)"
    if params["owners"] is not None:
        where += " and owner_agency = any(:owners)"
    bound = {k: params[k] for k in ("months", "owners")}
    return int(conn.execute(text(f"delete from {name} where {where}"), bound).rowcount)  # noqa: S608


def _rows_after(conn: Connection, name: str, deleted: int, inserted: int) -> int:
    """The rollup's rows after an incremental refresh: the count recorded by the refresh before
    it, less what this one deleted, plus what it inserted (counting a rollup of 10M signals'
    months costs seconds); counted when nothing was recorded yet."""
    before = conn.scalar(
        text("select rollup_rows from rollup_refresh where rollup = :r"), {"r": name}
    )
    if before is None:
        return int(conn.scalar(text(f"select count(*) from {name}")) or 0)  # noqa: S608
    return int(before) - deleted + inserted
