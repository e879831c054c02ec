"""Reading and validating a delivery, with no database: the valid rows prepared for writing,
the invalid ones with their reasons. The seed's reader processes run only this module and
what it imports (no SQLAlchemy or SQLModel: a spawned reader starts in half a second, not
one)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from warehouse.ingest import formats
from warehouse.ingest.batch import Batch, prepare_batch
from warehouse.ingest.entities import IDENTIFIED_KINDS, check_links
from warehouse.ingest.formats import DeliveryRejected, ParseError
from warehouse.ingest.pseudonyms import pseudonymise
from warehouse.ingest.reference import Reference
from warehouse.ingest.validate import Reasons, check_signals

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Prepared:
    """One delivery read and validated, ready for the database (no database needed so far)."""

    agency: str
    file_name: str
    sha: str
    fmt: str = "csv"
    error: str | None = None  # the whole file was rejected
    rows: int = 0
    batch: Batch | None = None  # the valid rows, prepared for writing
    quarantine: list[tuple[int, str | None, dict, dict]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def prepare_delivery(
    *,
    agency: str,
    file_name: str,
    data: bytes,
    sha: str,
    ref: Reference,
    key: bytes,
    now: dt.datetime | None = None,
    step: Progress | None = None,
) -> Prepared:
    """Read and validate a delivery: the valid rows to stage, the invalid ones with reasons."""
    now = now or dt.datetime.now(dt.UTC)
    try:
        fmt = formats.file_format(file_name)
        parsed = formats.read(data, fmt)
    except DeliveryRejected as exc:
        return Prepared(agency=agency, file_name=file_name, sha=sha, error=str(exc))
    if step is not None:
        step("validating", 0.25)
    rows = parsed.rows.reset_index(drop=True)
    reasons = Reasons()
    if b"\x00" in data:  # PostgreSQL text cannot hold NUL
        for name in rows.columns.drop("line_no"):
            reasons.flag(rows[name].str.contains("\x00", regex=False), name, "NUL character")
    signals = check_signals(rows, agency=agency, ref=ref, now=now, reasons=reasons)
    links = check_links(rows, slots=parsed.entity_slots, ref=ref, key=key, reasons=reasons)
    bad = reasons.bad(len(rows))
    signals["line_no"] = rows["line_no"]
    return Prepared(
        agency=agency,
        file_name=file_name,
        sha=sha,
        fmt=fmt,
        rows=len(rows) + len(parsed.errors),
        batch=prepare_batch(
            _staged(signals[~bad]),
            links[~bad[links["row"].to_numpy(dtype=np.int64)]] if len(links) else links,
        ),
        quarantine=_quarantine(rows, bad, reasons, parsed.errors, key),
        ignored_columns=parsed.ignored_columns,
    )


def _staged(good: pd.DataFrame) -> pd.DataFrame:
    out = good.copy()
    for col in ("severity", "credibility", "audience_mask"):
        out[col] = out[col].astype("int64")
    return out


def _quarantine(
    rows: pd.DataFrame, bad: np.ndarray, reasons: Reasons, errors: list[ParseError], key: bytes
) -> list[tuple[int, str | None, dict, dict]]:
    """(line, source_ref, raw with person identifiers pseudonymised, reasons) per bad row."""
    out: list[tuple[int, str | None, dict, dict]] = [
        (e.line_no, None, e.raw, {"row": e.reason}) for e in errors
    ]
    records = rows[bad].to_dict("records")
    for index, record in zip(np.flatnonzero(bad), records, strict=True):
        ref = str(record.get("source_ref") or "")[:64] or None
        out.append((int(record["line_no"]), ref, _redact(record, key), reasons.by_row[int(index)]))
    return sorted(out, key=lambda q: q[0])


def _redact(record: dict, key: bytes) -> dict:
    """The delivered row as the steward sent it, except person identifiers (pseudonymised)
    and person names (removed). A slot whose kind is unclear is treated as a person."""
    raw = {k: v for k, v in record.items() if v not in ("", None) and k != "line_no"}
    for slot in range(1, formats.MAX_ENTITIES + 1):
        kind = str(raw.get(formats.entity_column(slot, "kind"), "")).lower()
        id_col = formats.entity_column(slot, "id")
        if kind in IDENTIFIED_KINDS or id_col not in raw and kind == "":
            continue
        if id_col in raw:
            raw[id_col] = f"pseudonym:{pseudonymise(key, str(raw[id_col]))}"
        raw.pop(formats.entity_column(slot, "name"), None)
    return raw
