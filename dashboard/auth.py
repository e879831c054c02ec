"""The login gate: who may enter, as which agency and role, for how long. Every decision is
audited; anything unexpected refuses (fail closed)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping

import streamlit as st

from dashboard import data
from dashboard.i18n import t
from dashboard.identity import ProviderConfig, Refusal, admit
from warehouse.settings import agencies, get_settings
from warehouse.viewer import Viewer

IDENTITY_COOKIE = "_streamlit_user"


@st.cache_resource(show_spinner=False)
def _activity() -> tuple[dict[tuple[str, str, str], dt.datetime], threading.Lock]:
    """Last activity per identity session (provider, subject, session start), across the
    browser tabs and reloads of one server process: the basis of the idle timeout."""
    return {}, threading.Lock()


def configured_providers() -> tuple[dict[str, ProviderConfig], list[str]]:
    """Providers with both an [auth.<agency>] and an [idp.<agency>] section for a configured
    agency; anything half-configured is named in the problems list and not offered."""
    known = {a.code for a in agencies()}
    try:
        auth = dict(st.secrets.get("auth", {}))
        idp = dict(st.secrets.get("idp", {}))
    except FileNotFoundError:
        return {}, ["no secrets file"]
    providers: dict[str, ProviderConfig] = {}
    problems: list[str] = []
    for name, section in auth.items():
        if not isinstance(section, Mapping):
            continue  # redirect_uri, cookie_secret, …
        if name not in known:
            problems.append(f"[auth.{name}] is not an agency in agencies.toml")
        elif name not in idp:
            problems.append(f"[auth.{name}] has no [idp.{name}] section")
        else:
            try:
                providers[name] = ProviderConfig.from_mapping(name, idp[name])
            except ValueError as exc:
                problems.append(str(exc))
    return providers, problems


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def gate(lang: str) -> Viewer:
    """Return the viewer, or draw the login screen (or a refusal) and stop the script."""
    providers, problems = configured_providers()
    if not st.user.get("is_logged_in", False):
        _audit_bad_cookie()
        login_screen(lang, providers, problems)
        st.stop()
    claims = st.user.to_dict()
    settings = get_settings()
    result = admit(
        claims,
        providers=providers,
        agencies={a.code: a for a in agencies()},
        now=_now(),
        max_age=dt.timedelta(seconds=settings.session_max_age_seconds),
        role=st.session_state.get("active_role"),
    )
    if isinstance(result, Refusal):
        _refuse(result, claims, lang)
        st.stop()
    assert isinstance(result, Viewer)
    _check_idle(result, lang)
    return result


def _session_key(viewer: Viewer) -> tuple[str, str, str]:
    return (viewer.provider or "", viewer.subject, viewer.session_started.isoformat())


def _check_idle(viewer: Viewer, lang: str) -> None:
    seen, lock = _activity()
    key = _session_key(viewer)
    now = _now()
    idle = dt.timedelta(seconds=get_settings().idle_timeout_seconds)
    with lock:
        last = seen.get(key)
        seen[key] = now
    if last is None:
        data.audit(
            "login",
            viewer=viewer,
            details={"issuer": st.user.get("iss"), "roles": [str(r) for r in viewer.roles]},
        )
    elif now - last > idle:
        with lock:
            seen.pop(key, None)
        data.audit(
            "session_expired",
            viewer=viewer,
            details={"reason": "idle", "idle_seconds": int((now - last).total_seconds())},
        )
        st.logout()
        st.stop()


def _refuse(refusal: Refusal, claims: Mapping[str, object], lang: str) -> None:
    once = ("refused", refusal.reason, str(claims.get("sub")), str(claims.get("iat")))
    if st.session_state.get("audited_refusal") != once:
        st.session_state["audited_refusal"] = once
        action = "session_expired" if refusal.reason == "session_expired" else "login_refused"
        data.audit(
            action,
            subject=str(claims.get("sub") or "unknown"),
            agency=refusal.agency,
            details={
                "reason": refusal.reason,
                "detail": refusal.detail,
                "provider": claims.get("provider"),
                "issuer": claims.get("iss"),
            },
        )
    if refusal.reason == "session_expired":
        st.logout()  # the viewer must log in again
        st.stop()
    st.title(t("app_title", lang))
    st.error(
        t(f"refused_{refusal.reason}", lang)
        if f"refused_{refusal.reason}" in _REASONS
        else t("refused_other", lang)
    )
    if st.button(t("logout", lang), type="primary"):
        st.logout()


_REASONS = {
    "refused_unknown_provider",
    "refused_issuer_mismatch",
    "refused_no_role",
    "refused_no_subject",
    "refused_no_session_time",
}


def _audit_bad_cookie() -> None:
    """An identity cookie Streamlit did not accept (bad signature): tampered or forged."""
    try:
        cookies = st.context.cookies
    except Exception:  # noqa: BLE001 - no request context (tests): nothing to inspect
        return
    if IDENTITY_COOKIE in cookies and not st.session_state.get("audited_cookie"):
        st.session_state["audited_cookie"] = True
        data.audit(
            "access_refused", subject="unknown", details={"reason": "invalid_identity_cookie"}
        )


def login_screen(lang: str, providers: Mapping[str, ProviderConfig], problems: list[str]) -> None:
    st.title(t("app_title", lang))
    st.subheader(t("login_title", lang))
    if not providers:
        st.error(t("no_providers", lang))
    names = {a.code: (a.name_nl if lang == "nl" else a.name_en) for a in agencies()}
    cols = st.columns(min(4, max(1, len(providers))))
    for i, (code, _) in enumerate(sorted(providers.items(), key=lambda kv: agencies_order(kv[0]))):
        if cols[i % len(cols)].button(
            names.get(code, code),
            key=f"login-{code}",
            use_container_width=True,
            icon=":material/login:",
        ):
            st.login(code)
    if any(p.development for p in providers.values()):
        st.warning(t("development_identities", lang), icon=":material/science:")
    for problem in problems:
        st.caption(f"⚠ {problem}")


def agencies_order(code: str) -> int:
    return next((a.bit for a in agencies() if a.code == code), 99)


def logout(viewer: Viewer) -> None:
    seen, lock = _activity()
    with lock:
        seen.pop(_session_key(viewer), None)
    data.audit("logout", viewer=viewer)
    st.logout()
