"""Rollups equal the raw aggregates, and their grain is unique."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import text

from warehouse import entity_counts, rollup_delta, rollups
from warehouse.rollups import ROLLUPS
from warehouse.scoring import quality_params

# the rollups with their grains, and the distinct-entity counts recounted after a refresh (0021)
COUNTED = {
    **ROLLUPS,
    entity_counts.TABLE: (
        "viewer_mask",
        "month",
        "phenomenon_code",
        "region_code",
        "all_regions",
        "previous_month",
    ),
}

RAW_SIGNAL_MONTH = """
    select date_trunc('month', observed_on)::date as month, phenomenon_code, municipality_code,
           owner_agency, handling_code, audience_mask, count(*) as signal_count,
           sum(coalesce(amount_eur, 0))::numeric(20, 2) as amount_eur, sum(severity) as severity_sum,
           count(*) filter (where severity >= 4) as high_severity_count
    from signal group by 1, 2, 3, 4, 5, 6
"""
RAW_NODE_MONTH = """
    select date_trunc('month', observed_on)::date as month, node_code, origin_node_code,
           phenomenon_code, owner_agency, handling_code, audience_mask,
           count(*) as signal_count, sum(coalesce(amount_eur, 0))::numeric(20, 2) as amount_eur
    from signal where node_code is not null group by 1, 2, 3, 4, 5, 6, 7
"""
RAW_FACILITATOR_MONTH = """
    select date_trunc('month', s.observed_on)::date as month, l.entity_id, s.phenomenon_code,
           s.municipality_code, s.owner_agency, s.network_id, s.reliability, s.credibility,
           s.handling_code, s.audience_mask, count(*) as signal_count,
           sum(coalesce(s.amount_eur, 0))::numeric(20, 2) as amount_eur,
           sum(s.severity) as severity_sum
    from signal_entity l join signal s on s.id = l.signal_id
    where l.role = 'facilitator' group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
"""
RAW_H3_MONTH = """
    select date_trunc('month', observed_on)::date as month, h3_r7, phenomenon_code,
           municipality_code, owner_agency, handling_code, audience_mask,
           count(*) as signal_count, sum(coalesce(amount_eur, 0))::numeric(20, 2) as amount_eur,
           sum(severity) as severity_sum, count(*) filter (where severity >= 4) as high_severity_count
    from signal where h3_r7 is not null group by 1, 2, 3, 4, 5, 6, 7
"""
RAW_ENTITY_MONTH = """
    select date_trunc('month', s.observed_on)::date as month, s.phenomenon_code,
           s.municipality_code, s.owner_agency, s.handling_code, s.audience_mask, l.entity_id,
           count(distinct s.id) as signal_count
    from signal_entity l join signal s on s.id = l.signal_id
    group by 1, 2, 3, 4, 5, 6, 7
"""

# Per viewing agency, straight from the signals: every signal whose audience includes the agency.
RAW_VIEWER_MONTH = """
    select 1::bigint << a.bit as viewer_mask, date_trunc('month', s.observed_on)::date as month,
           s.phenomenon_code, m.region_code, s.owner_agency, s.handling_code,
           count(*) as signal_count, sum(coalesce(s.amount_eur, 0))::numeric(20, 2) as amount_eur,
           sum(s.severity) as severity_sum,
           count(*) filter (where s.severity >= 4) as high_severity_count,
           max(s.reported_at) as last_reported_at
    from signal s
    join agency a on s.audience_mask & (1::bigint << a.bit) <> 0
    left join municipality m on m.gm_code = s.municipality_code
    group by 1, 2, 3, 4, 5, 6
"""

RAW_ENTITY_SET_MONTH = """
    select date_trunc('month', s.observed_on)::date as month, s.phenomenon_code, m.region_code,
           s.audience_mask, array_agg(distinct l.entity_id order by l.entity_id) as entity_ids
    from signal_entity l join signal s on s.id = l.signal_id
    left join municipality m on m.gm_code = s.municipality_code
    group by 1, 2, 3, 4
"""

# Per viewing agency, straight from the signals (migration 0012): every placed signal whose
# audience includes the agency.
RAW_H3_VIEWER_MONTH = """
    select 1::bigint << a.bit as viewer_mask, date_trunc('month', s.observed_on)::date as month,
           s.h3_r7, s.municipality_code, m.region_code, count(*) as signal_count,
           sum(coalesce(s.amount_eur, 0))::numeric(20, 2) as amount_eur,
           sum(s.severity) as severity_sum,
           count(*) filter (where s.severity >= 4) as high_severity_count
    from signal s
    join agency a on s.audience_mask & (1::bigint << a.bit) <> 0
    left join municipality m on m.gm_code = s.municipality_code
    where s.h3_r7 is not null
    group by 1, 2, 3, 4, 5
"""

# Per viewing agency, month (or quarter) and facilitator, straight from the links (migrations
# 0014, 0020; with the region, 0017, 0024): every facilitator link of a signal whose audience
# includes the agency, weighted by its evaluation.
_RAW_FACILITATOR_VIEWER = """
    with quality as (
        select r.code as reliability, c.code as credibility, r.w * c.w as weight
        from unnest(cast(:rel_codes as text[]), cast(:rel_w as float8[])) as r (code, w)
        cross join unnest(cast(:cred_codes as int[]), cast(:cred_w as float8[])) as c (code, w)
    )
    select 1::bigint << a.bit as viewer_mask, date_trunc('{period}', s.observed_on)::date as month,
           {region} l.entity_id, max(e.facilitator_category) as facilitator_category,
           bit_or(1::bigint << o.bit) as agency_bits,
           coalesce(array_agg(distinct s.network_id order by s.network_id)
                    filter (where s.network_id is not null), '{{}}') as network_ids,
           count(*) as signal_count, sum(coalesce(s.amount_eur, 0))::numeric(20, 2) as amount_eur,
           {weighted_count},
           sum(coalesce(s.amount_eur, 0) * q.weight) as weighted_amount,
           sum(s.severity * q.weight) as weighted_severity,
           coalesce(array_agg(distinct s.network_id order by s.network_id)
                    filter (where s.owner_agency = a.code and s.network_id is not null), '{{}}')
               as own_network_ids,
           count(*) filter (where s.owner_agency = a.code) as own_signal_count,
           {own_weighted_count},
           coalesce(sum(coalesce(s.amount_eur, 0) * q.weight)
                    filter (where s.owner_agency = a.code), 0) as own_weighted_amount,
           coalesce(sum(s.severity * q.weight) filter (where s.owner_agency = a.code), 0)
               as own_weighted_severity,
           -- the masks of the networks' slots (0022; a link without a slot adds nothing here)
           coalesce(bit_or(1::bigint << ns.slot), 0) as network_bits,
           coalesce(bit_or(1::bigint << ns.slot) filter (where s.owner_agency = a.code), 0)
               as own_network_bits
    from signal_entity l
    join signal s on s.id = l.signal_id
    join entity e on e.id = l.entity_id
    join agency a on s.audience_mask & (1::bigint << a.bit) <> 0
    join agency o on o.code = s.owner_agency
    join quality q on q.reliability = s.reliability::text and q.credibility = s.credibility
    left join facilitator_network_slot ns
        on ns.entity_id = l.entity_id and ns.network_id = s.network_id
    left join municipality m on m.gm_code = s.municipality_code
    where l.role = 'facilitator'
    group by {grain}
"""
_OVERALL = {"region": "", "grain": "1, 2, 3"}
_REGIONAL = {"region": "m.region_code,", "grain": "1, 2, 3, 4"}
_IN_MONTH = "coalesce(sum(q.weight) filter (where {own}extract(month from s.observed_on)::int % 3 = {r}), 0)"
OWN = "s.owner_agency = a.code"
_MONTHLY = {
    "period": "month",
    "weighted_count": "sum(q.weight) as weighted_count",
    "own_weighted_count": f"coalesce(sum(q.weight) filter (where {OWN}), 0) as own_weighted_count",
}
# the quarter's quality-weighted count per month of it (its first, second and third month
# leave 1, 2 and 0 divided by 3)
_QUARTERLY = {
    "period": "quarter",
    "weighted_count": ", ".join(
        _IN_MONTH.format(own="", r=(i + 1) % 3) + f" as weighted_count_{i + 1}" for i in range(3)
    ),
    "own_weighted_count": ", ".join(
        _IN_MONTH.format(own=f"{OWN} and ", r=(i + 1) % 3) + f" as own_weighted_count_{i + 1}"
        for i in range(3)
    ),
}


def _frame(conn, sql: str, keys: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(conn.execute(text(sql)).mappings().all())
    return df.sort_values(keys, na_position="first", ignore_index=True).astype(str)


@pytest.mark.parametrize(
    ("rollup", "raw"),
    [
        ("rollup_signal_month", RAW_SIGNAL_MONTH),
        ("rollup_node_month", RAW_NODE_MONTH),
        ("rollup_facilitator_month", RAW_FACILITATOR_MONTH),
        ("rollup_h3_month", RAW_H3_MONTH),
        ("rollup_entity_month", RAW_ENTITY_MONTH),
        ("rollup_viewer_month", RAW_VIEWER_MONTH),
        ("rollup_entity_set_month", RAW_ENTITY_SET_MONTH),
        ("rollup_h3_viewer_month", RAW_H3_VIEWER_MONTH),
    ],
)
def test_rollup_equals_raw_aggregate(warehouse, rollup, raw):
    keys = list(ROLLUPS[rollup])
    with warehouse.engine.connect() as conn:
        expected = _frame(conn, raw, keys)
        measures = [c for c in expected.columns if c not in keys]
        actual = _frame(conn, f"select {', '.join(keys + measures)} from {rollup}", keys)
    assert len(actual) > 100
    pd.testing.assert_frame_equal(actual, expected)


def _split_floats(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    floats = [c for c in df.columns if c.startswith(("weighted_", "own_weighted_"))]
    return df.drop(columns=floats).astype(str), df[floats].astype(float)


FACILITATOR_VIEWER = {
    "rollup_facilitator_viewer_month": _RAW_FACILITATOR_VIEWER.format(**_OVERALL, **_MONTHLY),
    "rollup_facilitator_viewer_quarter": _RAW_FACILITATOR_VIEWER.format(**_OVERALL, **_QUARTERLY),
    "rollup_facilitator_region_month": _RAW_FACILITATOR_VIEWER.format(**_REGIONAL, **_MONTHLY),
    "rollup_facilitator_region_quarter": _RAW_FACILITATOR_VIEWER.format(**_REGIONAL, **_QUARTERLY),
}


def _facilitator_viewer_frames(conn, rollup: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    keys = list(ROLLUPS[rollup])
    rows = conn.execute(text(FACILITATOR_VIEWER[rollup]), quality_params()).mappings().all()
    expected = pd.DataFrame(rows).sort_values(keys, ignore_index=True)
    columns = ", ".join(expected.columns)
    actual = pd.DataFrame(
        conn.execute(text(f"select {columns} from {rollup}")).mappings().all()
    ).sort_values(keys, ignore_index=True)
    return actual, expected


def _assert_same_facilitator_viewer_rows(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    # The weighted sums are floats added in another order than the raw aggregate's: equal up to
    # rounding. Everything else (counts, amounts, bit masks, network arrays) is exact.
    assert len(actual) > 100
    exact_a, floats_a = _split_floats(actual)
    exact_e, floats_e = _split_floats(expected)
    pd.testing.assert_frame_equal(exact_a, exact_e)
    assert np.allclose(floats_a.to_numpy(), floats_e.to_numpy(), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("rollup", list(FACILITATOR_VIEWER))
def test_facilitator_viewer_rollup_equals_raw_aggregate(warehouse, rollup):
    with warehouse.engine.connect() as conn:
        _assert_same_facilitator_viewer_rows(*_facilitator_viewer_frames(conn, rollup))


@pytest.mark.parametrize("rollup", list(FACILITATOR_VIEWER))
def test_facilitator_viewer_rollup_refreshes_by_month(warehouse, rollup):
    # The incremental path (only these months' rows deleted and rebuilt, from the months of
    # rollup_facilitator_month rebuilt just before; for the quarterly rollup their quarters,
    # from the monthly one) gives the same rows; rolled back. The months cut a quarter.
    with warehouse.engine.connect() as conn, conn.begin() as tx:
        months = conn.execute(
            text("select distinct month from rollup_facilitator_month order by 1 desc limit 4")
        ).scalars()
        rollups.refresh_months(conn, list(months)[1:])
        _assert_same_facilitator_viewer_rows(*_facilitator_viewer_frames(conn, rollup))
        tx.rollback()


@pytest.mark.parametrize("rollup", list(ROLLUPS))
def test_rollup_grain_is_unique(warehouse, rollup):
    grain = ", ".join(ROLLUPS[rollup])
    with warehouse.engine.connect() as conn:
        duplicates = conn.execute(
            text(f"select {grain}, count(*) from {rollup} group by {grain} having count(*) > 1")
        ).all()
    assert duplicates == []


@pytest.mark.parametrize(
    "rollup",
    [
        "rollup_signal_month",
        "rollup_facilitator_month",
        "rollup_h3_month",
        "rollup_entity_month",
        "rollup_h3_viewer_month",
    ],
)
def test_rollup_region_follows_municipality(warehouse, rollup):
    with warehouse.engine.connect() as conn:
        wrong = conn.scalar(
            text(
                f"select count(*) from {rollup} r left join municipality m "
                "on m.gm_code = r.municipality_code "
                "where r.region_code is distinct from m.region_code"
            )
        )
    assert wrong == 0


def test_facilitator_rollup_carries_the_entity_category(warehouse):
    with warehouse.engine.connect() as conn:
        wrong = conn.scalar(
            text(
                "select count(*) from rollup_facilitator_month r join entity e "
                "on e.id = r.entity_id "
                "where r.facilitator_category is distinct from e.facilitator_category"
            )
        )
    assert wrong == 0


def test_refresh_records_its_counts(warehouse):
    with warehouse.engine.connect() as conn:
        rows = {r.rollup: r for r in conn.execute(text("select * from rollup_refresh"))}
        signals = conn.scalar(text("select count(*) from signal"))
        for rollup in ROLLUPS:
            assert rows[rollup].source_rows == signals
            assert rows[rollup].rollup_rows == conn.scalar(text(f"select count(*) from {rollup}"))


@pytest.mark.parametrize("rollup", list(ROLLUPS))
def test_every_rollup_can_refresh_by_month(rollup):
    # refresh_months deletes a month's rows and re-runs the SQL for those months only: a rollup
    # without the month filter would insert every other month a second time.
    from warehouse.rollup_sql import SQL_DIR

    sql = (SQL_DIR / f"{rollup}.sql").read_text(encoding="utf-8")
    assert "cast(:months as date []) is null" in sql and ":lo" in sql and ":hi" in sql
    # A delivery's refresh deletes only its agency's rows of the months (rollups.OWNERLESS
    # excepted): without the owner filter the other agencies' rows would be inserted twice.
    owned = "owner_agency = any(cast(:owners as text []))" in sql
    assert owned == (rollup not in rollups.OWNERLESS)
    # A delivery's new signals are merged in (rollups._merge): the rollups built from signals
    # must take only those, the ones built from another rollup read that one's new rows.
    # A correction's months are rebuilt only for its phenomena where the grain keeps them.
    narrowed = "phenomenon_code = any(cast(:phenomena as text []))" in sql
    assert narrowed == (rollup in rollups.BY_PHENOMENON)
    if rollup in rollups.SOURCES:
        assert sql.count(f"from {rollups.SOURCES[rollup]} as ") == 1
    else:
        assert "s.id = any(cast(:added as bigint []))" in sql
    assert sql.count(f"insert into {rollup} (") == 1


INDEXES = (
    "select tablename, indexname, indexdef from pg_indexes "
    "where tablename like 'rollup%' or tablename in ('signal', 'signal_entity') order by 1, 2"
)


def test_the_seed_leaves_the_indexes_of_the_migrations(warehouse, databases):
    # The seed builds indexes after the rows (warehouse/bulk.py): they must come back exactly.
    from sqlalchemy import create_engine

    from warehouse import migrate

    migrated = create_engine(databases.new("nsoc_test_indexes"))
    try:
        migrate.upgrade(migrated)
        with migrated.connect() as fresh, warehouse.engine.connect() as seeded:
            expected = fresh.execute(text(INDEXES)).all()
            assert len(expected) > 20
            assert seeded.execute(text(INDEXES)).all() == expected
    finally:
        migrated.dispose()


def _rollup_rows(conn) -> dict[str, pd.DataFrame]:
    return {
        name: pd.DataFrame(
            conn.execute(text(f"select * from {name} order by {', '.join(grain)}")).mappings().all()
        )
        for name, grain in COUNTED.items()
    }


def test_a_bulk_rebuild_equals_the_ordinary_one(warehouse):
    from warehouse.rollups import refresh_all

    with warehouse.engine.connect() as conn:
        outer = conn.begin()
        try:
            refresh_all(conn)
            ordinary = _rollup_rows(conn)
            indexes = conn.execute(text(INDEXES)).all()
            refresh_all(conn, bulk=True)
            bulk = _rollup_rows(conn)
            assert conn.execute(text(INDEXES)).all() == indexes
        finally:
            outer.rollback()
    for name, rows in ordinary.items():
        assert len(rows), name
        # Sums of weights in double precision may differ in the last bits with the row order.
        pd.testing.assert_frame_equal(bulk[name], rows, check_exact=False, rtol=1e-12)


def _signal_sequence(warehouse) -> tuple[str, int, bool]:
    """The signal id sequence before a test's rolled-back delivery (sequences ignore rollbacks;
    `_assert_the_same` puts it back)."""
    from warehouse import bench_sql

    with warehouse.engine.connect() as conn:
        sequence = bench_sql.signal_sequence(conn)
        conn.rollback()
    return sequence


@contextlib.contextmanager
def _rolled_back(warehouse) -> Iterator:
    """A connection in a transaction that is rolled back, and the signal id sequence put back
    after it (sequences ignore rollbacks)."""
    from warehouse import bench_sql

    sequence = _signal_sequence(warehouse)
    with warehouse.engine.connect() as conn, conn.begin() as tx:
        try:
            yield conn
        finally:
            tx.rollback()
    with warehouse.engine.begin() as conn:
        bench_sql.restore_sequence(conn, sequence)


def _a_delivery_s_months_and_agency(conn) -> tuple[list, str]:
    """The last three months with signals, oldest first, and the agency owning most of them."""
    from warehouse import bench_sql

    months = list(
        conn.execute(
            text("select distinct month from rollup_signal_month order by 1 desc limit 3")
        ).scalars()
    )[::-1]
    return months, bench_sql.busiest_agency(conn, first=months[0])


def _and_a_full_rebuild(conn, tx) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """The rollups as an incremental refresh and the recount after it left them (with the row
    counts they recorded, which are kept by difference, not counted), then after a full
    rebuild; rolls the test back."""
    try:
        # the refresh marked the distinct-entity counts stale from its first month: recounted
        # from there on, they must equal a full count
        assert entity_counts.stale_from(conn) is not None
        assert entity_counts.recount(conn) is not None
        assert entity_counts.stale_from(conn) is None
        incremental = _rollup_rows(conn)
        recorded = dict(conn.execute(text("select rollup, rollup_rows from rollup_refresh")).all())
        assert recorded == {name: len(rows) for name, rows in incremental.items()}
        rollups.refresh_all(conn)
        return incremental, _rollup_rows(conn)
    finally:
        tx.rollback()


def _assert_the_same(warehouse, sequence, incremental, full) -> None:
    from warehouse import bench_sql

    with warehouse.engine.begin() as conn:
        # sequences ignore rollbacks: the seed's tests expect the ids to continue from the seed
        bench_sql.restore_sequence(conn, sequence)
    for name, rows in full.items():
        assert len(rows), name
        pd.testing.assert_frame_equal(incremental[name], rows, check_exact=False, rtol=1e-12)


def test_a_refresh_for_one_agency_equals_a_full_rebuild(warehouse):
    # What a delivery does to its agency's signals of some months (new signals with links,
    # corrections of fields and audience, links removed), then the delivery's refresh: only that
    # agency's rows of those months, and the owner-folded rollups' months whole. Every rollup
    # must equal a full rebuild of the same signals. Rolled back.
    from warehouse import bench_sql

    sequence = _signal_sequence(warehouse)
    with warehouse.engine.connect() as conn, conn.begin() as tx:
        months, agency = _a_delivery_s_months_and_agency(conn)
        assert (
            len(bench_sql.copy_recent_signals(conn, agency=agency, first=months[0], n=300)) == 300
        )
        mine = "owner_agency = :a and observed_on >= :first"
        changed = conn.execute(
            text(
                "update signal set severity = 6 - severity, handling_code = 'H1', "
                "municipality_code = 'GM0363', audience_mask = audience_mask | 1, "
                f"amount_eur = coalesce(amount_eur, 0) + 1 where {mine} and id % 7 = 0"
            ),
            {"a": agency, "first": months[0]},
        ).rowcount
        unlinked = conn.execute(
            text(
                "delete from signal_entity where signal_id in "
                f"(select id from signal where {mine} and id % 11 = 0)"
            ),
            {"a": agency, "first": months[0]},
        ).rowcount
        assert changed > 10 and unlinked > 10
        # a phenomenon, a map cell and a facilitator that other agencies share leave this
        # agency's signals of the months altogether (their rows of the owner-folded rollups
        # must lose this agency's part and keep the others')
        shared = (
            "select {key} from signal as s join signal_entity as l on l.signal_id = s.id "
            "where s.observed_on >= :first and {key} is not null and l.role = 'facilitator' "
            "group by 1 having bool_or(owner_agency = :a) and bool_or(owner_agency <> :a) "
            "order by count(*) desc, 1 limit 2"
        )
        for key, move in (
            (
                "phenomenon_code",
                "update signal set phenomenon_code = :to where {mine} and {key} = :k",
            ),
            ("h3_r7", "update signal set h3_r7 = :to where {mine} and {key} = :k"),
            (
                "l.entity_id",
                "delete from signal_entity where entity_id = :k "
                "and signal_id in (select id from signal where {mine})",
            ),
        ):
            gone, to = conn.execute(
                text(shared.format(key=key)), {"a": agency, "first": months[0]}
            ).scalars()
            moved = conn.execute(
                text(move.format(mine=mine, key=key)),
                {"a": agency, "first": months[0], "k": gone, "to": to},
            ).rowcount
            assert moved > 0, key
        rollups.refresh_months(conn, months, owners=[agency])
        incremental, full = _and_a_full_rebuild(conn, tx)
    _assert_the_same(warehouse, sequence, incremental, full)


def _a_delivery_with_a_correction(
    conn, *, keep_old: bool = False
) -> tuple[str, list[int], list, list[str], list[int]]:
    """A delivery in the test's transaction: 300 new signals of the agency's last three months
    (some with rows the rollups lack: another handling code and map cell, a new facilitator),
    and a correction that moves one of its older signals into the last month, to another
    phenomenon, map cell and facilitator (keep_old: kept as it was before, for the signed
    refresh). Returns the agency, the new signals' ids, the months and the phenomena the
    correction touched, and the corrected signal's id."""
    from warehouse import bench_sql

    months, agency = _a_delivery_s_months_and_agency(conn)
    last = conn.scalar(text("select max(id) from signal"))
    added = bench_sql.copy_recent_signals(conn, agency=agency, first=months[0], n=300)
    assert len(added) == 300 and min(added) > last
    fresh = "id > :l and id % 5 = 0"
    # some of them make rows the rollups do not have yet: another handling code and place,
    # and a facilitator never seen before
    assert conn.execute(
        text(f"update signal set handling_code = 'H1', h3_r7 = h3_r5 where {fresh}"),
        {"l": last},
    ).rowcount
    entity = conn.scalar(
        text(
            # an id of its own: the sequence would not roll back (test_seed checks it)
            "insert into entity (id, kind, display_name, facilitator_category) "
            "select max(id) + 1, 'company', 'Nieuw Trustkantoor BV', "
            "max(facilitator_category) from entity returning id"
        )
    )
    assert conn.execute(
        text(
            "insert into signal_entity (signal_id, entity_id, role, audience_mask) "
            f"select id, :e, 'facilitator', audience_mask from signal where {fresh}"
        ),
        {"e": entity, "l": last},
    ).rowcount
    # a correction moves one of the agency's older signals (with a facilitator) into the last
    # month: that month and the older one are rebuilt, the new signals of the other months merged
    older = conn.execute(
        text(
            "select id, date_trunc('month', observed_on)::date as month, phenomenon_code "
            "from signal as s where owner_agency = :a and observed_on < :first and exists "
            "(select 1 from signal_entity where signal_id = s.id and role = 'facilitator') "
            "order by id desc limit 1"
        ),
        {"a": agency, "first": months[0]},
    ).one()
    # ... and to another phenomenon, another map cell and another facilitator
    other = conn.execute(
        text(
            "select phenomenon_code, max(h3_r7) as h3_r7 from signal where id = any(:ids) "
            "and phenomenon_code <> :p group by 1 order by count(*) desc limit 1"
        ),
        {"ids": added, "p": older.phenomenon_code},
    ).one()
    if keep_old:
        rollup_delta.keep_old_signals(conn, [older.id])
    conn.execute(
        text(
            "update signal set observed_on = :to, reported_at = :to + interval '1 day', "
            "severity = 5, phenomenon_code = :other, h3_r7 = :h3 where id = :id"
        ),
        {"to": months[-1], "id": older.id, "other": other.phenomenon_code, "h3": other.h3_r7},
    )
    conn.execute(
        text(
            "insert into signal_entity (signal_id, entity_id, role, audience_mask) "
            "select :id, (select min(entity_id) from signal_entity where role = 'facilitator' "
            "and entity_id not in (select entity_id from signal_entity where signal_id = :id)), "
            "'facilitator', audience_mask from signal where id = :id"
        ),
        {"id": older.id},
    )
    return (
        agency,
        added,
        [older.month, months[-1]],
        [older.phenomenon_code, other.phenomenon_code],
        [older.id],
    )


@pytest.mark.parametrize(
    ("narrowed", "limit", "signed"),
    [
        (False, None, False),
        (True, None, False),
        (True, 0, False),
        (False, None, True),
        (True, None, True),
        (True, 0, True),
    ],
    ids=[
        "months",
        "months-and-phenomena",
        "months-and-phenomena-past-the-key-limit",
        "signed-months",
        "signed-months-and-phenomena",
        "signed-months-and-phenomena-past-the-key-limit",
    ],
)
def test_a_delivery_s_new_signals_merged_equal_a_full_rebuild(
    warehouse, monkeypatch, narrowed, limit, signed
):
    # A delivery's new signals are added to the rollups' rows (their own rows merged on the
    # grain: counts and sums added, sets united), while the months of its corrections are rebuilt
    # for the agency (narrowed: only the corrections' phenomena, in the rollups that keep the
    # phenomenon, and only the changed facilitators and map cells in those built from another
    # without it; new signals of other phenomena in those months are merged there, and counted
    # by the rebuild of the others; past NARROW_LIMIT changed keys those rebuild their months
    # whole). Signed: the corrected signal was kept as it was, and the rollups that only count
    # and sum (ADDITIVE) take its old rows out and add its new ones and the new signals' instead
    # of rebuilding (a grain row it leaves may fall to zero and go). Every rollup must equal a
    # full rebuild of the same signals. Rolled back.
    if limit is not None:
        monkeypatch.setattr(rollups, "NARROW_LIMIT", limit)
    sequence = _signal_sequence(warehouse)
    with warehouse.engine.connect() as conn, conn.begin() as tx:
        agency, added, months, phenomena, corrected = _a_delivery_with_a_correction(
            conn, keep_old=signed
        )
        rollups.refresh_months(
            conn,
            months,
            owners=[agency],
            added=added,
            phenomena=phenomena if narrowed else None,
            corrected=corrected if signed else None,
        )
        assert not rollup_delta.kept(conn)  # the refresh read the old versions, and let go
        merged, full = _and_a_full_rebuild(conn, tx)
    _assert_the_same(warehouse, sequence, merged, full)


def test_a_correction_rebuilds_only_the_keys_it_changed(warehouse):
    # The rollups built from another without the phenomenon in their grain (NARROWED_BY) rewrite,
    # in a correction's months, only the rows of the facilitators and map cells whose source
    # rows changed, not the months whole for every agency (test above: the result is exact).
    # A row this transaction rewrote carries its id (xmin). Rolled back.
    count = "select count(*) from {name} where month = :m and xmin <> pg_current_xact_id()::xid"
    with _rolled_back(warehouse) as conn:
        agency, added, months, phenomena, _ = _a_delivery_with_a_correction(conn)
        # the correction's older month: no new signals there, only the correction (for a
        # rollup per quarter, its quarter)
        month = {name: rollups._periods(name, [months[0]])[0] for name in rollups.NARROWED_BY}
        before = {
            name: conn.scalar(text(count.format(name=name)), {"m": month[name]})
            for name in rollups.NARROWED_BY
        }
        rollups.refresh_months(conn, months, owners=[agency], added=added, phenomena=phenomena)
        for name, rows in before.items():
            kept = conn.scalar(text(count.format(name=name)), {"m": month[name]})
            assert rows > 50, name
            assert 0.9 * rows <= kept < rows, (name, kept, rows)


def test_a_signed_refresh_rewrites_only_the_rows_a_correction_moved(warehouse):
    # With the corrected signal kept as it was, the rollups that only count and sum (ADDITIVE),
    # or keep a maximum besides (MAXED), rewrite, in the correction's older month, only the rows
    # its old version counted in (its place, node, codes and entities; a recount of a row whose
    # latest report date it held stays in that row), not the agency's phenomenon there, as a
    # rebuild does
    # (test above the last: the result is exact). A row this transaction rewrote carries its id
    # (xmin). Rolled back.
    with _rolled_back(warehouse) as conn:
        agency, added, months, phenomena, corrected = _a_delivery_with_a_correction(
            conn, keep_old=True
        )
        old = conn.execute(text("select * from old_signal")).mappings().one()
        entities = conn.scalars(text("select entity_id from old_signal_entity")).all()
        rollups.refresh_months(
            conn,
            months,
            owners=[agency],
            added=added,
            phenomena=phenomena,
            corrected=corrected,
        )
        for name in rollups.SIGNED:
            # rewritten rows of the month that the old version did not count in
            same = [f"{c} is not distinct from :{c}" for c in ROLLUPS[name] if c in old]
            if "entity_id" in ROLLUPS[name]:
                same.append("entity_id = any(:entities)")
            others = conn.scalar(
                text(
                    f"select count(*) from {name} where month = :month "
                    "and xmin = pg_current_xact_id()::xid "
                    f"and not ({' and '.join(same)})"
                ),
                {**old, "month": months[0], "entities": entities},
            )
            assert others == 0, name
        # what a rebuild would have rewritten: the agency's other rows of the phenomenon
        rebuilt = conn.scalar(
            text(
                "select count(*) from rollup_entity_month where month = :m "
                "and owner_agency = :a and phenomenon_code = :p "
                "and entity_id <> all(:entities)"
            ),
            {"m": months[0], "a": agency, "p": old["phenomenon_code"], "entities": entities},
        )
        assert rebuilt > 0


def test_a_correction_of_severity_alone_leaves_the_entity_sets_alone(warehouse):
    # Only the severity changes: the entity rollup's signed rows net to nothing, so the entity
    # sets built from it rebuild nothing in the month (a rebuild would rewrite the phenomenon's
    # rows there), while the severity sums follow. Every rollup equals a full rebuild. Rolled back.
    sequence = _signal_sequence(warehouse)
    with warehouse.engine.connect() as conn, conn.begin() as tx:
        months, agency = _a_delivery_s_months_and_agency(conn)
        signal = conn.execute(
            text(
                "select s.id, s.phenomenon_code from signal s where owner_agency = :a "
                "and observed_on >= :m and exists (select 1 from signal_entity l "
                "where l.signal_id = s.id) order by id limit 1"
            ),
            {"a": agency, "m": months[-1]},
        ).one()
        rollup_delta.keep_old_signals(conn, [signal.id])
        conn.execute(
            text("update signal set severity = 6 - severity where id = :id"), {"id": signal.id}
        )
        rollups.refresh_months(
            conn,
            [months[-1]],
            owners=[agency],
            phenomena=[signal.phenomenon_code],
            corrected=[signal.id],
        )
        rewritten = conn.scalar(
            text(
                "select count(*) from rollup_entity_set_month where month = :m "
                "and xmin = pg_current_xact_id()::xid"
            ),
            {"m": months[-1]},
        )
        assert rewritten == 0
        merged, full = _and_a_full_rebuild(conn, tx)
    _assert_the_same(warehouse, sequence, merged, full)


def test_a_correction_that_lowers_a_maximum_recounts_its_row(warehouse):
    # The rollups that keep the latest report date (MAXED) merge a correction's signed rows with
    # greatest(); where a corrected signal's old version held its row's latest date and no new
    # version of the grain reaches it (an earlier date; moved to another place), that row is
    # recounted from its signals, and the per-agency rollup built from it rebuilds its
    # phenomenon. Corrections that keep the date, or move it on, recount nothing. Every rollup
    # equals a full rebuild. Rolled back.
    sequence = _signal_sequence(warehouse)
    with warehouse.engine.connect() as conn, conn.begin() as tx:
        months, agency = _a_delivery_s_months_and_agency(conn)
        grain = "phenomenon_code, municipality_code, handling_code, audience_mask"
        # signals of the agency's last month that alone hold their grain's latest date, with
        # other signals in the grain
        lowered, moved, kept, later = conn.execute(
            text(
                f"""
                select id from (
                    select id, count(*) over g as n, count(*) over (partition by {grain}, reported_at) as ties,
                        rank() over (g order by reported_at desc) as place
                    from signal where owner_agency = :a and observed_on >= :m
                    window g as (partition by {grain})
                ) as s where n >= 3 and place = 1 and ties = 1 order by id limit 4
                """
            ),
            {"a": agency, "m": months[-1]},
        ).scalars()
        # the rows the first two hold the latest date of, and that date
        row = text(
            "select r.month, r.phenomenon_code, r.municipality_code, r.owner_agency, "
            "r.handling_code, r.audience_mask, r.last_reported_at "
            "from rollup_signal_month as r join signal as s "
            "on r.month = date_trunc('month', s.observed_on)::date "
            "and r.municipality_code is not distinct from s.municipality_code "
            "and (r.phenomenon_code, r.owner_agency, r.handling_code, r.audience_mask) "
            "= (s.phenomenon_code, s.owner_agency, s.handling_code, s.audience_mask) "
            "and r.last_reported_at = s.reported_at where s.id = :id"
        )
        held = [conn.execute(row, {"id": i}).mappings().one() for i in (lowered, moved)]
        ids = [lowered, moved, kept, later]
        phenomena = list(
            conn.scalars(
                text("select distinct phenomenon_code from signal where id = any(:ids)"),
                {"ids": ids},
            )
        )
        rollup_delta.keep_old_signals(conn, ids)
        changes = {
            lowered: "reported_at = observed_on",  # the earliest the constraint allows
            moved: "municipality_code = (select min(gm_code) from municipality "
            "where gm_code is distinct from signal.municipality_code)",
            kept: "severity = severity",
            later: "reported_at = reported_at + interval '1 day'",
        }
        for signal, change in changes.items():
            conn.execute(text(f"update signal set {change} where id = :id"), {"id": signal})
        rollups.refresh_months(
            conn, [months[-1]], owners=[agency], phenomena=phenomena, corrected=ids
        )
        # the rows the two held: their latest date fell (recounted; a merge keeps the greatest)
        for old in held:
            now = conn.scalar(
                text(
                    "select last_reported_at from rollup_signal_month where month = :month "
                    "and municipality_code is not distinct from :municipality_code "
                    "and (phenomenon_code, owner_agency, handling_code, audience_mask) = "
                    "(:phenomenon_code, :owner_agency, :handling_code, :audience_mask)"
                ),
                dict(old),
            )
            assert now < old["last_reported_at"], old
        merged, full = _and_a_full_rebuild(conn, tx)
    _assert_the_same(warehouse, sequence, merged, full)


def test_corrected_signals_without_their_old_versions_are_refused(warehouse):
    # Without the kept old versions the signed rows would count a corrected signal twice: the
    # refresh fails instead; and a second copy in the same transaction would hide the first.
    with warehouse.engine.connect() as conn, conn.begin() as tx:
        try:
            signal, month = conn.execute(
                text("select id, date_trunc('month', observed_on)::date from signal limit 1")
            ).one()
            with pytest.raises(RuntimeError, match="not kept"):
                rollups.refresh_months(conn, [month], corrected=[signal])
            rollup_delta.keep_old_signals(conn, [signal])
            with pytest.raises(RuntimeError, match="kept already"):
                rollup_delta.keep_old_signals(conn, [signal])
        finally:
            tx.rollback()


def test_the_signed_rollups_hold_only_counts_sums_and_known_maxima(warehouse):
    # A mask or a set cannot be taken back, nor a maximum the signed refresh does not know to
    # recount: a rollup with one of those taken for additive would keep a corrected signal's old
    # value. The ADDITIVE rollups hold counts and sums only, the MAXED ones besides those only
    # the maxima rollup_delta recounts.
    with warehouse.engine.connect() as conn:
        for name in rollups.SIGNED:
            types = dict(
                conn.execute(
                    text(
                        "select column_name, data_type from information_schema.columns "
                        "where table_schema = 'public' and table_name = :t"
                    ),
                    {"t": name},
                ).all()
            )
            others = {c: t for c, t in types.items() if c not in ROLLUPS[name]}
            assert "signal_count" in others, name
            maxima = {c for c in others if c in rollup_delta.MAXIMA}
            assert bool(maxima) == (name in rollups.MAXED), name
            # a maximum is recounted from the signals (rollup_delta.recount)
            assert not maxima or name not in rollups.SOURCES, name
            for column, kind in others.items():
                if column in rollup_delta.ALONG | maxima:
                    continue
                assert kind in {"integer", "bigint", "numeric"}, (name, column, kind)
                assert not column.startswith(("last_", "max_", "min_")), (name, column)


@pytest.mark.parametrize("rollup", [name for name, grain in ROLLUPS.items() if grain[0] == "month"])
def test_a_full_build_lays_each_rollup_out_by_month(warehouse, rollup):
    # A delivery's refresh reads and writes the rows of recent months: with the rollup in month
    # order those are a few pages, not pages all over the table (the grain index is by month
    # anyway, the table was not).
    with warehouse.engine.connect() as conn:
        conn.execute(text(f"analyze {rollup}"))
        correlation = conn.scalar(
            text("select correlation from pg_stats where tablename = :t and attname = 'month'"),
            {"t": rollup},
        )
    assert correlation > 0.95, correlation


def test_a_signal_linked_to_an_entity_in_two_roles_counts_once(warehouse):
    """rollup_entity_month counts signals per entity: a second role of the same entity in the
    same signal is no second signal (the SQL counts distinct pairs, not links)."""
    from warehouse.rollups import refresh_all

    with warehouse.engine.connect() as conn:
        outer = conn.begin()
        try:
            link = conn.execute(
                text(
                    "select l.signal_id, l.entity_id, l.role from signal_entity l "
                    "where l.role <> 'facilitator' order by l.signal_id limit 1"
                )
            ).one()
            conn.execute(
                text(
                    "insert into signal_entity (signal_id, entity_id, role, audience_mask) "
                    "select signal_id, entity_id, 'facilitator', audience_mask "
                    "from signal_entity where signal_id = :s and entity_id = :e and role = :r"
                ),
                {"s": link.signal_id, "e": link.entity_id, "r": link.role},
            )
            refresh_all(conn)
            keys = list(ROLLUPS["rollup_entity_month"])
            expected = _frame(conn, RAW_ENTITY_MONTH, keys)
            actual = _frame(
                conn,
                f"select {', '.join([*keys, 'signal_count'])} from rollup_entity_month",
                keys,
            )
        finally:
            outer.rollback()
    pd.testing.assert_frame_equal(actual, expected)


def test_every_rollup_leaves_room_on_its_pages_for_a_merge(warehouse):
    # A merge updates counts and sums of rows that exist; with room on the page the new version
    # stays there and no index changes (migration 0023). A rollup added later needs it too.
    with warehouse.engine.connect() as conn:
        options = dict(
            conn.execute(
                text("select relname, reloptions from pg_class where relname = any(:names)"),
                {"names": list(ROLLUPS)},
            ).all()
        )
    assert set(options) == set(ROLLUPS)
    for name, option in options.items():
        assert "fillfactor=90" in (option or []), name
