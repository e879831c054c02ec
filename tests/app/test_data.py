"""dashboard/data.py: reads side by side, each in its own scoped transaction."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import InternalError

from dashboard.data import read_side_by_side
from tests.conftest import make_viewer


def _who(*, conn, viewer, barrier: threading.Barrier):
    # Both must be inside their transactions at once to pass the barrier: run one after the
    # other, the first waits alone and the barrier breaks.
    barrier.wait()
    return conn.execute(
        text(
            "select pg_backend_pid() as pid, current_setting('nsoc.agency') as agency, "
            "current_setting('transaction_read_only') as read_only"
        )
    ).one()


def test_reads_side_by_side_run_at_once_each_as_the_viewer(app_env):
    viewer = make_viewer("douane")
    first, second = read_side_by_side(viewer, _who, _who, barrier=threading.Barrier(2, timeout=20))
    assert first.pid != second.pid
    assert (first.agency, second.agency) == ("douane", "douane")
    assert (first.read_only, second.read_only) == ("on", "on")


def _writes(*, conn, viewer):
    conn.execute(text("create temp table nope (x int)"))


def _reads(*, conn, viewer):
    return conn.scalar(text("select 1"))


def test_a_failing_read_side_by_side_fails_the_call(app_env):
    # read-only transactions: the error of one read reaches the page, not a half result
    with pytest.raises(InternalError, match="read-only"):
        read_side_by_side(make_viewer("politie"), _reads, _writes)
