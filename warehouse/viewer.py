"""Who is looking: the viewer, built once from the login in dashboard/ and passed down as a plain
frozen value. warehouse/ never sees Streamlit."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    analyst = "analyst"  # rows and aggregates of what their agency may see
    manager = "manager"  # aggregates only, with small-cell suppression
    steward = "steward"  # deliveries of their own agency
    auditor = "auditor"  # the audit trail of their own agency
    admin = "admin"  # configuration and warehouse status


# Who may read signal rows (row-level security lets them see only their audience).
ROW_ROLES = frozenset({Role.analyst, Role.steward})


@dataclass(frozen=True)
class Viewer:
    subject: str  # the identity provider's `sub`
    agency: str  # decided by the provider that authenticated them, never by a claim
    agency_bit: int
    role: Role
    session_started: dt.datetime
    name: str | None = None
    provider: str | None = None
    roles: tuple[Role, ...] = ()  # every role the identity provider granted; `role` is active

    @property
    def mask(self) -> int:
        return 1 << self.agency_bit

    @property
    def sees_rows(self) -> bool:
        return self.role in ROW_ROLES

    @property
    def label(self) -> str:
        return f"{self.name or self.subject} ({self.agency}, {self.role})"
