"""The seed's reader processes import only what reading and validating need: a spawned reader
that imported SQLAlchemy and SQLModel as well took a second to start instead of half."""

from __future__ import annotations

import subprocess
import sys

from warehouse.ingest import batch, upsert


def test_reading_and_validating_import_no_database_library():
    code = (
        "import sys, warehouse.ingest.prepare; "
        "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'psycopg', 'warehouse.models') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_batch_numbers_the_identifiers_the_writer_resolves():
    assert [column for _, column, _ in upsert._IDENTIFIED] == list(batch.IDENTIFIER_COLUMNS)
