"""Exports: the rows or the aggregate behind a view, written as a file that can leave the system.

One path for the page, the download route and the command line:
request (source, filters, columns, dialect, reason) -> `check` (role, columns, row limit)
-> the same query functions as the views, inside `scoped(viewer)` -> `csvfile` writer ->
SHA-256 over every byte -> one audit entry (action "export").

Sources: "signals" (rows, streamed from a server-side cursor) or the dotted name of any query
function in `warehouse.queries` that returns a data frame (an aggregate, e.g.
"coverage.coverage"): the views of other issues plug in without registering anything here.

Accountability: the audit entry is written when the last byte is known, and the last chunk is
held back until it is written, so no complete file leaves without its entry. A download the
client breaks off is audited as well, with status "aborted" and the rows and bytes sent."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib
import inspect
import io
import re
import uuid
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from warehouse import audit
from warehouse.csvfile import Dialect, Encoder, frame_rows
from warehouse.filters import Filters
from warehouse.queries import export_rows
from warehouse.scoped import app_engine, scoped
from warehouse.settings import get_settings
from warehouse.viewer import Role, Viewer

SIGNALS = "signals"
EXPORT_ROLES = frozenset({Role.analyst, Role.steward, Role.manager})
SOURCE_NAME = re.compile(r"^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$")
CHUNK_BYTES = 256 * 1024  # about this much per chunk sent
BATCH_ROWS = 10_000  # rows fetched per round trip: memory holds one batch
# An export of at least this share of the signals the viewer may see reads them in id order
# (primary key) instead of letting PostgreSQL sort them: see export_rows.stream_signal_csv.
IN_ID_ORDER_SHARE = 0.25


class ExportRefused(ValueError):
    """A request that may not run; the message says why (shown to the viewer)."""


def row_limit(role: Role) -> int:
    """Most signal rows one export may hold for this role (0: rows are not allowed)."""
    settings = get_settings()
    return {
        Role.analyst: settings.export_max_rows_analyst,
        Role.steward: settings.export_max_rows_steward,
    }.get(role, 0)


def new_export_id() -> str:
    return uuid.uuid4().hex[:16]


@dataclass(frozen=True)
class ExportRequest:
    source: str  # "signals" or "<module>.<function>" in warehouse.queries
    filters: Filters
    columns: tuple[str, ...]
    dialect: Dialect
    reason: str
    case_number: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)  # further keyword arguments
    export_id: str = field(default_factory=new_export_id)

    @property
    def rows(self) -> bool:
        return self.source == SIGNALS

    def file_name(self, today: dt.date | None = None) -> str:
        day = (today or dt.date.today()).isoformat()
        return f"nsoc-export-{self.export_id}-{day}.csv"

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (for tokens and the audit trail)."""
        return {
            "export_id": self.export_id,
            "source": self.source,
            "filters": self.filters.to_query(),
            "columns": list(self.columns),
            "dialect": str(self.dialect),
            "reason": self.reason,
            "case_number": self.case_number,
            "params": dict(self.params),
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> ExportRequest:
        filters, problems = Filters.from_query(raw.get("filters") or {})
        if problems:
            raise ExportRefused(f"malformed filters: {', '.join(problems)}")
        return cls(
            source=str(raw["source"]),
            filters=filters,
            columns=tuple(str(c) for c in raw.get("columns") or ()),
            dialect=Dialect(raw["dialect"]),
            reason=str(raw.get("reason") or ""),
            case_number=str(raw.get("case_number") or ""),
            params=dict(raw.get("params") or {}),
            export_id=str(raw["export_id"]),
        )


def query_function(name: str) -> Callable[..., Any]:
    """The query function `name` ("coverage.coverage") from warehouse.queries; nothing else
    can be named, so a request cannot reach arbitrary code."""
    if not SOURCE_NAME.match(name):
        raise ExportRefused(f"unknown export source {name!r}")
    module_name, func_name = name.split(".")
    try:
        module = importlib.import_module(f"warehouse.queries.{module_name}")
    except ImportError:
        raise ExportRefused(f"unknown export source {name!r}") from None
    func = getattr(module, func_name, None)
    if (
        func_name.startswith("_")
        or not inspect.isfunction(func)
        or func.__module__ != module.__name__
        or not {"conn", "viewer"} <= set(inspect.signature(func).parameters)
    ):
        raise ExportRefused(f"unknown export source {name!r}")
    return func


def source_name(func: Callable[..., Any]) -> str:
    """The name under which an export request refers to a query function."""
    return f"{func.__module__.removeprefix('warehouse.queries.')}.{func.__name__}"


def check(request: ExportRequest, viewer: Viewer) -> None:
    """Refuse what may not run: no reason, a role without exports, rows for a role without row
    access, unknown columns."""
    if not request.reason.strip():
        raise ExportRefused("state the reason for this export")
    if len(request.reason) > 500 or len(request.case_number) > 64:
        raise ExportRefused("reason or case number too long")
    if viewer.role not in EXPORT_ROLES:
        raise ExportRefused(f"role {viewer.role} may not export")
    if request.rows:
        if row_limit(viewer.role) <= 0 or not viewer.sees_rows:
            raise ExportRefused(f"role {viewer.role} may export aggregates only")
        export_rows.check_columns(request.columns)
    else:
        query_function(request.source)
        if not request.columns:
            raise ExportRefused("choose at least one column")


@dataclass
class Progress:
    """What has been produced so far; the audit entry is made from it."""

    rows: int = 0  # rows produced (the last held chunk included)
    bytes_sent: int = 0  # bytes handed to the receiver
    sha256: Any = field(default_factory=hashlib.sha256)
    status: str = "started"
    truncated: bool = False

    def add(self, chunk: bytes) -> bytes:
        """A chunk about to be sent (hashed and counted)."""
        self.sha256.update(chunk)
        return self.add_sent(chunk)

    def add_sent(self, chunk: bytes) -> bytes:
        self.bytes_sent += len(chunk)
        return chunk

    @property
    def hexdigest(self) -> str:
        return str(self.sha256.hexdigest())


def _call(func: Callable[..., Any], conn: Any, viewer: Viewer, request: ExportRequest) -> Any:
    params = inspect.signature(func).parameters
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in request.params.items()}
    unknown = set(kwargs) - set(params)
    if unknown or {"conn", "viewer", "filters"} & set(kwargs):
        raise ExportRefused(f"unknown parameters for {request.source}: {sorted(kwargs)}")
    if "filters" in params:
        kwargs["filters"] = request.filters
    return func(conn=conn, viewer=viewer, **kwargs)


def _frame_chunks(
    df: pd.DataFrame, request: ExportRequest, progress: Progress
) -> Generator[bytes, None, None]:
    missing = [c for c in request.columns if c not in df.columns]
    if missing:
        raise ExportRefused(f"unknown export columns: {', '.join(missing)}")
    df = shown_as_on_screen(df)
    enc = Encoder(request.dialect)
    yield enc.header(request.columns)
    rows = list(frame_rows(df, request.columns, request.dialect))
    for start in range(0, len(rows), 5000):
        progress.rows += len(rows[start : start + 5000])
        yield enc.rows(rows[start : start + 5000])


def shown_as_on_screen(df: pd.DataFrame) -> pd.DataFrame:
    """Suppressed cells (NA where `suppressed` is true) read "< k", as on screen."""
    if "suppressed" not in df.columns or not df["suppressed"].any():
        return df
    label = f"< {get_settings().suppression_k}"
    out = df.astype({c: object for c in df.columns if c != "suppressed"})
    small = out["suppressed"].astype(bool)
    for col in out.columns:
        if col != "suppressed" and pd.api.types.is_numeric_dtype(df[col]):
            out.loc[small & df[col].isna(), col] = label
    return out


def _row_chunks(
    conn: Any, viewer: Viewer, request: ExportRequest, progress: Progress, *, in_id_order: bool
) -> Generator[bytes, None, None]:
    """The header, then the rows as PostgreSQL formats them (COPY … TO STDOUT, streamed)."""
    limit = row_limit(viewer.role)
    yield Encoder(request.dialect).header(request.columns)
    for rows, chunk in export_rows.stream_signal_csv(
        conn=conn,
        viewer=viewer,
        filters=request.filters,
        columns=request.columns,
        dialect=request.dialect,
        limit=limit + 1,
        chunk_bytes=CHUNK_BYTES,
        in_id_order=in_id_order,
    ):
        if progress.rows + rows > limit:  # the rollup was stale: hold the limit anyway
            keep = limit - progress.rows
            chunk = _first_lines(chunk, keep)
            rows = keep
            progress.truncated = True
        progress.rows += rows
        if chunk:
            yield chunk


def _first_lines(data: bytes, n: int) -> bytes:
    """The first n CSV lines of data (quoted fields may hold CR LF: count real line ends)."""
    lines = io.StringIO(data.decode("utf-8"), newline="")
    out = []
    for _ in range(n):
        record = lines.readline()
        while record.count('"') % 2:  # a quoted field spans lines: read on to its end
            record += lines.readline()
        out.append(record)
    return "".join(out).encode("utf-8")


class ExportRun:
    """One export: iterate it for the file's bytes (once). `check` runs on construction, so a
    refused request fails before any byte; `progress` holds rows, bytes and the hash."""

    def __init__(
        self,
        request: ExportRequest,
        viewer: Viewer,
        *,
        engine: Engine | None = None,
        audit_engine: Engine | None = None,
        via: str = "app",
    ) -> None:
        self.request = request
        self.viewer = viewer
        self.engine = engine or app_engine()
        self.audit_engine = audit_engine or self.engine
        self.via = via
        self.progress = Progress()
        self.expected_rows: int | None = None
        self.in_id_order = False
        try:
            check(request, viewer)
            if request.rows:
                self._check_size()
        except ExportRefused as exc:
            self.progress.status = "refused"
            self._audit(bytes_total=0, error=exc)
            raise

    def _check_size(self) -> None:
        """Refuse before the first byte when the rows would exceed the role's limit; note
        whether the export holds a large share of what the viewer may see (both counted from
        the rollup)."""
        limit = row_limit(self.viewer.role)
        with scoped(self.viewer, engine=self.engine) as conn:
            expected = export_rows.signal_count(
                conn=conn, viewer=self.viewer, filters=self.request.filters
            )
            visible = export_rows.signal_count(conn=conn, viewer=self.viewer, filters=Filters())
        self.in_id_order = expected > 0 and expected >= IN_ID_ORDER_SHARE * visible
        if expected > limit:
            raise ExportRefused(
                f"this export would hold {expected:,} rows; the limit for your role is"
                f" {limit:,}: narrow the filters"
            )
        self.expected_rows = expected

    def __iter__(self) -> Iterator[bytes]:
        return self._chunks()

    def _chunks(self) -> Iterator[bytes]:
        request, viewer, progress = self.request, self.viewer, self.progress
        held: bytes | None = None
        try:
            with scoped(viewer, engine=self.engine) as conn:
                chunks: Generator[bytes, None, None]
                if request.rows:
                    chunks = _row_chunks(
                        conn, viewer, request, progress, in_id_order=self.in_id_order
                    )
                else:
                    df = _call(query_function(request.source), conn, viewer, request)
                    if not isinstance(df, pd.DataFrame):
                        raise ExportRefused(f"{request.source} does not return a table")
                    chunks = _frame_chunks(df, request, progress)
                # Closed before the transaction ends: a COPY broken off by the client must be
                # wound up on its connection before the rollback can use it.
                with contextlib.closing(chunks):
                    for chunk in chunks:
                        if held is not None:
                            yield progress.add(held)
                        held = chunk
            last = held or b""
            progress.sha256.update(last)
            progress.status = "truncated" if progress.truncated else "complete"
            self._audit(bytes_total=progress.bytes_sent + len(last))
            progress.status = "sent"
            yield progress.add_sent(last)
        except GeneratorExit:
            if progress.status == "started":
                progress.status = "aborted"
                self._audit(bytes_total=progress.bytes_sent)
            raise
        except Exception as exc:
            if progress.status == "started":
                progress.status = "refused" if isinstance(exc, ExportRefused) else "failed"
                self._audit(bytes_total=progress.bytes_sent, error=exc)
            raise

    def _audit(self, *, bytes_total: int, error: Exception | None = None) -> None:
        progress = self.progress
        details: dict[str, Any] = {
            **self.request.to_dict(),
            "file_name": self.request.file_name(),
            "status": progress.status,
            "rows": progress.rows,
            "bytes": bytes_total,
            "via": self.via,
        }
        if progress.status in ("complete", "truncated"):
            details["sha256"] = progress.sha256.hexdigest()
        if error is not None:
            details["error"] = (
                str(error) if isinstance(error, ExportRefused) else type(error).__name__
            )
        audit.record(self.audit_engine, action="export", viewer=self.viewer, details=details)


def write(request: ExportRequest, viewer: Viewer, out: Any, **kwargs: Any) -> Progress:
    """Write the export to a binary file object; returns its progress (rows, sha256)."""
    export = ExportRun(request, viewer, **kwargs)
    for chunk in export:
        out.write(chunk)
    return export.progress
