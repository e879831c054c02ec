"""COPY validated rows: into temporary tables of this transaction (staging), or straight into
the warehouse's tables."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

if TYPE_CHECKING:  # the reader processes import this module without SQLAlchemy
    from sqlalchemy import Connection

STAGE_SIGNAL = (
    "line_no",
    "source_ref",
    "phenomenon_code",
    "observed_on",
    "reported_at",
    "municipality_code",
    "node_code",
    "origin_node_code",
    "lat",
    "lon",
    "h3_r5",
    "h3_r7",
    "h3_r9",
    "amount_eur",
    "quantity_kg",
    "severity",
    "reliability",
    "credibility",
    "handling_code",
    "audience_mask",
    "network_code",
)
STAGE_LINK = ("line_no", "role", "entity_id")

_CREATE = """
drop table if exists ingest_signal, ingest_link, ingest_match;
create temp table ingest_signal (
    line_no integer primary key,
    source_ref text not null,
    phenomenon_code text not null,
    observed_on date not null,
    reported_at timestamptz not null,
    municipality_code text,
    node_code text,
    origin_node_code text,
    lat double precision,
    lon double precision,
    h3_r5 text,
    h3_r7 text,
    h3_r9 text,
    amount_eur numeric(16, 2),
    quantity_kg numeric(12, 3),
    severity smallint not null,
    reliability char(1) not null,
    credibility smallint not null,
    handling_code char(2) not null,
    audience_mask bigint not null,
    network_code text
) on commit drop;
create temp table ingest_link (
    line_no integer not null,
    role text not null,
    entity_id bigint not null
) on commit drop;
"""


def stage(*, conn: Connection, signals: pa.Table, links: pd.DataFrame) -> None:
    """Fresh staging tables holding rows to compare with what the warehouse holds (`signals`
    typed for COPY by `arrow`, `links` with their entity ids)."""
    conn.exec_driver_sql(_CREATE)
    copy_table(conn, "ingest_signal", signals.select(list(STAGE_SIGNAL)))
    copy_rows(conn, "ingest_link", STAGE_LINK, links)
    # Statistics only of the join keys: a full analyze of every column cost as much as the COPY.
    conn.exec_driver_sql(
        "create index on ingest_link (line_no); analyze ingest_signal (line_no, source_ref)"
    )
    conn.exec_driver_sql("analyze ingest_link (line_no)")


def copy_rows(conn: Connection, table: str, columns: tuple[str, ...], df: pd.DataFrame) -> None:
    """COPY the columns of `df` into `table` (a name of this package, never input)."""
    if not df.empty:
        copy_table(conn, table, arrow(df, columns))


def arrow(df: pd.DataFrame, columns: tuple[str, ...]) -> pa.Table:
    """The columns of `df` as an Arrow table, typed as COPY should read them (times with a
    zone already as text: a reader process makes them, not the writer)."""
    return _utc_as_text(pa.Table.from_pandas(_typed(df[list(columns)]), preserve_index=False))


# COPY data is written and sent this many rows at a time (copy_table).
_COPY_ROWS = 8192


def copy_table(conn: Connection, table: str, data: pa.Table) -> None:
    """COPY an Arrow table into `table` (its columns by name); both names are this package's
    constants, never input."""
    if not data.num_rows:
        return
    data = _utc_as_text(data)
    # Arrow's writer (in C++) quotes every text value and leaves nulls unquoted: COPY reads
    # "" as empty text and an empty field as NULL, and quoted CR/LF as part of the value.
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cur.copy(
        f"copy {table} ({', '.join(data.column_names)}) from stdin with (format csv)"
    ) as copy:
        # A slice at a time: the server stores one while the next is written as text here.
        for part in data.to_batches(max_chunksize=_COPY_ROWS):
            buf = io.BytesIO()
            pacsv.write_csv(part, buf, options)
            copy.write(buf.getbuffer())


def _utc_as_text(data: pa.Table) -> pa.Table:
    """Times with a zone as UTC text with an explicit `+00` (what COPY reads whatever the
    session's TimeZone): Arrow's CSV writer formats such a column through the time zone
    database value by value, two thirds of the time of writing a batch of signals."""
    for i, column in enumerate(data.columns):
        kind = column.type
        if pa.types.is_timestamp(kind) and kind.tz is not None:
            wall = pc.cast(column, pa.timestamp(kind.unit))  # the same instants, UTC, no zone
            text = pc.binary_join_element_wise(pc.cast(wall, pa.string()), "+00", "")
            data = data.set_column(i, data.field(i).with_type(pa.string()), text)
    return data


# Whether this session may COPY into a table under row-level security: PostgreSQL refuses
# COPY FROM where a policy applies, which it does to the tables' owner (FORCE ROW LEVEL
# SECURITY) unless the role is a superuser or has BYPASSRLS.
_BYPASSES_RLS = "select rolsuper or rolbypassrls from pg_roles where rolname = current_user"


_WRITTEN = {
    "signal": {"id", "owner_agency", "source_ref", *STAGE_SIGNAL, "network_id"},
    "signal_entity": {"signal_id", "entity_id", "role", "audience_mask"},
}


def insert_table(conn: Connection, table: str, data: pa.Table) -> None:
    """Insert rows into a warehouse table: one COPY where the role may, else a COPY into a
    temporary table and one insert from it (the policies then apply as to any insert)."""
    if not data.num_rows:
        return
    if conn.exec_driver_sql(_BYPASSES_RLS).scalar():
        copy_table(conn, table, data)
        return
    columns = data.column_names
    if table not in _WRITTEN or not set(columns) <= _WRITTEN[table]:
        raise ValueError(f"not a table and columns the loader writes: {table} {columns}")
    names = ", ".join(columns)
    conn.exec_driver_sql(
        f"create temp table ingest_rows on commit drop as select {names} from {table} limit 0"  # noqa: S608 (checked above)
    )
    copy_table(conn, "ingest_rows", data)
    conn.exec_driver_sql(f"insert into {table} ({names}) select {names} from ingest_rows")  # noqa: S608
    conn.exec_driver_sql("drop table ingest_rows")


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    """Coordinates rounded to six decimals (what is stored: Arrow writes the shortest text
    that reads back as the same number), dates as dates, times to the second."""
    out = df.copy()
    for col in ("lat", "lon"):
        if col in out:
            out[col] = np.round(out[col].to_numpy(dtype=float), 6)  # NaN: null
    if "reported_at" in out:
        out["reported_at"] = out["reported_at"].dt.floor("s")
    return out
