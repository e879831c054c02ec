"""The seed is deterministic, idempotent, and never silently overwrites a warehouse."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from seed.load import SeedError, checksums, seed_warehouse, warehouse_state
from tests.conftest import TEST_SEED, seeded
from warehouse.settings import DEMO_PSEUDONYM_KEY, agencies


def _seed(engine, **kwargs):
    args = {
        "size": "small",
        "seed": TEST_SEED,
        "agencies": agencies(),
        "pseudonym_key": DEMO_PSEUDONYM_KEY.encode(),
        **kwargs,
    }
    with engine.begin() as conn:
        return seed_warehouse(conn, **args)


def test_same_seed_gives_the_same_warehouse(warehouse, databases):
    other = seeded(databases.new())
    with warehouse.engine.connect() as a, other.connect() as b:
        assert checksums(a) == checksums(b)
    other.dispose()


def test_another_seed_gives_another_warehouse(warehouse, databases):
    other = seeded(databases.new(), seed=TEST_SEED + 1)
    with warehouse.engine.connect() as a, other.connect() as b:
        first, second = checksums(a), checksums(b)
    assert first["signal"] != second["signal"]
    assert first["entity"] != second["entity"]
    other.dispose()


def test_small_size_is_about_twenty_thousand_signals(warehouse):
    with warehouse.engine.connect() as conn:
        assert conn.scalar(text("select count(*) from signal")) == 20_000
    assert warehouse.manifest["signals"] == 20_000


def test_reseed_is_a_noop_and_other_data_is_protected(databases):
    engine = seeded(databases.new())
    with engine.connect() as conn:
        before = checksums(conn)

    again = _seed(engine)
    assert not again.loaded

    with pytest.raises(SeedError, match="--replace"):
        _seed(engine, seed=TEST_SEED + 5)
    with engine.connect() as conn:
        assert checksums(conn) == before
        assert warehouse_state(conn) == (20_000, [("small", TEST_SEED)])

    replaced = _seed(engine, seed=TEST_SEED + 5, replace=True)
    assert replaced.loaded
    with engine.connect() as conn:
        assert checksums(conn)["signal"] != before["signal"]
        assert warehouse_state(conn) == (20_000, [("small", TEST_SEED + 5)])
    engine.dispose()


def test_unknown_size_is_refused(databases):
    engine = seeded(databases.new())
    with pytest.raises(SeedError, match="unknown size"):
        _seed(engine, size="huge")
    engine.dispose()


def test_identity_sequences_continue_after_the_seed(warehouse, databases):
    # Deliveries after the seed must get fresh ids, not collide with seeded ones.
    with warehouse.engine.connect() as conn:
        for table in ("signal", "entity", "network", "intervention"):
            sequence = conn.scalar(text(f"select pg_get_serial_sequence('{table}', 'id')"))
            nxt = conn.scalar(
                text(f"select last_value + (case when is_called then 1 else 0 end) from {sequence}")
            )
            top = conn.scalar(text(f"select max(id) from {table}"))
            assert nxt == top + 1, table
