"""CSV that leaves the system: two dialects, cells a spreadsheet would execute neutralised.

- `rfc4180`: UTF-8 without BOM, comma, CRLF line ends, quotes doubled, decimal point, ISO dates
  (2024-03-01) and UTC timestamps (2024-03-01T14:05:00+00:00).
- `excel-nl`: what Excel on a Dutch desktop opens right with a double click: UTF-8 with BOM,
  semicolon, CRLF, decimal comma without thousands separators, dates dd-mm-jjjj and timestamps
  dd-mm-jjjj uu:mm:ss in Dutch time (Excel has no time zones).

Neutralising (OWASP, CSV injection): a *text* cell that starts with `=`, `+`, `-`, `@`, tab or
carriage return gets a single quote in front, so a spreadsheet shows it instead of running it.
Numbers are typed values and stay numbers, negative ones too: only text is neutralised, so the
text "-5" becomes "'-5" while the number -5 stays -5. Timestamps are written to the second.

The same rules exist twice on purpose: here for data frames (aggregates) and as SQL expressions
(`sql_cell`) for streamed signal rows, where per-cell Python would cost most of the throughput.
A test writes the same rows both ways and compares the bytes."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import math
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff".encode()
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")


class Dialect(enum.StrEnum):
    rfc4180 = "rfc4180"
    excel_nl = "excel-nl"

    @property
    def delimiter(self) -> str:
        return ";" if self is Dialect.excel_nl else ","

    @property
    def preamble(self) -> bytes:
        return BOM if self is Dialect.excel_nl else b""


class Kind(enum.StrEnum):
    """How a column is written; decides formatting and whether it is neutralised."""

    text = "text"
    integer = "integer"
    decimal = "decimal"
    float = "float"
    date = "date"
    timestamp = "timestamp"


def neutralise(value: str) -> str:
    """'=1+1' -> "'=1+1"; harmless text unchanged."""
    return "'" + value if value.startswith(DANGEROUS) else value


def _number(text: str, dialect: Dialect) -> str:
    return text.replace(".", ",") if dialect is Dialect.excel_nl else text


def format_cell(value: object, dialect: Dialect) -> str | int:
    """One cell as text (ints pass through; the csv writer prints them)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, Decimal):
        return _number(format(value, "f"), dialect)
    if isinstance(value, float | np.floating):
        f = float(value)
        if math.isnan(f):
            return ""
        return int(f) if f.is_integer() and abs(f) < 2**53 else _number(repr(f), dialect)
    if isinstance(value, dt.datetime):  # before date: a datetime is a date
        return format_timestamp(value, dialect)
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y" if dialect is Dialect.excel_nl else "%Y-%m-%d")
    return neutralise(str(value))


def format_timestamp(value: dt.datetime, dialect: Dialect) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    if dialect is Dialect.excel_nl:
        return value.astimezone(DUTCH_TIME).strftime("%d-%m-%Y %H:%M:%S")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def sql_cell(expr: str, kind: Kind, dialect: Dialect) -> str:
    """The same formatting as `format_cell`, as a PostgreSQL expression over `expr` (a column
    expression from code, never input)."""
    if kind is Kind.text:
        # ascii(): the first character's code (0 for ''), far cheaper per row than left(x, 1)
        codes = ", ".join(str(ord(c)) for c in DANGEROUS)
        return f"case when ascii({expr}) in ({codes}) then '''' || {expr} else ({expr})::text end"
    if kind is Kind.integer:
        return expr
    if kind in (Kind.decimal, Kind.float):
        return (
            f"replace(({expr})::text, '.', ',')"
            if dialect is Dialect.excel_nl
            else f"({expr})::text"
        )
    if kind is Kind.date:
        fmt = "DD-MM-YYYY" if dialect is Dialect.excel_nl else "YYYY-MM-DD"
        return f"to_char({expr}, '{fmt}')"
    if dialect is Dialect.excel_nl:
        return f"to_char({expr} at time zone 'Europe/Amsterdam', 'DD-MM-YYYY HH24:MI:SS')"
    return f"""to_char({expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')"""


class Encoder:
    """Turns batches of formatted rows into bytes: the csv module does quoting and CRLF."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self._buffer = io.StringIO()
        self._writer = csv.writer(
            self._buffer,
            delimiter=dialect.delimiter,
            quotechar='"',
            doublequote=True,
            lineterminator="\r\n",
            quoting=csv.QUOTE_MINIMAL,
        )

    def header(self, columns: Sequence[str]) -> bytes:
        return self.dialect.preamble + self.rows([[neutralise(c) for c in columns]])

    def rows(self, rows: Iterable[Sequence[object]]) -> bytes:
        self._writer.writerows(rows)
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return text.encode("utf-8")


def frame_rows(df: pd.DataFrame, columns: Sequence[str], dialect: Dialect) -> Iterator[list]:
    """The rows of a data frame, every cell formatted (`format_cell`)."""
    for record in df[list(columns)].itertuples(index=False, name=None):
        yield [format_cell(v, dialect) for v in record]


def frame_csv(df: pd.DataFrame, columns: Sequence[str], dialect: Dialect) -> bytes:
    """A whole (small) data frame as one CSV file."""
    enc = Encoder(dialect)
    return enc.header(columns) + enc.rows(frame_rows(df, columns, dialect))


def reader(data: bytes, dialect: Dialect) -> list[list[str]]:
    """Parse an export back (what a test, or a careful recipient, would do)."""
    text = data.decode("utf-8-sig" if dialect is Dialect.excel_nl else "utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter))
