"""AppTest with a signed-in viewer: secrets describe test providers, `at.user` holds the claims
Streamlit would have taken from a verified identity token."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from warehouse import db, scoped
from warehouse.settings import agencies, get_settings

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
ROLE_VALUES = {
    "analist": "analyst",
    "manager": "manager",
    "gegevensbeheerder": "steward",
    "auditor": "auditor",
    "beheerder": "admin",
}


def issuer(agency: str) -> str:
    return f"https://idp.{agency}.test"


def secrets() -> dict:
    auth: dict = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test-cookie-secret-0123456789abcdef",
    }
    idp: dict = {}
    for a in agencies():
        auth[a.code] = {
            "client_id": "nsoc",
            "client_secret": "x",
            "server_metadata_url": f"{issuer(a.code)}/.well-known/openid-configuration",
        }
        idp[a.code] = {"issuer": issuer(a.code), "roles_claim": "roles", "roles": ROLE_VALUES}
    return {"auth": auth, "idp": idp}


def claims(provider: str, role_value: str = "analist", **extra) -> dict:
    now = int(time.time())
    return {
        "is_logged_in": True,
        "provider": provider,
        "iss": issuer(provider),
        "sub": f"{role_value}@{provider}",
        "name": f"{role_value} {provider}",
        "roles": [role_value],
        "iat": now,
        "auth_time": now,
        **extra,
    }


def new_app(user: dict | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in secrets().items():
        at.secrets[key] = value
    if user is not None:
        at.user = user  # type: ignore[assignment]
    if lang:
        at.query_params["lang"] = lang
    return at


def open_page(user: dict, page: str, lang: str | None = None, **params: str) -> AppTest:
    """Log in as user (URL parameters given), then open pages/<page>.py."""
    at = new_app(user, lang=lang)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at.switch_page(f"../pages/{page}.py").run()


def texts(at: AppTest) -> str:
    """Everything the page wrote as text: markdown, captions, metrics and messages."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [str(m.label) + str(m.value) for m in at.metric]
    parts += [a.value for a in (*at.success, *at.warning, *at.info)]
    return "\n".join(str(p) for p in parts)


def _reset() -> None:
    get_settings.cache_clear()
    db.get_engine.cache_clear()
    scoped.app_engine.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def app_env(use_warehouse):
    _reset()
    yield use_warehouse
    _reset()
