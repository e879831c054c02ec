"""State every page shares: the viewer's language (and, from the login issue on, the viewer)."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import LANGUAGES


def language() -> str:
    """The viewer's language, kept in the URL (?lang=en) so a shared link keeps it."""
    lang = st.query_params.get("lang", "nl")
    return lang if lang in LANGUAGES else "nl"
