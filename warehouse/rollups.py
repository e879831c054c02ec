"""Rebuild the rollup tables from the signals (SQL in warehouse/sql/, one file per rollup)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, text

SQL_DIR = Path(__file__).resolve().parent / "sql"

# Rollup table -> its grain columns (kept in step with the unique constraints in 0002, 0005).
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
    "rollup_entity_month": (
        "month",
        "phenomenon_code",
        "municipality_code",
        "owner_agency",
        "handling_code",
        "audience_mask",
        "entity_id",
    ),
}


@dataclass(frozen=True)
class RefreshResult:
    rollup: str
    rows: int


def refresh_all(conn: Connection) -> list[RefreshResult]:
    """Rebuild every rollup inside the caller's transaction: readers see old or new, never half."""
    results = []
    source_rows = conn.scalar(text("select count(*) from signal")) or 0
    for name in ROLLUPS:
        # Table names come from the constant above, never from input.
        conn.execute(text(f"delete from {name}"))  # noqa: S608
        conn.execute(text((SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")))
        # Fresh statistics: without them the planner guesses a few hundred rows and sorts.
        conn.execute(text(f"analyze {name}"))
        rows = conn.scalar(text(f"select count(*) from {name}")) or 0  # noqa: S608
        conn.execute(
            text(
                "insert into rollup_refresh (rollup, refreshed_at, source_rows, rollup_rows) "
                "values (:r, now(), :s, :n) on conflict (rollup) do update set "
                "refreshed_at = excluded.refreshed_at, source_rows = excluded.source_rows, "
                "rollup_rows = excluded.rollup_rows"
            ),
            {"r": name, "s": source_rows, "n": rows},
        )
        results.append(RefreshResult(rollup=name, rows=int(rows)))
    return results
