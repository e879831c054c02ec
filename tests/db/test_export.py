"""Exports: exact bytes in both dialects, parsed back, neutralised cells, limits per role, and
the audit entry whose hash is the file's."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import make_viewer
from warehouse import export, migrate, rollups
from warehouse.csvfile import BOM, Dialect, frame_csv, reader
from warehouse.export import ExportRefused, ExportRequest, ExportRun
from warehouse.filters import Filters
from warehouse.queries import export_rows
from warehouse.scoped import app_url, scoped
from warehouse.settings import agencies, get_settings

ALL = sum(1 << a.bit for a in agencies())
POLITIE_ONLY = 1 << 0
COLUMNS = (
    "source_ref",
    "owner_agency",
    "observed_on",
    "reported_at",
    "lon",
    "amount_eur",
    "severity",
    "network_name",
)


@pytest.fixture(scope="module")
def tiny(databases):
    """A fresh warehouse with three hand-made signals whose text a spreadsheet would run."""
    from seed.reference import sync_reference

    url = databases.new("nsoc_test_export")
    owner = create_engine(url)
    migrate.upgrade(owner)
    with owner.begin() as conn:
        sync_reference(conn, agencies())
        conn.execute(
            text(
                "insert into network (id, code, name) values "
                """(1, 'NW1', 'Groep "De Haven", R''dam'), (2, 'NW2', '=cmd|'' /C calc''!A0')"""
            )
        )
        conn.execute(
            text(
                """
                insert into signal (id, owner_agency, source_ref, phenomenon_code, observed_on,
                    reported_at, municipality_code, lon, amount_eur, severity, reliability,
                    credibility, handling_code, audience_mask, network_id)
                values
                (1, 'politie', '=HYPERLINK("http://x";"klik")', 'DRG_COCAINE_IMPORT',
                 '2024-03-05', '2024-03-05 10:15:00+00', 'GM0599', 4.4795, 1234.50, 4, 'B', 2,
                 'H0', :all, 1),
                (2, 'douane', '-DOU-2', 'ML_TBML', '2024-03-20', '2024-03-21 23:30:00+00',
                 null, -0.5, null, 2, 'A', 1, 'H1', :all, 2),
                (3, 'politie', 'POL-3', 'ML_TBML', '2024-03-21', '2024-03-22 08:00:00+00',
                 'GM0599', null, 10.00, 1, 'C', 3, 'H3', :politie, null)
                """
            ),
            {"all": ALL, "politie": POLITIE_ONLY},
        )
        rollups.refresh_all(conn)
    engine = create_engine(app_url(url))
    yield engine
    engine.dispose()
    owner.dispose()


def _export(engine, viewer, **kw) -> tuple[bytes, ExportRun]:
    request = ExportRequest(
        source=kw.pop("source", export.SIGNALS),
        filters=kw.pop("filters", Filters()),
        columns=kw.pop("columns", COLUMNS),
        dialect=kw.pop("dialect", Dialect.rfc4180),
        reason=kw.pop("reason", "zaak Haven"),
        **kw,
    )
    run = ExportRun(request, viewer, engine=engine)
    return b"".join(run), run


RFC_EXPECTED = (
    b"source_ref,owner_agency,observed_on,reported_at,lon,amount_eur,severity,network_name\r\n"
    b'"\'=HYPERLINK(""http://x"";""klik"")",politie,2024-03-05,2024-03-05T10:15:00+00:00,'
    b'4.4795,1234.50,4,"Groep ""De Haven"", R\'dam"\r\n'
    b"'-DOU-2,douane,2024-03-20,2024-03-21T23:30:00+00:00,-0.5,,2,'=cmd|' /C calc'!A0\r\n"
)
EXCEL_EXPECTED = BOM + (
    b"source_ref;owner_agency;observed_on;reported_at;lon;amount_eur;severity;network_name\r\n"
    b'"\'=HYPERLINK(""http://x"";""klik"")";politie;05-03-2024;05-03-2024 11:15:00;'
    b'4,4795;1234,50;4;"Groep ""De Haven"", R\'dam"\r\n'
    b"'-DOU-2;douane;20-03-2024;22-03-2024 00:30:00;-0,5;;2;'=cmd|' /C calc'!A0\r\n"
)


def test_rfc4180_bytes_exactly(tiny):
    data, run = _export(tiny, make_viewer("douane"))
    assert data == RFC_EXPECTED
    assert run.progress.rows == 2 and run.progress.status == "sent"


def test_excel_nl_bytes_exactly(tiny):
    data, _ = _export(tiny, make_viewer("douane"), dialect=Dialect.excel_nl)
    assert data.startswith(BOM)
    assert data == EXCEL_EXPECTED


@pytest.mark.parametrize("dialect", list(Dialect))
def test_export_parses_back_to_the_query_result(tiny, dialect):
    viewer = make_viewer("politie")
    data, _ = _export(tiny, viewer, dialect=dialect, columns=tuple(export_rows.SIGNAL_COLUMNS))
    parsed = reader(data, dialect)
    with scoped(viewer, engine=tiny) as conn:
        expected = export_rows.signal_rows(
            conn=conn,
            viewer=viewer,
            filters=Filters(),
            columns=tuple(export_rows.SIGNAL_COLUMNS),
            dialect=dialect,
        )
    assert parsed[0] == list(export_rows.SIGNAL_COLUMNS)
    rows = [["" if v is None else str(v) for v in r] for r in expected.itertuples(index=False)]
    assert parsed[1:] == rows
    assert len(rows) == 3  # the politie-only signal is theirs to see


def test_sql_and_python_formatting_agree(tiny):
    """The streamed rows (formatted by PostgreSQL) equal the same rows written by the frame
    writer from typed values (formatted in Python)."""
    import pandas as pd

    viewer = make_viewer("politie")
    cols = list(export_rows.SIGNAL_COLUMNS)
    select = ", ".join(f"{c.expr} as {name}" for name, c in export_rows.SIGNAL_COLUMNS.items())
    with scoped(viewer, engine=tiny) as conn:
        typed = pd.DataFrame(
            conn.execute(
                text(
                    f"select {select} from signal as s left join phenomenon as p on "
                    "p.code = s.phenomenon_code left join municipality as m on "
                    "m.gm_code = s.municipality_code left join network as n on n.id = s.network_id"
                    " order by s.id"
                )
            ).all(),
            columns=cols,
        ).astype(object)
    for dialect in Dialect:
        streamed, _ = _export(tiny, viewer, dialect=dialect, columns=tuple(cols))
        assert streamed == frame_csv(typed, cols, dialect)


def test_neutralised_cells_and_numbers_that_stay_numbers(tiny):
    data, _ = _export(tiny, make_viewer("douane"), dialect=Dialect.excel_nl)
    parsed = reader(data, Dialect.excel_nl)
    cells = [c for row in parsed[1:] for c in row]
    texts = [c for c in cells if c and c[0] in "=+-@\t\r"]
    assert texts == ["-0,5"], texts  # the only leading minus left is a real negative number
    assert parsed[1][0] == '\'=HYPERLINK("http://x";"klik")'
    assert parsed[2][-1] == "'=cmd|' /C calc'!A0"


def test_audit_entry_holds_the_files_hash(tiny):
    viewer = make_viewer("douane", subject="analist-hash")
    data, run = _export(tiny, viewer, reason="levering zaak 12", case_number="ZK-12")
    entry = _last_export(tiny, run.request.export_id)
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert entry["rows"] == 2 and entry["status"] == "complete"
    assert entry["reason"] == "levering zaak 12" and entry["case_number"] == "ZK-12"
    assert entry["columns"] == list(COLUMNS) and entry["dialect"] == "rfc4180"
    assert entry["file_name"] == run.request.file_name()
    assert run.request.export_id in entry["file_name"]


def _last_export(engine, export_id: str) -> dict:
    """The audit entry of one export, read as an auditor of the viewer's agency."""
    auditor = make_viewer("douane", "auditor")
    with scoped(auditor, engine=engine) as conn:
        rows = conn.execute(
            text(
                "select details::text from audit_log where action = 'export' "
                "and details->>'export_id' = :id order by chain_seq"
            ),
            {"id": export_id},
        ).all()
    assert rows, "no audit entry"
    return json.loads(rows[-1][0])


def test_an_aborted_download_is_audited(tiny, monkeypatch):
    monkeypatch.setattr(export, "CHUNK_BYTES", 1)
    viewer = make_viewer("douane")
    request = ExportRequest(
        source=export.SIGNALS,
        filters=Filters(),
        columns=COLUMNS,
        dialect=Dialect.rfc4180,
        reason="afgebroken",
    )
    chunks = iter(ExportRun(request, viewer, engine=tiny))
    next(chunks)  # the header, then the client goes away
    chunks.close()  # type: ignore[attr-defined]
    entry = _last_export(tiny, request.export_id)
    assert entry["status"] == "aborted" and "sha256" not in entry


def test_only_a_large_share_of_the_rows_is_read_in_id_order(tiny, monkeypatch):
    """A plan choice, not a result: an export of a large share of what the viewer sees reads
    the primary key in order; a narrow one lets PostgreSQL pick its index and sort."""
    viewer = make_viewer("politie")

    def run(**filters) -> ExportRun:
        request = ExportRequest(export.SIGNALS, Filters(**filters), COLUMNS, Dialect.rfc4180, "x")
        return ExportRun(request, viewer, engine=tiny)

    whole, third = run(), run(phenomena=("DRG_COCAINE_IMPORT",))
    assert (whole.expected_rows, whole.in_id_order) == (3, True)
    assert (third.expected_rows, third.in_id_order) == (1, True)
    monkeypatch.setattr(export, "IN_ID_ORDER_SHARE", 0.5)
    assert not run(phenomena=("DRG_COCAINE_IMPORT",)).in_id_order
    assert run().in_id_order


def test_reason_is_required(tiny):
    with pytest.raises(ExportRefused, match="reason"):
        _export(tiny, make_viewer("douane"), reason="  ")


def test_managers_export_aggregates_only_suppressed(tiny):
    manager = make_viewer("douane", "manager")
    with pytest.raises(ExportRefused, match="aggregates only"):
        _export(tiny, manager)
    data, _ = _export(
        tiny,
        manager,
        source="export_rows.signal_aggregate",
        columns=("month", "phenomenon_code", "signals", "amount_eur"),
    )
    k = get_settings().suppression_k
    assert data == (
        b"month,phenomenon_code,signals,amount_eur\r\n"
        + f"2024-03-01,DRG_COCAINE_IMPORT,< {k},< {k}\r\n".encode()
        + f"2024-03-01,ML_TBML,< {k},< {k}\r\n".encode()
    )


def test_row_limit_per_role(tiny, monkeypatch):
    monkeypatch.setenv("NSOC_EXPORT_MAX_ROWS_ANALYST", "1")
    get_settings.cache_clear()
    try:
        with pytest.raises(ExportRefused, match="limit"):
            _export(tiny, make_viewer("douane"))
    finally:
        get_settings.cache_clear()


def test_stewards_export_their_own_rows(tiny):
    data, _ = _export(tiny, make_viewer("douane", "steward"), columns=("source_ref",))
    assert data == b"source_ref\r\n'-DOU-2\r\n"


def test_any_query_function_is_an_aggregate_source(tiny):
    data, _ = _export(
        tiny,
        make_viewer("douane"),
        source="coverage.coverage",
        columns=("agency", "signals"),
        filters=Filters(agencies=("douane",)),
    )
    assert reader(data, Dialect.rfc4180)[1:3] == [["politie", "0"], ["om", "0"]]
    for bad in ("os.system", "coverage._frame", "export_rows.SIGNAL_COLUMNS", "x.y.z"):
        with pytest.raises(ExportRefused, match="unknown export source"):
            _export(tiny, make_viewer("douane"), source=bad, columns=("a",))


def test_write_to_a_file(tiny):
    out = io.BytesIO()
    progress = export.write(
        ExportRequest(export.SIGNALS, Filters(), ("source_ref",), Dialect.rfc4180, "x"),
        make_viewer("douane"),
        out,
        engine=tiny,
    )
    assert progress.rows == 2 and progress.hexdigest == hashlib.sha256(out.getvalue()).hexdigest()
