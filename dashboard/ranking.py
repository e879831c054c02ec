"""The facilitator ranking as the pages read it: the database's part (the components of the
period and of the previous period of equal length, read side by side on two connections and
cached per agency, role and filters) scored under the weights chosen, which needs no database.
The facilitators page and the entity page share it, and with it the cache: coming to an entity
from the ranking finds its components read already."""

from __future__ import annotations

import pandas as pd

from dashboard.data import cached_side_by_side
from warehouse import scoring
from warehouse.filters import Filters
from warehouse.queries import facilitators
from warehouse.viewer import Viewer


def cached_ranking(
    viewer: Viewer,
    filters: Filters,
    weights: scoring.Weights = scoring.DEFAULT_WEIGHTS,
    half_life_days: int = scoring.HALF_LIFE_DAYS,
) -> pd.DataFrame:
    """`facilitators.facilitator_ranking` for this viewer and these filters, without names
    (`facilitators.entity_names` for the rows shown)."""
    current, before = cached_side_by_side(
        viewer,
        facilitators.facilitator_components,
        facilitators.previous_components,
        filters=filters,
        half_life_days=int(half_life_days),
    )
    return facilitators.ranked(current, before, weights)
