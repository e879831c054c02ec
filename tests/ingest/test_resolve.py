"""Entity resolution: identifiers resolve at load time, names plus place are proposed, and
decisions are data that survive re-loads."""

from __future__ import annotations

from sqlalchemy import text

from tests.ingest.conftest import csv_bytes, deliver, row
from warehouse.ingest import resolve


def test_proposals_on_the_seed_find_its_known_duplicates(warehouse):
    truth = {(m["agency"], m["entity_id"]) for m in warehouse.manifest["name_only"]}
    with warehouse.engine.connect() as conn:
        proposals = conn.execute(
            text(
                """
                select a.agency, m.candidate_id, m.entity_id
                from entity_match m join entity_alias a on a.entity_id = m.entity_id
                """
            )
        ).all()
        aliases = conn.scalar(text("select count(distinct entity_id) from entity_alias"))
    assert proposals, "the seed proposes matches for its name-only companies"
    correct = sum((p.agency, p.candidate_id) in truth for p in proposals)
    precision = correct / len(proposals)
    recall = len({p.entity_id for p in proposals if (p.agency, p.candidate_id) in truth}) / aliases
    assert precision >= 0.9, precision
    assert recall >= 0.9, recall


def test_identifiers_resolve_across_agencies_despite_noise(fresh):
    deliver(fresh, csv_bytes([row("P-1", entity2_id="01234567")]))
    deliver(
        fresh,
        csv_bytes([row("D-1", entity2_id="1234567", entity2_name="VANBERG TRANSPORT BV")]),
        agency="douane",
    )
    deliver(fresh, csv_bytes([row("F-1", entity2_id="KvK 0123 4567")]), agency="fiod")
    with fresh.connect() as conn:
        companies = conn.execute(text("select kvk_number from entity where kind='company'")).all()
    assert companies == [("01234567",)]


def test_decisions_survive_reloads_and_drive_the_ranking(fresh):
    known = row("P-1", network="NW-A")
    named = row(
        "D-1",
        network="NW-B",
        entity2_id="",
        entity2_name="Vanberg Transport BV",
        entity2_municipality="GM0599",
    )
    deliver(fresh, csv_bytes([known]))
    deliver(fresh, csv_bytes([named]), agency="douane")
    with fresh.begin() as conn:
        assert resolve.propose_matches(conn=conn) == 1
        assert resolve.propose_matches(conn=conn) == 0
        proposal = resolve.proposals(conn=conn).iloc[0]
        assert proposal.candidate_identifier == "12345678"
        resolve.decide(conn=conn, match_id=int(proposal.id), confirm=True, decided_by="test")
    # a corrected re-delivery of the name-only row keeps the entity and the decision
    deliver(fresh, csv_bytes([{**named, "severity": "5"}]), "fix.csv", agency="douane")
    with fresh.begin() as conn:
        resolve.propose_matches(conn=conn)
        statuses = conn.scalars(text("select status from entity_match")).all()
        ranking = resolve.facilitator_ranking(conn=conn, audience_mask=(1 << 63) - 1)
    assert statuses == ["confirmed"]
    top = ranking.iloc[0]
    assert (top.kvk_number, top.agencies, top.networks) == ("12345678", 2, 2)


def test_a_rejected_proposal_is_not_proposed_again(fresh):
    deliver(fresh, csv_bytes([row("P-1")]))
    deliver(
        fresh,
        csv_bytes([row("D-1", entity2_id="", entity2_municipality="GM0599")]),
        agency="douane",
    )
    with fresh.begin() as conn:
        resolve.propose_matches(conn=conn)
        match_id = int(resolve.proposals(conn=conn).iloc[0].id)
        resolve.decide(conn=conn, match_id=match_id, confirm=False, decided_by="test")
        assert resolve.propose_matches(conn=conn) == 0
        resolved = conn.scalar(text("select count(*) from entity where resolved_id is not null"))
    assert resolved == 0
