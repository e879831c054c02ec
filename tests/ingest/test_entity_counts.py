"""The distinct-entity counts (migration 0021) around deliveries: a delivery's refresh marks them
stale from its first month, the step after its commit recounts them, and the heatmap reads
them only for periods that end before a stale month."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, text

from tests.ingest.conftest import KEY, csv_bytes, deliver, row
from warehouse import entity_counts
from warehouse.filters import Filters
from warehouse.ingest.load import load_files
from warehouse.queries import heatmaps

GRAIN = "viewer_mask, month, phenomenon_code, region_code, all_regions, previous_month"


def _counts(conn) -> pd.DataFrame:
    sql = f"select * from {entity_counts.TABLE} order by {GRAIN}"  # noqa: S608
    return pd.DataFrame(conn.execute(text(sql)).mappings().all())


def _as_counted_and_rebuilt(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The counts as they are, and as a full count makes them (rolled back)."""
    with engine.connect() as conn, conn.begin() as tx:
        now = _counts(conn)
        entity_counts.rebuild(conn)
        full = _counts(conn)
        tx.rollback()
    return now, full


def _stale(engine: Engine) -> dt.date | None:
    with engine.connect() as conn:
        return entity_counts.stale_from(conn)


def _source(engine: Engine, filters: Filters, dim: str = "region_code") -> str:
    with engine.connect() as conn:
        return heatmaps._entity_source(conn, filters, dim)


def test_a_delivery_leaves_the_counts_stale_until_the_recount(fresh):
    deliver(fresh, csv_bytes([row("A-1"), row("A-2", observed_on="2024-05-07")]))
    assert _stale(fresh) == dt.date(2024, 3, 1)
    # periods ending before the stale month read the counts, the others the exact sets
    assert _source(fresh, Filters(end=dt.date(2024, 2, 1))) == "counts"
    assert _source(fresh, Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 3, 1))) == "sets"
    assert _source(fresh, Filters(), "month") == "sets"
    # an earlier month moves the mark back, a later one leaves it
    deliver(fresh, csv_bytes([row("A-3", observed_on="2023-11-20")]), name="b.csv")
    deliver(fresh, csv_bytes([row("A-4", observed_on="2024-06-01")]), name="c.csv")
    assert _stale(fresh) == dt.date(2023, 11, 1)

    done = entity_counts.recount_stale(fresh)
    assert done is not None and done.stale_from == dt.date(2023, 11, 1)
    assert _stale(fresh) is None
    assert _source(fresh, Filters()) == "counts"
    assert _source(fresh, Filters(regions=("RTM",)), "month") == "sets"  # never by count
    now, full = _as_counted_and_rebuilt(fresh)
    assert len(full) > 0
    pd.testing.assert_frame_equal(now, full)
    assert entity_counts.recount_stale(fresh) is None  # nothing left to do


def test_loading_files_recounts_after_the_commits(fresh, tmp_path):
    files = []
    for n, (agency, prefix) in enumerate([("politie", "POL"), ("douane", "DOU")] * 2):
        path = tmp_path / f"{n}-{agency}.csv"
        day = f"2024-0{n + 2}-1{n}"
        path.write_bytes(csv_bytes([row(f"{prefix}-{n}", observed_on=day)]))
        files.append((agency, path))
    load_files(engine=fresh, files=files, key=KEY, jobs=2)
    assert _stale(fresh) is None
    now, full = _as_counted_and_rebuilt(fresh)
    assert len(full) > 0
    pd.testing.assert_frame_equal(now, full)
