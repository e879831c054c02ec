"""State every page shares: the viewer's language and the viewer, set by the entrypoint."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import LANGUAGES
from warehouse.filters import Filters
from warehouse.viewer import Viewer


def language() -> str:
    """The viewer's language, kept in the URL (?lang=en) so a shared link keeps it."""
    lang = st.query_params.get("lang", "nl")
    return lang if lang in LANGUAGES else "nl"


def current_viewer() -> Viewer:
    """The viewer the login gate admitted for this run (pages run only after the gate)."""
    viewer = st.session_state.get("viewer")
    if not isinstance(viewer, Viewer):
        # Reached only if a page is run without the entrypoint: refuse rather than guess.
        st.stop()
    assert isinstance(viewer, Viewer)
    return viewer


def current_agency() -> str:
    return current_viewer().agency


def current_filters() -> Filters:
    """The shared filters the entrypoint read from the sidebar (empty on unfiltered pages)."""
    filters = st.session_state.get("filters")
    return filters if isinstance(filters, Filters) else Filters()
