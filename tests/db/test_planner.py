"""Planner settings switched off for a block of statements, and restored as they were."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.conftest import Warehouse
from warehouse.planner import BITMAP_SCANS, HASH_JOINS, SORTS, off


def _settings(conn) -> dict[str, str]:
    rows = conn.execute(
        text("select name, setting from pg_settings where name = any(:n)"),
        {"n": [SORTS, HASH_JOINS, BITMAP_SCANS]},
    ).all()
    return {r.name: r.setting for r in rows}


def test_settings_are_off_in_the_block_and_as_they_were_after(warehouse: Warehouse):
    with warehouse.engine.begin() as conn:
        # one of them already off in the transaction: it stays off after the block
        conn.execute(text("set local enable_hashjoin = off"))
        assert _settings(conn) == {SORTS: "on", HASH_JOINS: "off", BITMAP_SCANS: "on"}
        with off(conn, SORTS, HASH_JOINS):
            assert _settings(conn) == {SORTS: "off", HASH_JOINS: "off", BITMAP_SCANS: "on"}
        assert _settings(conn) == {SORTS: "on", HASH_JOINS: "off", BITMAP_SCANS: "on"}


def test_settings_are_restored_when_the_block_fails(warehouse: Warehouse):
    with warehouse.engine.begin() as conn:
        with pytest.raises(ZeroDivisionError), off(conn, BITMAP_SCANS):
            assert _settings(conn)[BITMAP_SCANS] == "off"
            _ = 1 / 0
        assert _settings(conn)[BITMAP_SCANS] == "on"


def test_settings_last_only_for_the_transaction(warehouse: Warehouse):
    with warehouse.engine.begin() as conn, off(conn, SORTS):
        pass
    with warehouse.engine.connect() as conn:
        assert _settings(conn)[SORTS] == "on"


def test_no_settings_sends_nothing(warehouse: Warehouse):
    class Refusing:
        def execute(self, *args, **kwargs):
            raise AssertionError("a statement was sent")

    with off(Refusing()):  # type: ignore[arg-type]
        pass
