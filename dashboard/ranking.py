"""The facilitator ranking as the pages read it: the database's part (the components of the
period and of the previous period of equal length, read side by side on two connections and
cached per agency, role and filters) scored under the weights chosen, which needs no database.
The facilitators page and the entity page share it, and with it the cache: coming to an entity
from the ranking finds its components read already.

The scored ranking is cached too, per agency, role, filters, weights and half-life: scoring
two periods of 7,500 facilitators took 15 ms alone and ~40 ms with twenty sessions on the app
server (13 % of its CPU under the benchmark's twenty sessions, docs/performance.md), and every
session opening the page with the same filters and weights asked for the same frame. A scored
year at 10M signals is ~1.9 MB in the cache: at most 50 of them (~95 MB), for five minutes."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.data import cached_side_by_side, per_viewer
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
    return per_viewer(
        _ranking, viewer, filters=filters, weights=weights, half_life_days=int(half_life_days)
    )


@st.cache_data(ttl=300, max_entries=50, show_spinner=False)
def _ranking(
    agency: str,
    role: str,
    filters: Filters,
    weights: scoring.Weights,
    half_life_days: int,
    _viewer: Viewer,
) -> pd.DataFrame:
    # agency, role, filters, weights and half-life are the cache key; the viewer is not hashed
    # (its agency and role are what a read depends on: warehouse/scoped.py)
    current, before = cached_side_by_side(
        _viewer,
        facilitators.facilitator_components,
        facilitators.previous_components,
        filters=filters,
        half_life_days=half_life_days,
    )
    return facilitators.ranked(current, before, weights)
