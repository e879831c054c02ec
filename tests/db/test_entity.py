"""Entity pages: what an analyst may see of one entity, and nothing for an entity they may not."""

from __future__ import annotations

import pytest

from tests.conftest import make_viewer
from warehouse.queries import entity
from warehouse.scoped import scoped

PARTS = (
    entity.entity_timeline,
    entity.entity_agencies,
    entity.entity_networks,
    entity.linked_entities,
    entity.entity_interventions,
)


def look(app_engine, agency: str, entity_id: int, role: str = "analyst"):
    viewer = make_viewer(agency, role)
    with scoped(viewer, engine=app_engine) as conn:
        profile = entity.entity_profile(conn=conn, viewer=viewer, entity_id=entity_id)
        return profile, [f(conn=conn, viewer=viewer, entity_id=entity_id) for f in PARTS]


def test_planted_facilitator_page(warehouse, app_engine):
    planted = warehouse.manifest["facilitators"][0]
    profile, (timeline, agencies, networks, linked, _interventions) = look(
        app_engine, "politie", planted["entity_id"]
    )
    assert profile and profile["facilitator_category"] == planted["category"]
    assert profile["kvk_number"] == planted["kvk_number"]
    assert set(agencies["agency"]) == set(planted["agencies"])
    assert timeline["signals"].sum() >= planted["signals"]
    assert set(planted["networks"]) <= set(networks["network_id"])
    assert (linked["entity_id"] != planted["entity_id"]).all() and len(linked) > 0


def test_restricted_entity_is_invisible_to_other_agencies(warehouse, app_engine):
    restricted = warehouse.manifest["restricted_facilitators"][0]
    owner = restricted["audience"][0]
    profile, parts = look(app_engine, owner, restricted["entity_id"])
    assert profile is not None and parts[0]["signals"].sum() == restricted["signals"]
    for agency in ("politie", "defensie"):
        profile, parts = look(app_engine, agency, restricted["entity_id"])
        assert profile is None
        assert all(p.empty for p in parts[:4])


def test_unknown_entity_looks_like_an_invisible_one(app_engine):
    profile, parts = look(app_engine, "politie", 10**12)
    assert profile is None and all(p.empty for p in parts)


def test_managers_see_no_entity(warehouse, app_engine):
    planted = warehouse.manifest["facilitators"][0]
    profile, parts = look(app_engine, "politie", planted["entity_id"], "manager")
    assert profile is None and all(p.empty for p in parts)


def test_interventions_on_the_entity_or_its_networks(warehouse, app_engine):
    planted = warehouse.manifest["facilitators"][0]
    _, parts = look(app_engine, "politie", planted["entity_id"])
    interventions = parts[4]
    assert set(interventions["target"]) <= {"entity", "network"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("123", 123),
        (" 7 ", 7),
        ("0", None),
        ("-3", None),
        ("1e3", None),
        ("12a", None),
        ("", None),
        (None, None),
        ("٣", None),
        ("9" * 30, None),
        (["1"], None),
    ],
)
def test_entity_id_from_the_url_is_validated(raw, expected):
    assert entity.valid_id(raw) == expected
