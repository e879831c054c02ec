"""Who may enter, as which agency and role: the pure rules behind the login gate."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.identity import ProviderConfig, Refusal, admit, roles_from_claims
from warehouse.settings import Agency
from warehouse.viewer import Role, Viewer

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
AGENCIES = {
    "politie": Agency("politie", 0, "Politie", "Police"),
    "fiod": Agency("fiod", 4, "FIOD", "FIOD"),
}
ROLES = {"analist": "analyst", "manager": "manager", "auditor": "auditor"}
PROVIDERS = {
    "politie": ProviderConfig("politie", "https://idp.politie.test", "roles", ROLES),
    "fiod": ProviderConfig("fiod", "https://idp.fiod.test", "groups", ROLES),
}
MAX_AGE = dt.timedelta(hours=8)


def claims(provider="politie", **extra):
    base = {
        "provider": provider,
        "iss": f"https://idp.{provider}.test",
        "sub": "u1",
        "roles": ["analist"],
        "groups": ["analist"],
        "iat": int(NOW.timestamp()) - 60,
    }
    return {**base, **extra}


def run(c, **kw):
    return admit(c, providers=PROVIDERS, agencies=AGENCIES, now=NOW, max_age=MAX_AGE, **kw)


def test_analyst_of_the_providers_agency():
    viewer = run(claims())
    assert isinstance(viewer, Viewer)
    assert (viewer.agency, viewer.agency_bit, viewer.role) == ("politie", 0, Role.analyst)


@pytest.mark.parametrize(
    "extra",
    [
        {"agency": "fiod"},
        {"organisation": "fiod"},
        {"agency_bit": 4},
        {"nsoc.agency": "fiod"},
    ],
)
def test_no_claim_changes_the_agency(extra):
    viewer = run(claims(**extra))
    assert isinstance(viewer, Viewer) and viewer.agency == "politie"


def test_token_from_another_issuer_is_refused():
    refusal = run(claims(iss="https://idp.fiod.test"))
    assert refusal == Refusal(
        "issuer_mismatch", "politie", "https://idp.fiod.test != https://idp.politie.test"
    )


@pytest.mark.parametrize(
    ("c", "reason"),
    [
        (claims(provider="evil"), "unknown_provider"),
        (claims(provider=""), "unknown_provider"),
        (claims(iss=None), "issuer_mismatch"),
        (claims(sub=""), "no_subject"),
        (claims(roles=[]), "no_role"),
        (claims(roles=["beheerder-van-iets-anders"]), "no_role"),
        (claims(roles=None), "no_role"),
        (claims(iat=None), "no_session_time"),
        (claims(iat=int(NOW.timestamp()) - 9 * 3600), "session_expired"),
    ],
)
def test_refusals(c, reason):
    result = run(c)
    assert isinstance(result, Refusal) and result.reason == reason


def test_auth_time_wins_over_iat():
    old_login = claims(auth_time=int(NOW.timestamp()) - 9 * 3600, iat=int(NOW.timestamp()))
    assert run(old_login).reason == "session_expired"  # type: ignore[union-attr]


def test_roles_claim_is_per_provider():
    viewer = run(claims("fiod", roles=[], groups=["manager"]))
    assert isinstance(viewer, Viewer) and viewer.role == Role.manager


def test_several_roles_start_in_the_first_and_can_switch():
    c = claims(roles=["auditor", "analist"])
    assert run(c).role == Role.analyst  # type: ignore[union-attr]
    assert run(c, role="auditor").role == Role.auditor  # type: ignore[union-attr]
    assert run(c, role="manager").role == Role.analyst  # not granted: ignored


def test_roles_as_space_or_comma_separated_string():
    provider = PROVIDERS["politie"]
    assert roles_from_claims({"roles": "analist, auditor"}, provider) == (
        Role.analyst,
        Role.auditor,
    )


def test_provider_config_is_checked():
    with pytest.raises(ValueError, match="issuer"):
        ProviderConfig.from_mapping("x", {"roles": {}})
    with pytest.raises(ValueError, match="unknown roles"):
        ProviderConfig.from_mapping("x", {"issuer": "https://i", "roles": {"a": "root"}})
