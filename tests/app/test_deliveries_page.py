"""Smoke test of the deliveries page with AppTest (uploads themselves are tested in tests/ingest)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "deliveries.py")


def test_deliveries_page_shows_development_mode_without_login(use_warehouse):
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(PAGE, default_timeout=30).run()
    finally:
        st.cache_resource.clear()
    assert not at.exception
    assert at.title[0].value == "Aanleveringen"
    assert "Ontwikkelmodus" in at.warning[0].value
    assert at.selectbox[0].value == "politie"
    # the seed delivered through the same path, so its batches are listed
    assert len(at.dataframe[0].value) >= 1
