"""The facilitator score: normalisation, weights, combination, ranks."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from warehouse import scoring
from warehouse.queries.facilitators import add_months, previous_period


def raw(**cols) -> pd.DataFrame:
    base = {
        "entity_id": [1, 2, 3],
        "category": ["A", "A", "B"],
        "agencies": [4, 2, 1],
        "networks": [5, 1, 0],
        "volume": [40.0, 10.0, 0.0],
        "money": [1e6, 0.0, 1e3],
        "severity": [5.0, 3.0, 1.0],
    }
    return pd.DataFrame({**base, **cols})


def test_decay_halves_every_half_life():
    assert scoring.decay(0) == 1.0
    assert scoring.decay(180) == pytest.approx(0.5)
    assert scoring.decay(360, 180) == pytest.approx(0.25)
    assert scoring.decay(-30) == 1.0  # after the reference date: no bonus


def test_quality_follows_the_four_by_four_evaluation():
    assert scoring.quality("A", 1) == 1.0
    assert scoring.quality("B", 2) == pytest.approx(0.64)
    assert scoring.quality("A", 1) > scoring.quality("B", 2) > scoring.quality("D", 4)


def test_normalise_scales_to_the_reference():
    n = scoring.normalise(raw())
    assert n.loc[0].tolist() == [1.0, 1.0, 1.0, 1.0, 1.0]
    assert n.loc[1, "n_agencies"] == 0.5
    assert n.loc[1, "n_networks"] == pytest.approx(np.log(2) / np.log(6))
    assert n.loc[2, "n_severity"] == 0.0 and n.loc[1, "n_severity"] == 0.5
    assert (n.loc[2, ["n_networks", "n_volume"]] == 0).all()
    # against a larger reference everyone shrinks
    bigger = raw(agencies=[8, 2, 1])
    assert scoring.normalise(raw(), bigger).loc[0, "n_agencies"] == 0.5


def test_points_add_up_to_the_score_and_weights_matter():
    scored = scoring.score(raw())
    points = scored[[f"p_{c}" for c in scoring.COMPONENTS]].sum(axis=1)
    assert points.tolist() == pytest.approx(scored["score"].tolist())
    assert scored.loc[0, "score"] == pytest.approx(100.0)
    money_only = scoring.Weights(agencies=0, networks=0, volume=0, money=1, severity=0)
    s = scoring.score(raw(), money_only)
    assert s.loc[2, "score"] > s.loc[1, "score"]  # entity 3 has money, entity 2 none
    assert scoring.score(raw(), scoring.Weights(0, 0, 0, 0, 0))["score"].eq(0).all()


def test_rank_overall_and_per_category_with_stable_ties():
    ranked = scoring.rank(scoring.score(raw()))
    assert ranked["entity_id"].tolist() == [1, 2, 3]
    assert ranked["rank"].tolist() == [1, 2, 3]
    assert ranked["rank_in_category"].tolist() == [1, 2, 1]
    tie = scoring.rank(pd.DataFrame({"entity_id": [9, 4], "category": ["A", "A"], "score": [1, 1]}))
    assert tie["entity_id"].tolist() == [4, 9]


def test_rank_change_against_the_previous_period():
    now = scoring.rank(scoring.score(raw()))
    before = scoring.rank(scoring.score(raw(entity_id=[2, 1, 7])))
    changed = scoring.rank_change(now, before).set_index("entity_id")
    assert changed.loc[1, "rank_change"] == 1  # was second in A, now first
    assert changed.loc[2, "rank_change"] == -1
    assert pd.isna(changed.loc[3, "rank_change"])  # not ranked before


def test_only_through_partners():
    ranked = raw(own_signals=[0, 3, 0])
    assert scoring.only_through_partners(ranked)["entity_id"].tolist() == [1, 3]


def test_previous_period_has_equal_length():
    assert previous_period(dt.date(2024, 1, 1), dt.date(2024, 12, 1)) == (
        dt.date(2023, 1, 1),
        dt.date(2023, 12, 1),
    )
    assert previous_period(dt.date(2024, 3, 1), dt.date(2024, 3, 1)) == (
        dt.date(2024, 2, 1),
        dt.date(2024, 2, 1),
    )
    assert add_months(dt.date(2024, 1, 1), -1) == dt.date(2023, 12, 1)


def test_own_score_never_exceeds_the_full_score_even_when_own_signals_are_graver():
    # Facilitator 1: the viewer's own single signal is severe (4), the partners' are mild, so the
    # own mean severity (4.0) is above the overall mean (2.25); taken as is, the own-data score
    # would come out above the full score. Facilitator 2 sets the scale.
    components = pd.DataFrame(
        {
            "entity_id": [1, 2],
            "agencies": [2, 7],
            "networks": [1, 5],
            "volume": [0.4, 50.0],
            "money": [0.0, 1e6],
            "severity": [2.25, 3.0],
            "own_agencies": [1, 0],
            "own_networks": [1, 0],
            "own_volume": [0.07, 0.0],
            "own_money": [0.0, 0.0],
            "own_severity": [4.0, 0.0],
        }
    )
    full = scoring.score(components)
    own = scoring.score(scoring.own_share(components), reference=components)
    assert (own["score"].to_numpy() <= full["score"].to_numpy() + 1e-9).all()
    assert own["score"].iloc[1] == 0.0


def test_rank_in_category_counts_within_each_category_missing_ones_together():
    scored = pd.DataFrame(
        {
            "entity_id": [1, 2, 3, 4, 5, 6],
            "category": ["A", None, "B", "A", None, "A"],
            "score": [90.0, 80.0, 70.0, 60.0, 50.0, 40.0],
        }
    )
    out = scoring.rank(scored.sample(frac=1, random_state=3))
    assert out["entity_id"].tolist() == [1, 2, 3, 4, 5, 6]
    assert out["rank"].tolist() == [1, 2, 3, 4, 5, 6]
    assert out["rank_in_category"].tolist() == [1, 1, 1, 2, 2, 3]


def components(seed: int, n: int = 300) -> pd.DataFrame:
    """Random components with ties, missing severities and missing categories."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "entity_id": rng.permutation(1000)[:n],
            "display_name": None,
            "category": rng.choice(np.array(["a", "b", None, "c"], dtype=object), n),
        }
    )
    for name in ("agencies", "networks", "signals", "volume", "money", "severity"):
        values = rng.integers(0, 4, n)
        df[name] = values.astype(float) if name in ("volume", "money", "severity") else values
        df[f"own_{name}"] = df[name] * rng.integers(0, 2, n)
    df.loc[rng.integers(0, n, 20), "severity"] = np.nan
    return df


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(
    "weights", [scoring.DEFAULT_WEIGHTS, scoring.Weights(0, 0, 0, 0, 0), scoring.Weights(money=1)]
)
def test_ranking_equals_the_steps_it_takes_at_once(seed, weights):
    now = components(seed)
    # the previous period: some of the same facilitators, scored otherwise, and new ones
    before = components(seed + 100).iloc[:200]
    before["entity_id"] = np.r_[now["entity_id"].to_numpy()[:150], np.arange(2000, 2050)]
    for previous in (before, pd.DataFrame(columns=now.columns)):
        steps = scoring.rank(scoring.score(now, weights))
        steps["own_score"] = scoring.score(scoring.own_share(steps), weights, reference=now)[
            "score"
        ].to_numpy()
        then = scoring.rank(scoring.score(previous, weights)) if len(previous) else previous
        expected = scoring.rank_change(steps, then)
        pd.testing.assert_frame_equal(
            scoring.ranking(now, previous, weights), expected, check_exact=True, check_like=True
        )
    assert expected["previous_rank_in_category"].isna().all()
    # the order and the ranks within a category, counted otherwise
    out = scoring.ranking(now, before, weights)
    in_order = out.sort_values(["score", "entity_id"], ascending=[False, True])
    assert in_order.index.tolist() == list(range(len(out)))
    counted = out.groupby(out["category"].fillna("-")).cumcount() + 1
    assert out["rank_in_category"].tolist() == counted.tolist()
    known = out.dropna(subset=["previous_rank_in_category"])
    assert len(known) == 150
