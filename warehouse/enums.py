"""Kinds of entities and roles in a signal, as the schema's checks allow them (migration 0001),
without SQLModel: the processes that read and validate deliveries import this, not the
models."""

from __future__ import annotations

import enum


class EntityKind(enum.StrEnum):
    company = "company"
    person = "person"
    bank_account = "bank_account"
    vessel = "vessel"


class LinkRole(enum.StrEnum):
    suspect = "suspect"
    facilitator = "facilitator"
    account_holder = "account_holder"
    counterparty = "counterparty"
    carrier = "carrier"
    insider = "insider"
    victim = "victim"
    involved = "involved"
