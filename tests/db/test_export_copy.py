"""The COPY path of the export writes exactly the bytes the csv module would write for the same
formatted rows: awkward text (delimiters, quotes, line breaks, backslashes, tabs, formulas,
empty strings) in both dialects, every column and single columns, in chunks of a few rows."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import make_viewer
from warehouse import migrate
from warehouse.csvfile import Dialect, Encoder
from warehouse.filters import Filters
from warehouse.queries import export_rows
from warehouse.scoped import app_url, scoped
from warehouse.settings import agencies

AWKWARD = [
    "a;b",
    "a,b",
    'q"q',
    "line\nbreak",
    "cr\rx",
    "back\\slash\\n",
    "tab\tx",
    "=1+1",
    "",
    " sp ",
    "é€\u00a0",
    "\\.",
    'x\r\n"y',
]


@pytest.fixture(scope="module")
def awkward(databases):
    from seed.reference import sync_reference

    url = databases.new("nsoc_test_export_copy")
    owner = create_engine(url)
    migrate.upgrade(owner)
    everyone = sum(1 << a.bit for a in agencies())
    with owner.begin() as conn:
        sync_reference(conn, agencies())
        conn.execute(
            text("insert into network (id, code, name) values (1, 'NW1', :name)"),
            {"name": 'Groep "De Haven";\nR\\dam'},
        )
        for i, ref in enumerate(AWKWARD, start=1):
            conn.execute(
                text(
                    """
                    insert into signal (id, owner_agency, source_ref, phenomenon_code,
                        observed_on, reported_at, municipality_code, lon, amount_eur, severity,
                        reliability, credibility, handling_code, audience_mask, network_id)
                    values (:i, 'politie', :ref, 'ML_TBML', '2024-03-05',
                        '2024-03-05 10:15:00+00', case when :i % 2 = 0 then 'GM0599' end,
                        case when :i % 3 = 0 then 4.5 end, :amount, 2, 'B', 2, 'H0', :all,
                        case when :i % 2 = 1 then 1 end)
                    """
                ),
                {"i": i, "ref": ref or f"empty-{i}", "amount": i * 1.25, "all": everyone},
            )
        # a reference value a spreadsheet would run: neutralised in every row that shows it
        conn.execute(text("update municipality set name = '=' || name where gm_code = 'GM0599'"))
        # an empty network name: a lone empty field is written as ""
        conn.execute(text("insert into network (id, code, name) values (2, 'NW2', '')"))
        conn.execute(text("update signal set network_id = 2 where id = 2"))
    yield create_engine(app_url(url))
    owner.dispose()


@pytest.mark.parametrize("dialect", list(Dialect))
@pytest.mark.parametrize(
    "columns",
    [
        tuple(export_rows.SIGNAL_COLUMNS),
        export_rows.DEFAULT_SIGNAL_COLUMNS,
        ("network_name",),  # a lone empty field
        ("source_ref",),  # a lone \. (COPY's end marker), line breaks in a lone field
        ("lon",),  # a lone NULL number
        ("observed_on",),  # a lone date, written in the transaction's date style
    ],
)
@pytest.mark.parametrize("in_id_order", [False, True])
def test_copy_bytes_equal_the_csv_module(awkward, dialect, columns, in_id_order):
    viewer = make_viewer("politie")
    kwargs = {"viewer": viewer, "filters": Filters(), "columns": columns, "dialect": dialect}
    with scoped(viewer, engine=awkward) as conn:
        enc = Encoder(dialect)
        expected = b"".join(
            enc.rows(batch)
            for batch in export_rows.stream_signal_rows(conn=conn, limit=100, **kwargs)
        )
    with scoped(viewer, engine=awkward) as conn:
        parts = list(
            export_rows.stream_signal_csv(
                conn=conn, limit=100, chunk_bytes=64, in_id_order=in_id_order, **kwargs
            )
        )
    assert b"".join(chunk for _, chunk in parts) == expected
    assert sum(rows for rows, _ in parts) == len(AWKWARD)
    assert len(parts) > 1  # chunks of whole rows, each counted


def test_copy_respects_the_limit(awkward):
    viewer = make_viewer("politie")
    with scoped(viewer, engine=awkward) as conn:
        parts = list(
            export_rows.stream_signal_csv(conn=conn, viewer=viewer, filters=Filters(), limit=4)
        )
    assert sum(rows for rows, _ in parts) == 4
