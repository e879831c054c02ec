"""Smoke tests of the app shell and the status page with AppTest, on the seeded warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture
def app(use_warehouse):
    st.cache_resource.clear()
    yield AppTest.from_file(APP, default_timeout=30)
    st.cache_resource.clear()


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_status_page_in_dutch_by_default(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Status van het warehouse"
    assert _metrics(app)["Signalen"] == "20.000"
    assert _metrics(app)["Partners"] == "7"
    coverage = app.dataframe[0].value
    assert list(coverage.columns)[:2] == ["Partner", "Signalen"]
    assert len(coverage) == 7


def test_status_page_in_english(app):
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    assert app.title[0].value == "Warehouse status"
    assert _metrics(app)["Signals"] == "20,000"


def test_unreachable_warehouse_shows_a_message_not_a_trace(monkeypatch):
    from warehouse import db
    from warehouse.settings import get_settings

    monkeypatch.setenv("NSOC_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    get_settings.cache_clear()
    db.get_engine.cache_clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=30).run()
    finally:
        get_settings.cache_clear()
        db.get_engine.cache_clear()
        st.cache_resource.clear()
    assert not at.exception
    assert "niet bereikbaar" in at.error[0].value
