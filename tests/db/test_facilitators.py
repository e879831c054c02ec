"""Facilitator rankings find the planted facilitators, respect need-to-know, and show the
sharing lens."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest
from sqlalchemy import text

from tests.conftest import make_viewer
from warehouse.filters import Filters
from warehouse.periods import add_months
from warehouse.queries import facilitators
from warehouse.scoped import scoped

LAST_YEAR = Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 1))


def ranking(app_engine, agency: str, filters: Filters = LAST_YEAR, role: str = "analyst"):
    viewer = make_viewer(agency, role)
    with scoped(viewer, engine=app_engine) as conn:
        return facilitators.facilitator_ranking(conn=conn, viewer=viewer, filters=filters)


@pytest.mark.parametrize("filters", [LAST_YEAR, Filters()], ids=["last-year", "everything"])
@pytest.mark.parametrize("agency", ["politie", "douane", "fiod"])
def test_planted_facilitators_rank_in_the_top_ten_of_their_category(
    warehouse, app_engine, agency, filters
):
    ranked = ranking(app_engine, agency, filters)
    planted = warehouse.manifest["facilitators"]
    top = ranked[ranked["rank_in_category"] <= 10]
    hits = [f for f in planted if f["entity_id"] in set(top["entity_id"])]
    assert len(hits) / len(planted) >= 0.8, ranked.head(20)
    first = ranked.set_index("entity_id").loc[planted[0]["entity_id"]]
    assert first["category"] == planted[0]["category"]
    assert first["agencies"] == len(planted[0]["agencies"])
    assert first["networks"] >= len(planted[0]["networks"])


def test_restricted_facilitator_ranks_for_its_owner_only(warehouse, app_engine):
    restricted = warehouse.manifest["restricted_facilitators"][0]
    owner = restricted["audience"][0]
    own = ranking(app_engine, owner, Filters()).set_index("entity_id")
    row = own.loc[restricted["entity_id"]]
    assert row["rank_in_category"] <= 10 and row["category"] == "TRUST_OFFICE"
    # Only the owner reported it: the score on its own data is the whole score.
    assert row["own_score"] == pytest.approx(row["score"])
    for other in ("politie", "douane", "defensie"):
        assert other != owner
        for filters in (Filters(), LAST_YEAR):
            assert restricted["entity_id"] not in set(
                ranking(app_engine, other, filters)["entity_id"]
            )


def test_sharing_lens_lists_what_only_partners_reported(warehouse, app_engine):
    from warehouse.scoring import only_through_partners

    ranked = ranking(app_engine, "defensie")
    shared_only = only_through_partners(ranked)
    assert 0 < len(shared_only) < len(ranked)
    assert (shared_only["own_score"] == 0).all()
    planted = {f["entity_id"] for f in warehouse.manifest["facilitators"]}
    assert planted <= set(shared_only["entity_id"])  # defensie reports none of them
    assert (ranked["own_score"] <= ranked["score"] + 1e-9).all()


def test_rank_change_compares_with_the_previous_period(app_engine):
    ranked = ranking(app_engine, "politie")
    known = ranked.dropna(subset=["previous_rank_in_category"])
    assert len(known) > 10
    assert (
        known["rank_change"] == known["previous_rank_in_category"] - known["rank_in_category"]
    ).all()


def test_managers_get_suppressed_category_counts_and_no_entities(app_engine):
    viewer = make_viewer("politie", "manager")
    with scoped(viewer, engine=app_engine) as conn:
        assert facilitators.facilitator_ranking(conn=conn, viewer=viewer, filters=LAST_YEAR).empty
        summary = facilitators.category_summary(conn=conn, viewer=viewer, filters=LAST_YEAR)
    assert "entity_id" not in summary.columns and "display_name" not in summary.columns
    assert len(summary) > 5
    small = summary["suppressed"]
    assert summary.loc[small, "signals"].isna().all()
    assert (summary.loc[~small, "signals"] >= 5).all()


def test_category_summary_equals_the_ranking(app_engine):
    viewer = make_viewer("om")
    with scoped(viewer, engine=app_engine) as conn:
        summary = facilitators.category_summary(conn=conn, viewer=viewer, filters=LAST_YEAR)
        ranked = facilitators.facilitator_ranking(conn=conn, viewer=viewer, filters=LAST_YEAR)
    per = ranked.groupby("category")["signals"].sum()
    assert (
        summary.set_index("category")["signals"].sort_index().tolist() == per.sort_index().tolist()
    )


@pytest.mark.parametrize("agency", ["politie", "kmar", "defensie"])
def test_ranking_counts_equal_the_raw_signals(warehouse, app_engine, agency):
    ranked = ranking(app_engine, agency).set_index("entity_id").sort_index()
    with warehouse.engine.connect() as conn:
        rows = conn.execute(
            text(
                """
                select l.entity_id, count(distinct s.owner_agency) as agencies,
                       count(distinct s.network_id) as networks, count(*) as signals,
                       count(distinct s.network_id) filter (where s.owner_agency = :own)
                           as own_networks,
                       count(*) filter (where s.owner_agency = :own) as own_signals
                from signal_entity l join signal s on s.id = l.signal_id
                where l.role = 'facilitator' and s.audience_mask & :m <> 0
                  and s.observed_on >= :start and s.observed_on < :stop
                group by 1 order by 1
                """
            ),
            {
                "own": agency,
                "m": make_viewer(agency).mask,
                "start": LAST_YEAR.start,
                "stop": add_months(LAST_YEAR.end, 1),
            },
        ).mappings()
        expected = pd.DataFrame(list(rows)).set_index("entity_id")
    assert len(expected) > 10
    assert ranked.index.tolist() == expected.index.tolist()
    for col in expected.columns:
        assert ranked[col].astype(int).tolist() == expected[col].astype(int).tolist(), col


PERIODS = [
    LAST_YEAR,
    Filters(),
    Filters(start=dt.date(2023, 4, 1), end=dt.date(2023, 6, 1)),
    Filters(start=dt.date(2024, 11, 1)),
    # whole quarters from rollup_facilitator_viewer_quarter (0020), months on either side
    Filters(start=dt.date(2023, 2, 1), end=dt.date(2024, 8, 1)),
    # whole quarters from rollup_facilitator_region_quarter (0024)
    Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 1), regions=("RTM",)),
    Filters(regions=("AMS", "ZWB")),
    # and months on either side from rollup_facilitator_region_month (0017)
    Filters(start=dt.date(2023, 2, 1), end=dt.date(2024, 8, 1), regions=("RTM", "AMS")),
    # months only
    Filters(start=dt.date(2023, 11, 1), end=dt.date(2024, 2, 1), regions=("ZWB",)),
]


@pytest.mark.parametrize("agency", ["politie", "fiod", "defensie"])
def test_per_agency_rollup_gives_the_figures_of_the_link_rollup(app_engine, monkeypatch, agency):
    # Two ways to the same ranking and summary: the per-agency rollups (when only months are
    # filtered rollup_facilitator_viewer_month, 0014, and its quarters, 0020; with regions
    # rollup_facilitator_region_month, 0017, and its quarters, 0024), and
    # rollup_facilitator_month (about one row per link).
    def run(role: str) -> list[pd.DataFrame]:
        viewer = make_viewer(agency, role)
        out = []
        with scoped(viewer, engine=app_engine) as conn:
            for filters in PERIODS:
                out.append(
                    facilitators.facilitator_ranking(
                        conn=conn, viewer=viewer, filters=filters, half_life_days=90
                    )
                )
                out.append(facilitators.category_summary(conn=conn, viewer=viewer, filters=filters))
        return out

    assert all(facilitators.per_agency_rollup(f) is not None for f in PERIODS)
    new = run("analyst") + run("manager")
    monkeypatch.setattr(facilitators, "per_agency_rollup", lambda filters: None)
    old = run("analyst") + run("manager")
    assert sum(len(df) for df in new) > 0
    for a, b in zip(new, old, strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), "rollup_facilitator_viewer_month"),
        (LAST_YEAR, "rollup_facilitator_viewer_month"),
        (Filters(regions=("RTM",)), "rollup_facilitator_region_month"),
        (replace(LAST_YEAR, regions=("RTM", "AMS")), "rollup_facilitator_region_month"),
        (Filters(regions=("RTM",), municipalities=("GM0599",)), None),
        (Filters(municipalities=("GM0599",)), None),
        (Filters(phenomena=("FAC_LOGISTIC",)), None),
        (Filters(agencies=("politie",)), None),
        (Filters(handling=("H0",)), None),
    ],
)
def test_per_agency_rollups_only_for_months_and_regions(filters, expected):
    assert facilitators.per_agency_rollup(filters) == expected


def test_the_weights_change_the_ranking_without_the_database(app_engine):
    # The page keeps ranking_components while the weights move and scores them again with
    # `ranked`: that must be the ranking the one-call path gives for those weights.
    from warehouse import scoring

    viewer = make_viewer("politie")
    money_only = scoring.Weights(agencies=0, networks=0, volume=0, money=1, severity=0)
    with scoped(viewer, engine=app_engine) as conn:
        current, before = facilitators.ranking_components(
            conn=conn, viewer=viewer, filters=LAST_YEAR
        )
        direct = facilitators.facilitator_ranking(
            conn=conn, viewer=viewer, filters=LAST_YEAR, weights=money_only
        )
    default = facilitators.ranked(current, before, scoring.DEFAULT_WEIGHTS)
    again = facilitators.ranked(current, before, money_only)
    pd.testing.assert_frame_equal(again, direct)
    assert list(again["entity_id"][:20]) != list(default["entity_id"][:20])
    # by money alone the first is the one with the most weighted money
    assert again.iloc[0]["money"] == again["money"].max()


def test_names_are_given_for_the_rows_asked_and_visible_only(warehouse, app_engine):
    viewer = make_viewer("politie")
    ranked = ranking(app_engine, "politie")
    ids = tuple(int(i) for i in ranked["entity_id"].head(5))
    with warehouse.engine.connect() as owner:
        # entities with no link or intervention in politie's audience
        hidden = owner.scalars(
            text(
                "select id from entity as e where not exists (select 1 from signal_entity as l "
                "where l.entity_id = e.id and l.audience_mask & :m <> 0) and not exists "
                "(select 1 from intervention as i where i.entity_id = e.id "
                "and i.audience_mask & :m <> 0) order by id limit 50"
            ),
            {"m": viewer.mask},
        ).all()
    assert hidden
    with scoped(viewer, engine=app_engine) as conn:
        names = facilitators.entity_names(conn=conn, viewer=viewer, ids=ids)
        assert ranked["display_name"].isna().all()  # the ranking itself carries no names
        assert set(names) == set(ids) and all(names.values())
        assert facilitators.entity_names(conn=conn, viewer=viewer, ids=(*ids, *hidden)) == names
    manager = make_viewer("politie", "manager")
    with scoped(manager, engine=app_engine) as conn:
        assert facilitators.entity_names(conn=conn, viewer=manager, ids=ids) == {}


def test_each_network_of_a_facilitator_has_a_bit_of_its_own(warehouse):
    # Migration 0022: every facilitator link with a network has its slot, an entity's slots are
    # 0, 1, 2, … in the order its networks were first seen (none past 62 in this data set).
    with warehouse.engine.connect() as conn:
        missing = conn.scalar(
            text(
                "select count(*) from rollup_facilitator_month f where f.network_id is not null "
                "and not exists (select from facilitator_network_slot s "
                "where s.entity_id = f.entity_id and s.network_id = f.network_id)"
            )
        )
        slots = pd.DataFrame(
            conn.execute(
                text(
                    "select s.entity_id, s.slot, min(f.month) as first_month, s.network_id "
                    "from facilitator_network_slot s join rollup_facilitator_month f "
                    "on f.entity_id = s.entity_id and f.network_id = s.network_id "
                    "group by 1, 2, 4"
                )
            ).all(),
            columns=["entity_id", "slot", "first_month", "network_id"],
        )
    assert missing == 0
    assert slots["slot"].max() < 63
    assert (slots.groupby("entity_id")["slot"].nunique() > 1).any()
    for _, rows in slots.groupby("entity_id"):
        ordered = rows.sort_values(["first_month", "network_id"])
        assert list(ordered["slot"]) == list(range(len(rows)))


def _as_viewer(conn, viewer) -> None:
    """This (owner's) transaction from here on reads as the app does for `viewer`."""
    conn.execute(text("set local role nsoc_app"))
    conn.execute(
        text(
            "select set_config('nsoc.agency', :agency, true),"
            " set_config('nsoc.agency_bit', :bit, true),"
            " set_config('nsoc.role', 'analyst', true),"
            " set_config('nsoc.subject', 'test', true)"
        ),
        {"agency": viewer.agency, "bit": str(viewer.agency_bit)},
    )


def test_facilitators_past_63_networks_are_counted_from_the_arrays(warehouse, monkeypatch):
    # Bit 63 of a network mask stands for "more networks than bits": such a facilitator's
    # distinct networks are counted from the network arrays. Every facilitator with two or more
    # networks is made one (their slots all 63, the rollups rebuilt; rolled back): the ranking
    # gives the figures it gave before, and those of the link rollup.
    from warehouse import rollups

    viewer = make_viewer("politie")
    with warehouse.engine.connect() as conn, conn.begin() as tx:
        _as_viewer(conn, viewer)
        before = facilitators.facilitator_ranking(conn=conn, viewer=viewer, filters=LAST_YEAR)
        conn.execute(text("reset role"))
        conn.execute(
            text(
                "update facilitator_network_slot set slot = 63 where entity_id in ("
                "select entity_id from facilitator_network_slot group by 1 "
                "having count(*) > 1)"
            )
        )
        rollups.refresh_all(conn)
        overflowing = conn.scalar(
            text("select count(*) from rollup_facilitator_viewer_quarter where network_bits < 0")
        )
        _as_viewer(conn, viewer)
        after = facilitators.facilitator_ranking(conn=conn, viewer=viewer, filters=LAST_YEAR)
        monkeypatch.setattr(facilitators, "per_agency_rollup", lambda filters: None)
        links = facilitators.facilitator_ranking(conn=conn, viewer=viewer, filters=LAST_YEAR)
        tx.rollback()
    assert overflowing > 0
    assert (after["networks"] > 1).sum() > 10
    pd.testing.assert_frame_equal(after, before, check_exact=False, rtol=1e-9)
    pd.testing.assert_frame_equal(after, links, check_exact=False, rtol=1e-9)


def test_the_ranking_without_the_change_is_the_ranking_less_its_change(app_engine):
    # The briefing reads the period alone (with_change=False): the same ranks, scores and
    # components, the rank change left empty.
    viewer = make_viewer("douane")
    with scoped(viewer, engine=app_engine) as conn:
        full = facilitators.facilitator_ranking(conn=conn, viewer=viewer, filters=LAST_YEAR)
        alone = facilitators.facilitator_ranking(
            conn=conn, viewer=viewer, filters=LAST_YEAR, with_change=False
        )
    change = ["previous_rank_in_category", "rank_change"]
    assert full["rank_change"].notna().sum() > 10
    assert alone[change].isna().all().all()
    pd.testing.assert_frame_equal(alone.drop(columns=change), full.drop(columns=change))
