"""Alembic environment: runs on the connection handed over by warehouse.migrate."""

from alembic import context

from warehouse.models import SQLModel

config = context.config
target_metadata = SQLModel.metadata

connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `nsoc db upgrade` (warehouse.migrate)")

context.configure(connection=connection, target_metadata=target_metadata)
with context.begin_transaction():
    context.run_migrations()
