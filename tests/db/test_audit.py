"""The audit trail is append-only in the database and its hash chain exposes tampering."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from seed.reference import sync_reference
from tests.conftest import make_viewer
from warehouse import audit, migrate
from warehouse.scoped import app_url, scoped
from warehouse.settings import agencies


@pytest.fixture
def trail(databases):
    """A fresh warehouse with a few audit entries written by the app role."""
    url = databases.new("nsoc_test_audit")
    owner = create_engine(url)
    migrate.upgrade(owner)
    with owner.begin() as conn:
        sync_reference(conn, agencies())
    app = create_engine(app_url(url))
    viewer = make_viewer("politie")
    audit.record(app, action="login", viewer=viewer, details={"issuer": "http://idp"})
    audit.record(app, action="page_view", viewer=viewer, details={"page": "status", "filters": {}})
    audit.record(
        app,
        action="login_refused",
        subject="mallory",
        agency="douane",
        details={"reason": "issuer mismatch"},
    )
    audit.record(app, action="export", viewer=viewer, details={"rows": 10, "sha256": "ab" * 32})
    yield owner, app
    app.dispose()
    owner.dispose()


def test_entries_are_chained_and_verify(trail):
    owner, _ = trail
    with owner.connect() as conn:
        verdict = audit.verify(conn)
        rows = conn.execute(
            text("select chain_seq, prev_hash, entry_hash from audit_log order by 1")
        ).all()
    assert verdict.ok, verdict.problems
    assert verdict.entries == 4
    assert rows[0].prev_hash is None
    assert all(b.prev_hash == a.entry_hash for a, b in zip(rows, rows[1:], strict=False))


@pytest.mark.parametrize(
    "statement",
    [
        "update audit_log set action = 'logout'",
        "delete from audit_log",
        "truncate audit_log",
    ],
)
def test_app_role_cannot_rewrite_history(trail, statement):
    _, app = trail
    with pytest.raises(DBAPIError), app.begin() as conn:
        conn.execute(text(statement))


@pytest.mark.parametrize(
    "statement",
    [
        "update audit_log set action = 'logout' where chain_seq = 2",
        "delete from audit_log where chain_seq = 2",
        "truncate audit_log",
    ],
)
def test_even_the_owner_is_refused_by_the_database(trail, statement):
    owner, _ = trail
    with pytest.raises(DBAPIError, match="append-only"), owner.begin() as conn:
        conn.execute(text(statement))


def _tamper(owner, statement: str) -> audit.Verdict:
    """What someone with owner rights who switches the guards off could do."""
    with owner.begin() as conn:
        conn.execute(text("alter table audit_log disable trigger user"))
        conn.execute(text(statement))
        conn.execute(text("alter table audit_log enable trigger user"))
    with owner.connect() as conn:
        return audit.verify(conn)


def test_verify_detects_an_altered_entry(trail):
    verdict = _tamper(
        trail[0], "update audit_log set details = '{\"rows\": 1}' where chain_seq = 4"
    )
    assert not verdict.ok and "entry 4 was altered" in " ".join(verdict.problems)


def test_verify_detects_a_removed_entry(trail):
    verdict = _tamper(trail[0], "delete from audit_log where chain_seq = 2")
    assert not verdict.ok and "entry 2 is missing" in " ".join(verdict.problems)


def test_verify_detects_removal_from_the_end(trail):
    verdict = _tamper(trail[0], "delete from audit_log where chain_seq = 4")
    assert not verdict.ok and "removed from the end" in " ".join(verdict.problems)


def test_time_and_hashes_come_from_the_database(trail):
    _, app = trail
    with app.begin() as conn:
        conn.execute(
            text(
                "insert into audit_log (viewer, action, at, entry_hash, chain_seq) "
                "values ('x', 'login', '2000-01-01', 'forged', 999)"
            )
        )
    owner = trail[0]
    with owner.connect() as conn:
        row = conn.execute(
            text("select at, entry_hash, chain_seq from audit_log where viewer = 'x'")
        ).one()
        assert row.at.year > 2000 and row.entry_hash != "forged" and row.chain_seq == 5
        assert audit.verify(conn).ok


def test_auditors_read_their_own_agencys_trail_only(trail):
    _, app = trail
    with scoped(make_viewer("politie", "auditor"), engine=app) as conn:
        agencies = set(conn.execute(text("select agency from audit_log")).scalars())
    assert agencies == {"politie"}
    with scoped(make_viewer("politie", "analyst"), engine=app) as conn:
        assert conn.scalar(text("select count(*) from audit_log")) == 0


def test_unknown_action_is_refused(trail):
    with pytest.raises(ValueError, match="unknown audit action"):
        audit.record(trail[1], action="peek", subject="x")
