"""dashboard/ranking.py: the scored ranking, cached per agency, role, filters and weights."""

from __future__ import annotations

import pandas as pd

from dashboard import ranking
from tests.conftest import make_viewer
from warehouse import scoring
from warehouse.filters import Filters
from warehouse.queries import facilitators
from warehouse.scoped import scoped

EVERYTHING = Filters()
BY_MONEY = scoring.Weights(agencies=0, networks=0, volume=0, money=1, severity=0)


def _direct(viewer, weights=scoring.DEFAULT_WEIGHTS) -> pd.DataFrame:
    with scoped(viewer) as conn:
        return facilitators.facilitator_ranking(
            conn=conn, viewer=viewer, filters=EVERYTHING, weights=weights
        )


def test_the_ranking_is_scored_once_per_agency_role_filters_and_weights(app_env, monkeypatch):
    politie, douane = make_viewer("politie"), make_viewer("douane")
    expected = {
        "politie": _direct(politie),
        "douane": _direct(douane),
        "by money": _direct(politie, BY_MONEY),
    }
    scored: list[scoring.Weights] = []
    score = facilitators.ranked

    def counted(current, before, weights):
        scored.append(weights)
        return score(current, before, weights)

    monkeypatch.setattr(facilitators, "ranked", counted)

    first = ranking.cached_ranking(politie, EVERYTHING)
    again = ranking.cached_ranking(make_viewer("politie", subject="another-analyst"), EVERYTHING)
    assert len(scored) == 1  # a second analyst of the agency gets the frame scored already
    pd.testing.assert_frame_equal(first, again)
    pd.testing.assert_frame_equal(first, expected["politie"], check_dtype=False)

    # another agency, another role, other weights: each its own, as read directly
    theirs = ranking.cached_ranking(douane, EVERYTHING)
    assert len(scored) == 2
    pd.testing.assert_frame_equal(theirs, expected["douane"], check_dtype=False)
    assert not theirs["own_score"].equals(first["own_score"])
    assert ranking.cached_ranking(make_viewer("politie", "manager"), EVERYTHING).empty
    by_money = ranking.cached_ranking(politie, EVERYTHING, BY_MONEY)
    assert scored[-1] == BY_MONEY
    pd.testing.assert_frame_equal(by_money, expected["by money"], check_dtype=False)
    assert not by_money["score"].equals(first["score"])


def test_a_changed_frame_does_not_change_the_cached_ranking(app_env):
    politie = make_viewer("politie")
    first = ranking.cached_ranking(politie, EVERYTHING)
    first["score"] = -1.0
    assert (ranking.cached_ranking(politie, EVERYTHING)["score"] >= 0).all()
