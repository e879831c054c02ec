"""The delivery format (CSV or JSON Lines) and reading a file into rows of text fields.

Every field arrives as text: validation (validate.py) decides what it means. Rows that cannot
even be split into fields come back as parse errors with their line number, never dropped."""

from __future__ import annotations

import csv
import io
import itertools
import json
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

SIGNAL_FIELDS = (
    "source_ref",
    "phenomenon",
    "observed_on",
    "reported_at",
    "municipality",
    "node",
    "origin_node",
    "lat",
    "lon",
    "amount_eur",
    "quantity_kg",
    "severity",
    "reliability",
    "credibility",
    "handling_code",
    "audience",
    "network",
)
REQUIRED_FIELDS = (
    "source_ref",
    "phenomenon",
    "observed_on",
    "reported_at",
    "severity",
    "reliability",
    "credibility",
    "handling_code",
    "audience",
)
# Optional: when present it must name the delivering agency.
AGENCY_FIELD = "agency"
# Entities: CSV columns entity1_role, entity1_kind, …; JSON Lines an "entities" array.
ENTITY_FIELDS = ("role", "kind", "id", "name", "municipality", "category")
MAX_ENTITIES = 20
MAX_FILE_BYTES = 2 * 1024**3
csv.field_size_limit(1024 * 1024)


class DeliveryRejected(ValueError):
    """The file as a whole cannot be loaded (not rows in it); the message says what to fix."""


@dataclass
class ParseError:
    line_no: int
    reason: str
    raw: dict[str, object]


@dataclass
class Parsed:
    """Rows as text fields (a `line_no` column says where each row starts in the file)."""

    rows: pd.DataFrame
    entity_slots: int
    errors: list[ParseError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def file_format(name: str) -> str:
    lower = name.lower()
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    raise DeliveryRejected(f"{name}: deliver a .csv or .jsonl file")


def entity_column(slot: int, name: str) -> str:
    return f"entity{slot}_{name}"


def columns_for(slots: int) -> list[str]:
    return [
        *SIGNAL_FIELDS,
        AGENCY_FIELD,
        *(entity_column(i, f) for i in range(1, slots + 1) for f in ENTITY_FIELDS),
    ]


def read(data: bytes, fmt: str) -> Parsed:
    """Split a delivered file into rows of text fields."""
    if len(data) > MAX_FILE_BYTES:
        raise DeliveryRejected("the file is larger than 2 GB: split it into several deliveries")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DeliveryRejected("the file is UTF-16: save it as UTF-8")
    return read_csv(data) if fmt == "csv" else read_jsonl(data)


# -- CSV -------------------------------------------------------------------------------------
def _header(data: bytes) -> tuple[list[str], int]:
    first = data.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    names = [h.strip().lower() for h in next(csv.reader([first]), [])]
    if not any(names):
        raise DeliveryRejected("the file is empty or has no header line")
    missing = [f for f in REQUIRED_FIELDS if f not in names]
    if missing:
        raise DeliveryRejected(f"missing columns: {', '.join(missing)}")
    slots = 0
    while entity_column(slots + 1, "kind") in names and slots < MAX_ENTITIES:
        slots += 1
    return names, slots


def read_csv(data: bytes) -> Parsed:
    names, slots = _header(data)
    known = set(columns_for(slots))
    ignored = [n for n in names if n not in known]
    if len(set(names)) != len(names):
        raise DeliveryRejected("the header names a column twice")
    try:
        rows = _fast_csv(data, names)
        errors: list[ParseError] = []
    except (pa.ArrowInvalid, _Irregular):
        rows, errors = _careful_csv(data, names)
    return Parsed(_complete(rows, slots), slots, errors, ignored)


class _Irregular(Exception):
    pass


def _fast_csv(data: bytes, names: list[str]) -> pd.DataFrame:
    """The common case, in C: every line one record with the header's number of fields."""

    irregular_rows: list[object] = []

    def irregular(row: object) -> str:
        irregular_rows.append(row)
        return "skip"

    table = pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(
            newlines_in_values=False, ignore_empty_lines=False, invalid_row_handler=irregular
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    if irregular_rows:
        raise _Irregular
    rows = table.to_pandas()
    rows["line_no"] = range(2, len(rows) + 2)
    return rows


def _careful_csv(data: bytes, names: list[str]) -> tuple[pd.DataFrame, list[ParseError]]:
    """Record by record with line numbers: a broken record is reported and reading goes on
    at the next line, so one stray quote cannot swallow the rows after it."""
    bad_lines = _undecodable_lines(data)
    lines = list(io.StringIO(data.decode("utf-8", errors="replace"), newline=""))
    records: list[list[str]] = []
    starts: list[int] = []
    errors: list[ParseError] = []
    i = 1  # index of the next physical line (0 is the header)
    while i < len(lines):
        reader = csv.reader(itertools.islice(lines, i, None), strict=True)
        consumed = 0
        try:
            for record in reader:
                start, first = i + consumed, consumed
                consumed = reader.line_num
                if not record:
                    continue
                span = consumed - first
                if start + 1 in bad_lines:
                    errors.append(_err(start + 1, "the line is not valid UTF-8", lines[start]))
                elif len(record) != len(names):
                    errors.append(
                        _err(
                            start + 1,
                            f"expected {len(names)} fields, found {len(record)}",
                            lines[start],
                        )
                    )
                    if span > 1:  # a stray quote: resume right after the first line
                        i = start + 1
                        break
                else:
                    records.append(record)
                    starts.append(start + 1)
            else:
                i = len(lines)
        except csv.Error as exc:
            start = i + consumed
            errors.append(_err(start + 1, f"broken quoting or field: {exc}", lines[start]))
            i = start + 1
    rows = pd.DataFrame(records, columns=names, dtype=object)
    rows["line_no"] = starts
    return rows, errors


def _undecodable_lines(data: bytes) -> set[int]:
    try:
        data.decode("utf-8")
        return set()
    except UnicodeDecodeError:
        pass
    bad = set()
    for n, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad.add(n)
    return bad


def _err(line_no: int, reason: str, text: str) -> ParseError:
    from warehouse.ingest.pseudonyms import mask_digits

    return ParseError(line_no, reason, {"_unparsed": mask_digits(text[:2000])})


def _complete(rows: pd.DataFrame, slots: int) -> pd.DataFrame:
    """Every known column present (empty text when not delivered), unknown ones dropped."""
    cols = columns_for(slots)
    out = rows.reindex(columns=[*cols, "line_no"], fill_value="")
    for c in cols:
        out[c] = out[c].fillna("").astype(str).str.strip()
    return out


# -- JSON Lines ------------------------------------------------------------------------------
def read_jsonl(data: bytes) -> Parsed:
    from warehouse.ingest import jsonl_arrow  # it builds on this module

    fast = jsonl_arrow.read(data)
    if fast is not None:
        rows, slots = fast
        return Parsed(_complete(rows, slots), slots, [], [])
    bad_lines = _undecodable_lines(data)
    records: list[dict[str, str]] = []
    errors: list[ParseError] = []
    slots = 0
    text = data.decode("utf-8", errors="replace")
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if n in bad_lines:
            errors.append(_err(n, "the line is not valid UTF-8", line))
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            errors.append(_err(n, f"not a JSON object: {exc}", line))
            continue
        if not isinstance(obj, dict):
            errors.append(_err(n, "not a JSON object", line))
            continue
        flat, problem = flatten(obj)
        if problem:
            errors.append(_err(n, problem, line))
            continue
        flat["line_no"] = str(n)
        slots = max(slots, len(obj.get("entities") or []))
        records.append(flat)
    if not records and not errors:
        raise DeliveryRejected("the file is empty")
    rows = pd.DataFrame.from_records(records) if records else pd.DataFrame({"line_no": []})
    rows["line_no"] = rows["line_no"].astype(int)
    return Parsed(_complete(rows, slots), slots, errors, [])


def flatten(obj: dict) -> tuple[dict[str, str], str | None]:
    flat: dict[str, str] = {}
    for key, value in obj.items():
        if key == "entities":
            continue
        kind = type(value)
        if kind is dict or kind is list:
            return flat, f"{key}: expected text or a number"
        flat[key.lower()] = value if kind is str else "" if value is None else str(value)
    entities = obj.get("entities") or []
    if not isinstance(entities, list) or len(entities) > MAX_ENTITIES:
        return flat, f"entities: expected a list of at most {MAX_ENTITIES} objects"
    for slot, entity in enumerate(entities, start=1):
        if type(entity) is not dict:
            return flat, "entities: expected objects"
        for name, column in _SLOT_COLUMNS[slot]:
            value = entity.get(name)
            if isinstance(value, str):
                flat[column] = value
            elif isinstance(value, dict | list):
                return flat, f"entities[{slot}].{name}: expected text"
            else:
                flat[column] = "" if value is None else str(value)
    return flat, None


# (field, column name) per entity slot, built once.
_SLOT_COLUMNS = {
    slot: [(name, entity_column(slot, name)) for name in ENTITY_FIELDS]
    for slot in range(1, MAX_ENTITIES + 1)
}
