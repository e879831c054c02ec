"""SQLModel tables of the warehouse. The Alembic migrations are the source of the schema;
these classes mirror them for typed reads and writes (tests keep the two in step)."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel


class NodeType(enum.StrEnum):
    seaport = "seaport"
    airport = "airport"
    origin_port = "origin_port"
    transit_port = "transit_port"


HANDLING_CODES = ("H0", "H1", "H2", "H3")
RELIABILITY_CODES = ("A", "B", "C", "D", "X")
CREDIBILITY_CODES = (1, 2, 3, 4)


class Agency(SQLModel, table=True):
    __tablename__ = "agency"
    code: str = Field(sa_column=Column(String(16), primary_key=True))
    bit: int = Field(sa_column=Column(SmallInteger, nullable=False, unique=True))
    name_nl: str = Field(sa_column=Column(String(120), nullable=False))
    name_en: str = Field(sa_column=Column(String(120), nullable=False))


class RiecRegion(SQLModel, table=True):
    __tablename__ = "riec_region"
    code: str = Field(sa_column=Column(String(8), primary_key=True))
    name: str = Field(sa_column=Column(String(80), nullable=False, unique=True))


class Municipality(SQLModel, table=True):
    __tablename__ = "municipality"
    gm_code: str = Field(sa_column=Column(String(6), primary_key=True))
    name: str = Field(sa_column=Column(String(80), nullable=False))
    region_code: str = Field(
        sa_column=Column(String(8), ForeignKey("riec_region.code"), nullable=False)
    )
    lat: float = Field(sa_column=Column(Double, nullable=False))
    lon: float = Field(sa_column=Column(Double, nullable=False))


class LogisticsNode(SQLModel, table=True):
    __tablename__ = "logistics_node"
    code: str = Field(sa_column=Column(String(12), primary_key=True))
    name: str = Field(sa_column=Column(String(80), nullable=False))
    node_type: str = Field(sa_column=Column(String(16), nullable=False))
    locode: str = Field(sa_column=Column(String(8), nullable=False))
    country: str = Field(sa_column=Column(String(2), nullable=False))
    lat: float = Field(sa_column=Column(Double, nullable=False))
    lon: float = Field(sa_column=Column(Double, nullable=False))
    municipality_code: str | None = Field(
        default=None, sa_column=Column(String(6), ForeignKey("municipality.gm_code"))
    )


class Phenomenon(SQLModel, table=True):
    __tablename__ = "phenomenon"
    code: str = Field(sa_column=Column(String(24), primary_key=True))
    category: str = Field(sa_column=Column(String(24), nullable=False))
    name_nl: str = Field(sa_column=Column(String(120), nullable=False))
    name_en: str = Field(sa_column=Column(String(120), nullable=False))


class FacilitatorCategory(SQLModel, table=True):
    __tablename__ = "facilitator_category"
    code: str = Field(sa_column=Column(String(24), primary_key=True))
    kind: str = Field(sa_column=Column(String(12), nullable=False))
    name_nl: str = Field(sa_column=Column(String(120), nullable=False))
    name_en: str = Field(sa_column=Column(String(120), nullable=False))


class Network(SQLModel, table=True):
    __tablename__ = "network"
    id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    code: str = Field(sa_column=Column(String(24), nullable=False, unique=True))
    name: str = Field(sa_column=Column(String(120), nullable=False))
    region_code: str | None = Field(
        default=None, sa_column=Column(String(8), ForeignKey("riec_region.code"))
    )
    first_seen: dt.date | None = Field(default=None, sa_column=Column(Date))


class Entity(SQLModel, table=True):
    __tablename__ = "entity"
    id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    display_name: str = Field(sa_column=Column(String(200), nullable=False))
    kvk_number: str | None = Field(default=None, sa_column=Column(String(8), unique=True))
    iban: str | None = Field(default=None, sa_column=Column(String(34), unique=True))
    imo_number: str | None = Field(default=None, sa_column=Column(String(7), unique=True))
    person_pseudonym: str | None = Field(default=None, sa_column=Column(String(64), unique=True))
    facilitator_category: str | None = Field(
        default=None, sa_column=Column(String(24), ForeignKey("facilitator_category.code"))
    )
    municipality_code: str | None = Field(
        default=None, sa_column=Column(String(6), ForeignKey("municipality.gm_code"))
    )
    # Set when a match was confirmed: this entity is the one resolved_id points at.
    resolved_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("entity.id"))
    )


class Signal(SQLModel, table=True):
    """A shared signal. Its codes, network and owner reference the tables of those names; the
    references are checked once per statement by triggers (migration 0009), not per row."""

    __tablename__ = "signal"
    __table_args__ = (UniqueConstraint("owner_agency", "source_ref"),)
    id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    owner_agency: str = Field(sa_column=Column(String(16), nullable=False))
    source_ref: str = Field(sa_column=Column(String(64), nullable=False))
    phenomenon_code: str = Field(sa_column=Column(String(24), nullable=False))
    observed_on: dt.date = Field(sa_column=Column(Date, nullable=False))
    reported_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    municipality_code: str | None = Field(default=None, sa_column=Column(String(6)))
    node_code: str | None = Field(default=None, sa_column=Column(String(12)))
    origin_node_code: str | None = Field(default=None, sa_column=Column(String(12)))
    lat: float | None = Field(default=None, sa_column=Column(Double))
    lon: float | None = Field(default=None, sa_column=Column(Double))
    h3_r5: str | None = Field(default=None, sa_column=Column(String(15)))
    h3_r7: str | None = Field(default=None, sa_column=Column(String(15)))
    h3_r9: str | None = Field(default=None, sa_column=Column(String(15)))
    amount_eur: Decimal | None = Field(default=None, sa_column=Column(Numeric(16, 2)))
    quantity_kg: Decimal | None = Field(default=None, sa_column=Column(Numeric(12, 3)))
    severity: int = Field(sa_column=Column(SmallInteger, nullable=False))
    reliability: str = Field(sa_column=Column(String(1), nullable=False))
    credibility: int = Field(sa_column=Column(SmallInteger, nullable=False))
    handling_code: str = Field(sa_column=Column(String(2), nullable=False))
    audience_mask: int = Field(sa_column=Column(BigInteger, nullable=False))
    network_id: int | None = Field(default=None, sa_column=Column(BigInteger))


class SignalEntity(SQLModel, table=True):
    """A signal's link to an entity; signal_id and entity_id are checked per statement (0009),
    and deleting a signal deletes its links."""

    __tablename__ = "signal_entity"
    signal_id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    entity_id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    role: str = Field(sa_column=Column(String(16), primary_key=True))
    audience_mask: int = Field(sa_column=Column(BigInteger, nullable=False))


class Intervention(SQLModel, table=True):
    __tablename__ = "intervention"
    id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    agency: str = Field(sa_column=Column(String(16), ForeignKey("agency.code"), nullable=False))
    intervention_type: str = Field(sa_column=Column(String(24), nullable=False))
    decided_on: dt.date = Field(sa_column=Column(Date, nullable=False))
    outcome: str = Field(sa_column=Column(String(24), nullable=False))
    network_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("network.id"))
    )
    entity_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("entity.id"))
    )
    audience_mask: int = Field(sa_column=Column(BigInteger, nullable=False))
    __table_args__ = (CheckConstraint("network_id is not null or entity_id is not null"),)


class AuditEntry(SQLModel, table=True):
    """Append-only, hash-chained trail of who saw and took out what (filled from issue 3 on)."""

    __tablename__ = "audit_log"
    id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    viewer: str = Field(sa_column=Column(String(200), nullable=False))
    agency: str | None = Field(default=None, sa_column=Column(String(16)))
    role: str | None = Field(default=None, sa_column=Column(String(16)))
    action: str = Field(sa_column=Column(String(32), nullable=False))
    details: dict = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    prev_hash: str | None = Field(default=None, sa_column=Column(String(64)))
    entry_hash: str | None = Field(default=None, sa_column=Column(String(64)))
    chain_seq: int | None = Field(default=None, sa_column=Column(BigInteger, unique=True))


class SeedRun(SQLModel, table=True):
    """Which synthetic data set the warehouse holds, so a re-seed can be a no-op."""

    __tablename__ = "seed_run"
    id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    size: str = Field(sa_column=Column(String(8), nullable=False))
    seed: int = Field(sa_column=Column(BigInteger, nullable=False))
    signals: int = Field(sa_column=Column(BigInteger, nullable=False))
    loaded_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    notes: str | None = Field(default=None, sa_column=Column(Text))


class BatchStatus(enum.StrEnum):
    loaded = "loaded"
    rejected = "rejected"


class MatchStatus(enum.StrEnum):
    proposed = "proposed"
    confirmed = "confirmed"
    rejected = "rejected"


class DeliveryBatch(SQLModel, table=True):
    """One delivered file; a loaded file's sha256 makes its re-delivery a no-op."""

    __tablename__ = "delivery_batch"
    id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    agency: str = Field(sa_column=Column(String(16), ForeignKey("agency.code"), nullable=False))
    file_name: str = Field(sa_column=Column(String(255), nullable=False))
    file_format: str = Field(sa_column=Column(String(8), nullable=False))
    sha256: str = Field(sa_column=Column(String(64), nullable=False))
    received_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    finished_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    status: str = Field(sa_column=Column(String(12), nullable=False))
    error: str | None = Field(default=None, sa_column=Column(Text))
    rows_total: int = Field(sa_column=Column(Integer, nullable=False))
    inserted: int = Field(sa_column=Column(Integer, nullable=False))
    updated: int = Field(sa_column=Column(Integer, nullable=False))
    unchanged: int = Field(sa_column=Column(Integer, nullable=False))
    quarantined: int = Field(sa_column=Column(Integer, nullable=False))


class QuarantineRow(SQLModel, table=True):
    """A delivered row that failed validation; person identifiers in raw are pseudonymised."""

    __tablename__ = "quarantine_row"
    id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    batch_id: int = Field(
        sa_column=Column(
            BigInteger, ForeignKey("delivery_batch.id", ondelete="CASCADE"), nullable=False
        )
    )
    line_no: int = Field(sa_column=Column(Integer, nullable=False))
    source_ref: str | None = Field(default=None, sa_column=Column(String(64)))
    raw: dict = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    reasons: dict = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))


class SignalHistory(SQLModel, table=True):
    """An earlier version of a signal (row and links) that a corrected delivery replaced."""

    __tablename__ = "signal_history"
    id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    signal_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("signal.id", ondelete="CASCADE"), nullable=False)
    )
    batch_id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, ForeignKey("delivery_batch.id", ondelete="SET NULL")),
    )
    superseded_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    previous: dict = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))


class EntityAlias(SQLModel, table=True):
    """An entity an agency delivered without an identifier, keyed by name and place."""

    __tablename__ = "entity_alias"
    __table_args__ = (
        UniqueConstraint(
            "agency", "kind", "name_key", "municipality_code", name="entity_alias_key"
        ),
    )
    id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    agency: str = Field(sa_column=Column(String(16), ForeignKey("agency.code"), nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    name_key: str = Field(sa_column=Column(String(200), nullable=False))
    municipality_code: str | None = Field(
        default=None, sa_column=Column(String(6), ForeignKey("municipality.gm_code"))
    )
    entity_id: int = Field(sa_column=Column(BigInteger, ForeignKey("entity.id"), nullable=False))


class EntityMatch(SQLModel, table=True):
    """A proposed match between two entities and the decision on it (stored as data)."""

    __tablename__ = "entity_match"
    __table_args__ = (UniqueConstraint("entity_id", "candidate_id"),)
    id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    entity_id: int = Field(sa_column=Column(BigInteger, ForeignKey("entity.id"), nullable=False))
    candidate_id: int = Field(sa_column=Column(BigInteger, ForeignKey("entity.id"), nullable=False))
    rule: str = Field(sa_column=Column(String(32), nullable=False))
    score: Decimal = Field(sa_column=Column(Numeric(4, 3), nullable=False))
    status: str = Field(sa_column=Column(String(10), nullable=False))
    proposed_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    decided_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    decided_by: str | None = Field(default=None, sa_column=Column(String(200)))
    # Who decided in the app (migration 0010); empty for decisions from the command line.
    decided_agency: str | None = Field(
        default=None, sa_column=Column(String(16), ForeignKey("agency.code"))
    )
    decided_role: str | None = Field(default=None, sa_column=Column(String(16)))
