"""Signal rows and aggregates for exports. Rows stream from PostgreSQL already formatted for the
chosen dialect (see warehouse/csvfile.py): the file through `COPY … TO STDOUT (format csv)`, the
preview from a server-side cursor; so a million rows pass through with bounded memory, and
row-level security decides which rows exist at all."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

import pandas as pd
from sqlalchemy import Connection, text

from warehouse.csvfile import DANGEROUS, Dialect, Kind, sql_cell
from warehouse.filters import Filters
from warehouse.queries.where import Columns, where
from warehouse.settings import get_settings
from warehouse.suppression import needs_suppression, suppress
from warehouse.viewer import Role, Viewer


@dataclass(frozen=True)
class Column:
    expr: str  # SQL over the aliases s (signal), p (phenomenon), m (municipality), n (network)
    kind: Kind
    # Text whose every possible value is listed in a reference table ("table.column": the
    # column itself, or what its foreign key points at): one look at that table per query
    # tells whether any value needs neutralising, instead of a test on every row.
    values_in: str | None = None


# The columns a signal export may contain, in file order. Code, never input: a request names
# columns, and only names found here reach the SQL.
SIGNAL_COLUMNS: dict[str, Column] = {
    "id": Column("s.id", Kind.integer),
    "source_ref": Column("s.source_ref", Kind.text),
    "owner_agency": Column("s.owner_agency", Kind.text, "agency.code"),
    "phenomenon_code": Column("s.phenomenon_code", Kind.text, "phenomenon.code"),
    "phenomenon_name": Column("p.name_nl", Kind.text, "phenomenon.name_nl"),
    "observed_on": Column("s.observed_on", Kind.date),
    "reported_at": Column("s.reported_at", Kind.timestamp),
    "municipality_code": Column("s.municipality_code", Kind.text, "municipality.gm_code"),
    "municipality_name": Column("m.name", Kind.text, "municipality.name"),
    "region_code": Column("m.region_code", Kind.text, "municipality.region_code"),
    "node_code": Column("s.node_code", Kind.text, "logistics_node.code"),
    "origin_node_code": Column("s.origin_node_code", Kind.text, "logistics_node.code"),
    "lat": Column("s.lat", Kind.float),
    "lon": Column("s.lon", Kind.float),
    "h3_r7": Column("s.h3_r7", Kind.text),
    "amount_eur": Column("s.amount_eur", Kind.decimal),
    "quantity_kg": Column("s.quantity_kg", Kind.decimal),
    "severity": Column("s.severity", Kind.integer),
    "reliability": Column("s.reliability", Kind.text),
    "credibility": Column("s.credibility", Kind.integer),
    "handling_code": Column("s.handling_code", Kind.text),
    "network_code": Column("n.code", Kind.text, "network.code"),
    "network_name": Column("n.name", Kind.text, "network.name"),
}
DEFAULT_SIGNAL_COLUMNS = (
    "source_ref",
    "owner_agency",
    "phenomenon_code",
    "observed_on",
    "municipality_code",
    "region_code",
    "amount_eur",
    "severity",
    "handling_code",
)
SIGNAL_FILTER_COLUMNS = Columns(
    month=None,  # the period is a range on observed_on below, so its index serves
    region="m.region_code",
    municipality="s.municipality_code",
    phenomenon="s.phenomenon_code",
    agency="s.owner_agency",
    handling="s.handling_code",
)


def check_columns(columns: Sequence[str]) -> tuple[str, ...]:
    unknown = [c for c in columns if c not in SIGNAL_COLUMNS]
    if unknown:
        raise ValueError(f"unknown export columns: {', '.join(unknown)}")
    if not columns:
        raise ValueError("choose at least one column")
    return tuple(dict.fromkeys(columns))


def _signal_where(viewer: Viewer, filters: Filters) -> tuple[str, dict[str, object]]:
    clause, params = where(filters, SIGNAL_FILTER_COLUMNS)
    if filters.start:
        clause += " and s.observed_on >= :f_start"
        params["f_start"] = filters.start
    if filters.end:
        clause += " and s.observed_on < cast(:f_end as date) + interval '1 month'"
        params["f_end"] = filters.end
    return clause, params


def _signal_sql(viewer: Viewer, filters: Filters, columns: Sequence[str], dialect: Dialect):
    select = ",\n    ".join(
        f"{sql_cell(SIGNAL_COLUMNS[c].expr, SIGNAL_COLUMNS[c].kind, dialect)} as {c}"
        for c in check_columns(columns)
    )
    clause, params = _signal_where(viewer, filters)
    sql = f"""
        select
            {select}
        from signal as s
        left join phenomenon as p on p.code = s.phenomenon_code
        left join municipality as m on m.gm_code = s.municipality_code
        left join network as n on n.id = s.network_id
        where {clause}
        order by s.id
        limit :row_limit
    """  # noqa: S608 - expressions and clause come from the constants above; values are bound
    return text(sql), params


def stream_signal_rows(
    *,
    conn: Connection,
    viewer: Viewer,
    filters: Filters,
    columns: Sequence[str] = DEFAULT_SIGNAL_COLUMNS,
    dialect: Dialect = Dialect.rfc4180,
    limit: int,
    batch: int = 10_000,
) -> Iterator[list[tuple[object, ...]]]:
    """Batches of formatted rows (lists of tuples), at most `limit` rows in all, ordered by
    signal id. A server-side cursor: memory holds one batch, whatever the export's size."""
    sql, params = _signal_sql(viewer, filters, columns, dialect)
    result = conn.execution_options(stream_results=True, yield_per=batch).execute(
        sql, {**params, "row_limit": max(0, limit)}
    )
    for partition in result.partitions(batch):
        yield [tuple(row) for row in partition]


def _copy_cell(column: Column, dialect: Dialect, *, alone: bool) -> str:
    """One column as `COPY … (format csv)` must see it to write what the csv module writes.
    COPY quotes exactly when the csv module does (delimiter, quote, CR, LF), except that it
    quotes an empty string (to tell it from NULL, which it writes as nothing): so empty text is
    sent as NULL; and a lone field, which the csv module writes as "" when empty, as ''.
    Dates are written by PostgreSQL's own output in the date style `_COPY_DATESTYLE` sets
    (the same text as `sql_cell`'s to_char, at a fraction of its cost). Text from a reference
    table is neutralised per row only when that table holds a value that needs it: a subquery
    without correlation, evaluated once per query and in the query's own snapshot."""
    if column.kind is Kind.date:
        cell = column.expr
    elif column.kind is Kind.text and column.values_in:
        table, name = column.values_in.split(".")
        first = ", ".join(str(ord(c)) for c in DANGEROUS)
        harmless = (  # table and column come from SIGNAL_COLUMNS (code), never a request
            f"(select not exists (select from {table}"  # noqa: S608
            f" where ascii({name}) in ({first})))"
        )
        cell = (
            f"case when {harmless} then ({column.expr})::text"
            f" else {sql_cell(column.expr, column.kind, dialect)} end"
        )
    else:
        cell = sql_cell(column.expr, column.kind, dialect)
    if alone:
        return f"coalesce(({cell})::text, '')"
    if column.kind is Kind.text:
        return f"nullif({cell}, '')"
    return cell  # numbers, dates and times are never empty and hold no delimiter or quote


_COPY_DATESTYLE = {Dialect.rfc4180: "ISO, YMD", Dialect.excel_nl: "Postgres, DMY"}


def _signal_copy_sql(
    viewer: Viewer, filters: Filters, columns: Sequence[str], dialect: Dialect
) -> tuple[str, dict[str, object]]:
    """The export as `COPY (…) TO STDOUT (format csv)`: PostgreSQL formats every cell and
    quotes every field, so the bytes are the csv module's (CRLF aside, see `_crlf`)."""
    columns = check_columns(columns)
    select = ",\n            ".join(
        _copy_cell(SIGNAL_COLUMNS[c], dialect, alone=len(columns) == 1) for c in columns
    )
    clause, params = _signal_where(viewer, filters)
    sql = f"""
        copy (
            select {select}
            from signal as s
            left join phenomenon as p on p.code = s.phenomenon_code
            left join municipality as m on m.gm_code = s.municipality_code
            left join network as n on n.id = s.network_id
            where {clause}
            order by s.id
            limit :row_limit
        ) to stdout with (format csv, delimiter '{dialect.delimiter}')
    """  # noqa: S608 - expressions and clause come from the constants above; values are bound
    return sql, params


def _crlf(data: bytes) -> bytes:
    """COPY ends rows with LF, the csv module with CRLF. A quoted field may hold an LF of its
    own, which stays as it is: outside quotes (the even parts between quote characters, since
    a quote inside a field is doubled) every LF ends a row."""
    if b'"' not in data:
        return data.replace(b"\n", b"\r\n")
    parts = data.split(b'"')
    parts[::2] = [part.replace(b"\n", b"\r\n") for part in parts[::2]]
    return b'"'.join(parts)


# COPY quotes a lone field holding just \. (its end-of-data marker in text); the csv module not.
_LONE_MARKER = (b'"\\."\n', b"\\.\n")


def stream_signal_csv(
    *,
    conn: Connection,
    viewer: Viewer,
    filters: Filters,
    columns: Sequence[str] = DEFAULT_SIGNAL_COLUMNS,
    dialect: Dialect = Dialect.rfc4180,
    limit: int,
    chunk_bytes: int = 1 << 20,
    in_id_order: bool = False,
) -> Iterator[tuple[int, bytes]]:
    """The export's rows as CSV bytes (CRLF lines, no header), in chunks of whole rows of
    about `chunk_bytes` with their row counts: `COPY (query) TO STDOUT (format csv)` streamed
    from PostgreSQL, which formats and quotes every field; at most `limit` rows, ordered by
    signal id. Row-level security applies as to any query (same transaction); the date style
    is set for the transaction (see `_copy_cell`). Memory holds one chunk. `in_id_order`: read the table in id order instead of sorting it, for exports of a
    large share of it (under row-level security the planner guesses under 1% of the rows, so
    it sorts a million rows on disk rather than read the primary key in order)."""
    columns = check_columns(columns)
    sql, params = _signal_copy_sql(viewer, filters, columns, dialect)
    statement = (
        text(sql)
        .bindparams(**params, row_limit=max(0, limit))
        .compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    )
    conn.execute(
        text("select set_config('datestyle', :style, true)"), {"style": _COPY_DATESTYLE[dialect]}
    )
    if in_id_order:
        conn.execute(text("select set_config('enable_sort', 'off', true)"))
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(str(statement), statement.params) as copy:  # type: ignore[union-attr]
        # PostgreSQL sends each row of a COPY as one message, so chunks end on whole rows.
        # Each is copied to bytes at once: holding on to libpq's buffers until the chunk is
        # joined cost about 2 us a row, three times the rest of the read.
        rows = map(bytes, iter(copy.read, b""))
        take = max(1, chunk_bytes // 64)  # a first guess of the rows per chunk, then measured
        while batch := list(islice(rows, take)):
            if len(columns) == 1 and _LONE_MARKER[0] in batch:
                batch = [_LONE_MARKER[1] if r == _LONE_MARKER[0] else r for r in batch]
            chunk = _crlf(b"".join(batch))
            yield len(batch), chunk
            take = max(1, chunk_bytes * len(batch) // len(chunk))


def signal_rows(
    *,
    conn: Connection,
    viewer: Viewer,
    filters: Filters,
    columns: Sequence[str] = DEFAULT_SIGNAL_COLUMNS,
    dialect: Dialect = Dialect.rfc4180,
    limit: int = 1000,
) -> pd.DataFrame:
    """A small preview of a signal export, exactly as the file would hold it."""
    columns = check_columns(columns)
    rows = [
        r
        for chunk in stream_signal_rows(
            conn=conn, viewer=viewer, filters=filters, columns=columns, dialect=dialect, limit=limit
        )
        for r in chunk
    ]
    return pd.DataFrame(rows, columns=list(columns), dtype=object)


def signal_count(*, conn: Connection, viewer: Viewer, filters: Filters) -> int:
    """How many signal rows an export under these filters would hold (from the rollup, so a
    request over the limit is refused before anything streams). Stewards count only their own
    agency's signals: those are the rows they may read."""
    clause, params = where(filters)
    if viewer.role is Role.steward:
        clause += " and owner_agency = :own_agency"
        params["own_agency"] = viewer.agency
    sql = text(
        f"select coalesce(sum(signal_count), 0) from rollup_signal_month where {clause}"  # noqa: S608
    )
    return int(conn.execute(sql, params).scalar_one())


AGGREGATE_COLUMNS = (
    "month",
    "region_code",
    "phenomenon_code",
    "owner_agency",
    "signals",
    "amount_eur",
    "high_severity",
    "suppressed",
)


def signal_aggregate(*, conn: Connection, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Signals per month, region, phenomenon and owning agency: the aggregate export every
    exporting role may take (suppressed for viewers without row access, as on screen)."""
    clause, params = where(filters)
    sql = text(
        f"""
        select month, region_code, phenomenon_code, owner_agency,
               sum(signal_count) as signals, sum(amount_eur) as amount_eur,
               sum(high_severity_count) as high_severity
        from rollup_signal_month
        where {clause}
        group by 1, 2, 3, 4
        order by 1, 2 nulls last, 3, 4
        """  # noqa: S608 - the clause is built from column constants; values are bound
    )
    df = pd.DataFrame(conn.execute(sql, params).mappings().all(), columns=AGGREGATE_COLUMNS[:-1])
    if needs_suppression(viewer):
        return suppress(
            df,
            count="signals",
            measures=("amount_eur", "high_severity"),
            k=get_settings().suppression_k,
        )
    return df.assign(suppressed=False)
