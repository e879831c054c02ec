"""What the rollup modules share: their SQL files and the bookkeeping of each refresh."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, text

SQL_DIR = Path(__file__).resolve().parent / "sql"
# One refresh or recount at a time (held to the end of the caller's transaction): loads of
# different agencies may commit side by side, each refresh sees the loads committed before it.
LOCK = "select pg_advisory_xact_lock(hashtext('nsoc:rollups'))"
# Every agency's mask: a rollup per viewing agency's grain index (viewer_mask, month, …) then
# finds some months' rows, where the months alone made PostgreSQL read the whole rollup.
EVERY_VIEWER = "viewer_mask = any(array(select 1::bigint << bit from agency))"


def rollup_sql(name: str) -> str:
    """The SQL file that builds the rollup (read at run time)."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def replace_once(sql: str, old: str, new: str) -> str:
    """The rollup SQL with one phrase replaced; fails when the phrase is not there exactly once
    (a rollup file changed shape: better no refresh than a wrong one)."""
    if sql.count(old) != 1:
        raise RuntimeError(f"rollup SQL: expected {old!r} once, found it {sql.count(old)} times")
    return sql.replace(old, new)


def record_refresh(conn: Connection, name: str, source_rows: int, rows: int) -> None:
    """Note when the rollup was refreshed, from how many signals, and its rows now."""
    conn.execute(
        text(
            "insert into rollup_refresh (rollup, refreshed_at, source_rows, rollup_rows) "
            "values (:r, now(), :s, :n) on conflict (rollup) do update set "
            "refreshed_at = excluded.refreshed_at, source_rows = excluded.source_rows, "
            "rollup_rows = excluded.rollup_rows"
        ),
        {"r": name, "s": source_rows, "n": rows},
    )


def rows_after(conn: Connection, name: str, deleted: int, inserted: int) -> int:
    """The rollup's rows after an incremental refresh: the count recorded by the refresh before
    it, less what this one deleted, plus what it inserted (counting a rollup of 10M signals'
    months costs seconds); counted when nothing was recorded yet."""
    before = conn.scalar(
        text("select rollup_rows from rollup_refresh where rollup = :r"), {"r": name}
    )
    if before is None:
        return int(conn.scalar(text(f"select count(*) from {name}")) or 0)  # noqa: S608
    return int(before) - deleted + inserted
