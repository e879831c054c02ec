"""Alembic migrations, driven from code so that no alembic.ini has to be found on disk."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


class UnknownRevision(ValueError):
    """The warehouse's schema is at a revision this code does not have: newer code migrated it."""


def _known(conn: Connection) -> None:
    """Fail with a clear message, before Alembic does with its own, when the schema is at a
    revision that is not among this code's migrations."""
    current = MigrationContext.configure(conn).get_current_revision()
    script = ScriptDirectory.from_config(_config())
    if current is not None and current not in {r.revision for r in script.walk_revisions()}:
        raise UnknownRevision(
            f"the warehouse's schema is at revision {current}, which this version of the code "
            f"does not know (its newest is {script.get_current_head()}): newer code migrated "
            "it. Run that code against this warehouse, or point this one at another."
        )


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (default: the newest)."""
    cfg = _config()
    with engine.begin() as conn:
        _known(conn)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    cfg = _config()
    with engine.begin() as conn:
        _known(conn)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()
