"""The audit trail: one writer for every access, and a verifier of the hash chain.

The database assigns time, order and hashes (trigger audit_chain, migration 0003) and refuses
updates and deletes; `verify` recomputes every hash here, independently of the database's code."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, text

from warehouse.db import reachable
from warehouse.viewer import Viewer

ACTIONS = frozenset(
    {
        "login",
        "login_refused",
        "logout",
        "session_expired",
        "page_view",
        "drilldown",
        "export",
        "briefing",
        "access_refused",
        "delivery",
        "match_decision",
    }
)


def record(
    engine: Engine,
    *,
    action: str,
    viewer: Viewer | None = None,
    subject: str | None = None,
    agency: str | None = None,
    role: str | None = None,
    details: Mapping[str, object] | None = None,
) -> None:
    """Append one entry in its own transaction (an access is recorded even if the page fails
    afterwards)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    with reachable(), engine.begin() as conn:
        append(
            conn,
            action=action,
            viewer=viewer,
            subject=subject,
            agency=agency,
            role=role,
            details=details,
        )


def append(
    conn: Connection,
    *,
    action: str,
    viewer: Viewer | None = None,
    subject: str | None = None,
    agency: str | None = None,
    role: str | None = None,
    details: Mapping[str, object] | None = None,
) -> None:
    """Append within the caller's transaction (for actions that must commit with their effect).
    No RETURNING: the app role may add entries but not read them back (row-level security)."""
    who = viewer.subject if viewer else (subject or "anonymous")
    conn.execute(
        text(
            "insert into audit_log (viewer, agency, role, action, details) "
            "values (:viewer, :agency, :role, :action, cast(:details as jsonb))"
        ),
        {
            "viewer": who[:200],
            "agency": viewer.agency if viewer else agency,
            "role": str(viewer.role) if viewer else role,
            "action": action,
            "details": json.dumps(dict(details or {}), default=str, sort_keys=True),
        },
    )


@dataclass(frozen=True)
class Verdict:
    ok: bool
    entries: int
    problems: list[str]


def _canonical(row: Mapping[str, Any]) -> str:
    at = row["at"]
    assert isinstance(at, dt.datetime)
    stamp = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    parts = [
        str(row["chain_seq"]),
        stamp,
        str(row["viewer"]),
        str(row["agency"] or ""),
        str(row["role"] or ""),
        str(row["action"]),
        str(row["details_text"]),
        str(row["prev_hash"] or ""),
    ]
    return "|".join(parts)


def verify(conn: Connection) -> Verdict:
    """Walk the chain: every hash recomputed, every link to its predecessor checked, no gaps,
    and the head matching the last entry. Run as the owner (it reads every agency's entries)."""
    rows = (
        conn.execute(
            text(
                "select chain_seq, at, viewer, agency, role, action, details::text as details_text, "
                "prev_hash, entry_hash from audit_log order by chain_seq"
            )
        )
        .mappings()
        .all()
    )
    problems: list[str] = []
    prev_hash: str | None = None
    expected_seq = 1
    for row in rows:
        seq = row["chain_seq"]
        if seq != expected_seq:
            problems.append(f"entry {expected_seq} is missing (next present: {seq})")
        if row["prev_hash"] != prev_hash:
            problems.append(f"entry {seq} does not link to the entry before it")
        digest = hashlib.sha256(_canonical(dict(row)).encode("utf-8")).hexdigest()
        if digest != row["entry_hash"]:
            problems.append(f"entry {seq} was altered (hash mismatch)")
        prev_hash = row["entry_hash"]
        expected_seq = seq + 1
    head = conn.execute(text("select last_seq, last_hash from audit_head where id = 1")).one()
    if head.last_seq != expected_seq - 1 or head.last_hash != prev_hash:
        problems.append(
            f"the chain ends at entry {expected_seq - 1} but its head says {head.last_seq}: "
            "entries were removed from the end"
        )
    return Verdict(ok=not problems, entries=len(rows), problems=problems)
