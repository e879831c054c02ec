"""From identity-token claims to a Viewer, or a refusal. Pure functions, no Streamlit, so that
every rule of who may enter is unit-tested.

The agency is decided by the provider that authenticated the viewer and that provider's expected
issuer, both from configuration: no claim in the token can make someone a member of another
agency. Roles come from a configurable claim per provider, mapped to the product's roles; no
recognised role means no access."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from warehouse.settings import Agency
from warehouse.viewer import Role, Viewer

# When a person holds several roles, the one they start in (they can switch in the sidebar).
ROLE_ORDER = (Role.analyst, Role.steward, Role.manager, Role.auditor, Role.admin)


@dataclass(frozen=True)
class ProviderConfig:
    """What we expect of one agency's identity provider ([idp.<agency>] in secrets.toml)."""

    agency: str
    issuer: str
    roles_claim: str = "roles"
    roles: Mapping[str, str] = field(default_factory=dict)  # provider value -> product role
    development: bool = False

    @classmethod
    def from_mapping(cls, agency: str, raw: Mapping[str, object]) -> ProviderConfig:
        roles = raw.get("roles", {})
        if not isinstance(roles, Mapping):
            raise ValueError(f"[idp.{agency}].roles must be a table")
        issuer = str(raw.get("issuer", "")).rstrip("/")
        if not issuer:
            raise ValueError(f"[idp.{agency}] needs an issuer")
        unknown = {v for v in roles.values() if v not in Role.__members__}
        if unknown:
            raise ValueError(f"[idp.{agency}].roles maps to unknown roles: {sorted(unknown)}")
        return cls(
            agency=agency,
            issuer=issuer,
            roles_claim=str(raw.get("roles_claim", "roles")),
            roles={str(k): str(v) for k, v in roles.items()},
            development=bool(raw.get("development", False)),
        )


@dataclass(frozen=True)
class Refusal:
    """Why someone was not let in: `reason` is a stable code for the audit trail, `agency` the
    provider's agency when known."""

    reason: str
    agency: str | None = None
    detail: str = ""


def _claim_values(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in value.replace(",", " ").split() if v]
    if isinstance(value, list | tuple | set):
        return [str(v) for v in value]
    return [str(value)]


def roles_from_claims(claims: Mapping[str, object], provider: ProviderConfig) -> tuple[Role, ...]:
    mapped = {provider.roles.get(v) for v in _claim_values(claims.get(provider.roles_claim))}
    return tuple(r for r in ROLE_ORDER if str(r) in mapped)


def session_start(claims: Mapping[str, object]) -> dt.datetime | None:
    for key in ("auth_time", "iat"):
        value = claims.get(key)
        if isinstance(value, int | float) and value > 0:
            return dt.datetime.fromtimestamp(value, dt.UTC)
    return None


def admit(
    claims: Mapping[str, object],
    *,
    providers: Mapping[str, ProviderConfig],
    agencies: Mapping[str, Agency],
    now: dt.datetime,
    max_age: dt.timedelta,
    role: str | None = None,
) -> Viewer | Refusal:
    """The Viewer these claims make, or why they make none. `role` picks one of several roles."""
    provider_name = str(claims.get("provider") or "")
    provider = providers.get(provider_name)
    agency = agencies.get(provider_name)
    if provider is None or agency is None:
        return Refusal("unknown_provider", detail=provider_name)
    issuer = str(claims.get("iss") or "").rstrip("/")
    if issuer != provider.issuer:
        return Refusal("issuer_mismatch", agency.code, f"{issuer or '(none)'} != {provider.issuer}")
    subject = str(claims.get("sub") or "")
    if not subject:
        return Refusal("no_subject", agency.code)
    roles = roles_from_claims(claims, provider)
    if not roles:
        return Refusal("no_role", agency.code, f"claim {provider.roles_claim!r}")
    started = session_start(claims)
    if started is None:
        return Refusal("no_session_time", agency.code)
    if now - started > max_age:
        return Refusal("session_expired", agency.code)
    active = Role(role) if role in roles else roles[0]
    return Viewer(
        subject=subject,
        agency=agency.code,
        agency_bit=agency.bit,
        role=active,
        session_started=started,
        name=_name(claims),
        provider=provider_name,
        roles=roles,
    )


def _name(claims: Mapping[str, object]) -> str | None:
    for key in ("name", "preferred_username", "email"):
        if claims.get(key):
            return str(claims[key])
    return None
