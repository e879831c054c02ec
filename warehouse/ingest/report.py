"""What a steward learns about a delivery: counts, and what to fix per quarantined row."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Connection, text


@dataclass
class QuarantinedRow:
    line_no: int
    source_ref: str | None
    reasons: dict[str, str]


@dataclass
class Report:
    agency: str
    file_name: str
    status: str  # loaded | duplicate | rejected
    batch_id: int | None = None
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    error: str | None = None
    ignored_columns: list[str] = field(default_factory=list)
    quarantine: list[QuarantinedRow] = field(default_factory=list)

    def audit_details(self) -> dict[str, object]:
        """What the audit trail records of a delivery (the page and the command line alike)."""
        return {
            "file": self.file_name,
            "batch": self.batch_id,
            "status": self.status,
            "inserted": self.inserted,
            "updated": self.updated,
            "quarantined": self.quarantined,
        }

    @property
    def accepted(self) -> int:
        return self.inserted + self.updated + self.unchanged

    def reason_counts(self) -> list[tuple[str, int]]:
        """'field: reason' with how many rows it applies to, most frequent first."""
        counts = Counter(
            f"{name}: {_general(message)}"
            for row in self.quarantine
            for name, message in row.reasons.items()
        )
        return counts.most_common()

    def summary(self) -> str:
        if self.status == "rejected":
            return f"{self.file_name}: rejected: {self.error}"
        if self.status == "duplicate":
            return f"{self.file_name}: already delivered as batch {self.batch_id}; nothing changed"
        return (
            f"{self.file_name}: {self.rows:,} rows: {self.inserted:,} new, {self.updated:,} "
            f"updated, {self.unchanged:,} unchanged, {self.quarantined:,} quarantined"
        )


def _general(message: str) -> str:
    # "unknown code 'XYZ'" and "unknown code 'ABC'" count as one kind of problem.
    return message.split(" {", 1)[0].split(" '", 1)[0].split(": '", 1)[0]


def batch_report(*, conn: Connection, batch_id: int) -> Report:
    """The report of an earlier batch, from what the warehouse stored."""
    b = conn.execute(text("select * from delivery_batch where id = :b"), {"b": batch_id}).one()
    rows = conn.execute(
        text(
            "select line_no, source_ref, reasons from quarantine_row "
            "where batch_id = :b order by line_no"
        ),
        {"b": batch_id},
    ).all()
    return Report(
        agency=b.agency,
        file_name=b.file_name,
        status=b.status,
        batch_id=b.id,
        rows=b.rows_total,
        inserted=b.inserted,
        updated=b.updated,
        unchanged=b.unchanged,
        quarantined=b.quarantined,
        error=b.error,
        quarantine=[QuarantinedRow(r.line_no, r.source_ref, dict(r.reasons)) for r in rows],
    )


def recent_batches(*, conn: Connection, agency: str, limit: int = 20) -> list[Report]:
    """The agency's latest batches, newest first (without their quarantined rows)."""
    ids = conn.scalars(
        text("select id from delivery_batch where agency = :a order by id desc limit :n"),
        {"a": agency, "n": limit},
    ).all()
    out = []
    for batch_id in ids:
        report = batch_report(conn=conn, batch_id=batch_id)
        report.quarantine = []
        out.append(report)
    return out
