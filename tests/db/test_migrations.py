"""Migrations go up and down cleanly, and the SQLModel classes match the migrated tables."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect

from warehouse import migrate
from warehouse.models import SQLModel


def test_upgrade_downgrade_upgrade(databases):
    engine = create_engine(databases.new())
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    tables = set(inspect(engine).get_table_names())
    assert {"signal", "signal_entity", "entity", "rollup_signal_month", "audit_log"} <= tables

    migrate.downgrade(engine, "base")
    assert migrate.current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}

    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    engine.dispose()


def test_models_match_migrated_tables(warehouse):
    inspector = inspect(warehouse.engine)
    for table in SQLModel.metadata.sorted_tables:
        db_columns = {c["name"]: c for c in inspector.get_columns(table.name)}
        model_columns = {c.name: c for c in table.columns}
        assert set(model_columns) == set(db_columns), table.name
        for name, column in model_columns.items():
            if column.primary_key:
                continue
            assert column.nullable == db_columns[name]["nullable"], f"{table.name}.{name}"
