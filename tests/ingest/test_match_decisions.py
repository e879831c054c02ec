"""Match proposals in the app: listed only when the viewer may see both entities, decided by the
owner on the viewer's behalf after the database checked that again, recorded with who decided,
audited, and kept through re-loads like the command line's decisions."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError

from tests.conftest import make_viewer
from tests.ingest.conftest import csv_bytes, deliver, match_scenario, row
from warehouse.ingest import resolve
from warehouse.ingest.decisions import DecisionRefused, decide_for, undo_for
from warehouse.queries import matches
from warehouse.scoped import app_url, scoped


@pytest.fixture
def scenario(fresh):
    """(owner engine, app engine, proposal ids by name) on a fresh warehouse."""
    ids = match_scenario(fresh)
    app = create_engine(app_url(fresh.url.render_as_string(hide_password=False)))
    yield fresh, app, ids
    app.dispose()


def _seen(app, agency: str, role: str) -> set[int]:
    viewer = make_viewer(agency, role)
    with scoped(viewer, engine=app) as conn:
        listed = set(matches.open_proposals(conn=conn, viewer=viewer)["match_id"])
        assert matches.open_proposal_count(conn=conn, viewer=viewer) == len(listed)
        # the table itself, without the query's joins: row-level security alone hides the rest
        raw = text("select id from entity_match where status = 'proposed'")
        assert set(conn.scalars(raw)) == listed
    return listed


def _audit(owner, action: str) -> list:
    with owner.connect() as conn:
        return conn.execute(
            text(
                "select viewer, agency, role, details from audit_log where action = :a "
                "order by chain_seq"
            ),
            {"a": action},
        ).all()


def test_a_viewer_sees_only_proposals_whose_two_entities_they_may_see(scenario):
    _, app, ids = scenario
    assert _seen(app, "douane", "analyst") == set(ids.values())
    # douane's name-only company is in a signal for douane alone
    assert _seen(app, "politie", "analyst") == {ids["politie"]}
    assert _seen(app, "fiod", "analyst") == {ids["politie"]}
    # stewards see entities through their own agency's signals only
    assert _seen(app, "politie", "steward") == {ids["politie"]}
    assert _seen(app, "douane", "steward") == set()
    assert _seen(app, "douane", "manager") == set()


def test_the_proposal_shows_both_sides_as_the_viewer_sees_them(scenario):
    _, app, ids = scenario
    viewer = make_viewer("politie", "analyst")
    with scoped(viewer, engine=app) as conn:
        p = matches.open_proposals(conn=conn, viewer=viewer).iloc[0]
    assert (p.match_id, p.rule, p.score) == (ids["politie"], "name_place", 0.9)
    assert (p.entity_name, p.entity_place, p.entity_identifier) == (
        "Vanberg Transport BV",
        "Rotterdam",
        None,
    )
    assert (p.candidate_identifier, p.candidate_agencies, p.candidate_signals) == (
        "12345678",
        "politie",
        1,
    )
    assert (p.entity_agencies, p.entity_signals) == ("politie", 1)


def test_a_decision_takes_effect_and_records_who_decided(scenario):
    owner, app, ids = scenario
    steward = make_viewer("politie", "steward", subject="gegevensbeheerder@politie")
    done = decide_for(owner=owner, app=app, viewer=steward, match_id=ids["politie"], confirm=True)
    assert done.status == "confirmed"
    with owner.connect() as conn:
        decided = conn.execute(
            text(
                "select status, decided_by, decided_agency, decided_role, decided_at "
                "from entity_match where id = :id"
            ),
            {"id": ids["politie"]},
        ).one()
        resolved = conn.scalar(
            text("select resolved_id from entity where id = :id"), {"id": done.entity_id}
        )
    assert decided[:4] == ("confirmed", "gegevensbeheerder@politie", "politie", "steward")
    assert decided.decided_at is not None
    assert resolved == done.candidate_id
    [entry] = _audit(owner, "match_decision")
    assert entry[:3] == ("gegevensbeheerder@politie", "politie", "steward")
    assert entry.details["match"] == ids["politie"]
    assert entry.details["decision"] == "confirmed"
    # the decided proposal left the open list and heads the decisions
    assert _seen(app, "politie", "analyst") == set()
    for agency, by in (("politie", "gegevensbeheerder@politie"), ("fiod", None)):
        viewer = make_viewer(agency, "analyst")
        with scoped(viewer, engine=app) as conn:
            d = matches.recent_decisions(conn=conn, viewer=viewer).iloc[0]
        # partners see the agency and role of the decider, not the person
        assert (d.match_id, d.status, d.decided_agency, d.decided_role, d.decided_by) == (
            ids["politie"],
            "confirmed",
            "politie",
            "steward",
            by,
        )


def test_a_proposal_the_viewer_may_not_see_is_refused_and_audited(scenario):
    owner, app, ids = scenario
    politie = make_viewer("politie", "analyst")
    for match_id in (ids["douane"], ids["names"], 999_999):
        with pytest.raises(DecisionRefused) as refused:
            decide_for(owner=owner, app=app, viewer=politie, match_id=match_id, confirm=True)
        assert refused.value.reason == "not_found"
    # a steward of douane sees douane's own entity but not the company
    with pytest.raises(DecisionRefused):
        decide_for(
            owner=owner,
            app=app,
            viewer=make_viewer("douane", "steward"),
            match_id=ids["douane"],
            confirm=False,
        )
    with pytest.raises(DecisionRefused) as refused:
        decide_for(
            owner=owner,
            app=app,
            viewer=make_viewer("douane", "manager"),
            match_id=ids["douane"],
            confirm=True,
        )
    assert refused.value.reason == "role"
    with owner.connect() as conn:
        statuses = set(conn.scalars(text("select status from entity_match")))
        resolved = conn.scalar(text("select count(*) from entity where resolved_id is not null"))
    assert statuses == {"proposed"}
    assert resolved == 0
    refusals = _audit(owner, "access_refused")
    assert len(refusals) == 5
    assert {r.details["what"] for r in refusals} == {"match_decision"}
    assert not _audit(owner, "match_decision")


def test_a_decided_proposal_is_not_decided_again_in_the_app(scenario):
    owner, app, ids = scenario
    douane = make_viewer("douane", "analyst")
    decide_for(owner=owner, app=app, viewer=douane, match_id=ids["names"], confirm=False)
    with pytest.raises(DecisionRefused) as refused:
        decide_for(owner=owner, app=app, viewer=douane, match_id=ids["names"], confirm=True)
    assert refused.value.reason == "decided"


def test_app_decisions_survive_a_reload(scenario):
    owner, app, ids = scenario
    douane = make_viewer("douane", "analyst")
    decide_for(owner=owner, app=app, viewer=douane, match_id=ids["douane"], confirm=True)
    decide_for(owner=owner, app=app, viewer=douane, match_id=ids["names"], confirm=False)
    with owner.connect() as conn:
        before = conn.execute(text("select id, resolved_id from entity order by id")).all()
    # douane corrects its signal (same source reference, another file), then proposals run again
    corrected = row(
        "D-1",
        audience="douane",
        severity="5",
        entity2_id="",
        entity2_name="Vanberg Transport",
        entity2_municipality="GM0599",
    )
    report = deliver(owner, csv_bytes([corrected]), "correction.csv", agency="douane")
    assert report.updated == 1
    with owner.begin() as conn:
        assert resolve.propose_matches(conn=conn) == 0
    with owner.connect() as conn:
        after = conn.execute(text("select id, resolved_id from entity order by id")).all()
        statuses = dict(conn.execute(text("select id, status from entity_match")).all())
    assert after == before
    assert statuses == {
        ids["politie"]: "proposed",
        ids["douane"]: "confirmed",
        ids["names"]: "rejected",
    }
    assert _seen(app, "douane", "analyst") == {ids["politie"]}


def test_the_app_role_still_cannot_write_decisions(scenario):
    _, app, ids = scenario
    viewer = make_viewer("douane", "analyst")
    update = text("update entity_match set status = 'confirmed' where id = :id")
    with (
        pytest.raises(ProgrammingError, match="permission denied"),
        scoped(viewer, engine=app, write=True) as conn,
    ):
        conn.execute(update, {"id": ids["douane"]})


def test_an_agency_can_undo_its_own_decision_in_the_app(scenario):
    owner, app, ids = scenario
    analyst = make_viewer("politie", "analyst", subject="analist@politie")
    decide_for(owner=owner, app=app, viewer=analyst, match_id=ids["politie"], confirm=True)
    steward = make_viewer("politie", "steward", subject="gegevensbeheerder@politie")
    # a colleague of the same agency may undo it; the merge is taken apart
    done = undo_for(owner=owner, app=app, viewer=steward, match_id=ids["politie"])
    assert done.status == "proposed"
    with owner.connect() as conn:
        row_ = conn.execute(
            text(
                "select status, decided_by, decided_agency, decided_at from entity_match "
                "where id = :id"
            ),
            {"id": ids["politie"]},
        ).one()
        resolved = conn.scalar(text("select count(*) from entity where resolved_id is not null"))
    assert tuple(row_) == ("proposed", None, None, None)
    assert resolved == 0
    assert _seen(app, "politie", "analyst") == {ids["politie"]}
    entries = _audit(owner, "match_decision")
    assert [(e.viewer, e.details["decision"]) for e in entries] == [
        ("analist@politie", "confirmed"),
        ("gegevensbeheerder@politie", "reopened"),
    ]
    assert entries[1].details["previous"] == "confirmed"
    # it can be decided again
    again = decide_for(owner=owner, app=app, viewer=analyst, match_id=ids["politie"], confirm=False)
    assert again.status == "rejected"


def test_undo_is_refused_for_another_agencys_decision_an_open_proposal_or_a_manager(scenario):
    owner, app, ids = scenario
    politie = make_viewer("politie", "analyst")
    fiod = make_viewer("fiod", "analyst")
    with pytest.raises(DecisionRefused) as refused:
        undo_for(owner=owner, app=app, viewer=politie, match_id=ids["politie"])
    assert refused.value.reason == "open"
    decide_for(owner=owner, app=app, viewer=politie, match_id=ids["politie"], confirm=True)
    with pytest.raises(DecisionRefused) as refused:
        undo_for(owner=owner, app=app, viewer=fiod, match_id=ids["politie"])
    assert refused.value.reason == "other_agency"
    with pytest.raises(DecisionRefused) as refused:
        undo_for(
            owner=owner, app=app, viewer=make_viewer("politie", "manager"), match_id=ids["politie"]
        )
    assert refused.value.reason == "role"
    # a proposal politie cannot see is refused as if it did not exist
    douane = make_viewer("douane", "analyst")
    decide_for(owner=owner, app=app, viewer=douane, match_id=ids["douane"], confirm=True)
    with pytest.raises(DecisionRefused) as refused:
        undo_for(owner=owner, app=app, viewer=politie, match_id=ids["douane"])
    assert refused.value.reason == "not_found"
    # a decision taken on the command line is not undone in the app
    with owner.begin() as conn:
        resolve.decide(conn=conn, match_id=ids["names"], confirm=False, decided_by="operator")
    with pytest.raises(DecisionRefused) as refused:
        undo_for(owner=owner, app=app, viewer=douane, match_id=ids["names"])
    assert refused.value.reason == "other_agency"
    with owner.connect() as conn:
        statuses = dict(conn.execute(text("select id, status from entity_match")).all())
    assert statuses == {
        ids["politie"]: "confirmed",
        ids["douane"]: "confirmed",
        ids["names"]: "rejected",
    }
    refusals = [r.details["reason"] for r in _audit(owner, "access_refused")]
    assert refusals == ["open", "other_agency", "role", "not_found", "other_agency"]
