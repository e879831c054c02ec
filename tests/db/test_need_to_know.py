"""Need-to-know is enforced by PostgreSQL itself: the app role sees a row only when the viewer's
agency is in its audience; managers see no rows; unset or forged settings see nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.conftest import make_viewer
from warehouse.rollups import ROLLUPS
from warehouse.scoped import WORK_MEM, scoped
from warehouse.settings import agencies

AGENCIES = [a.code for a in agencies()]
ROW_TABLES = ("signal", "signal_entity", "intervention")
AUDIENCE_TABLES = (
    *ROW_TABLES,
    "rollup_signal_month",
    "rollup_node_month",
    "rollup_entity_set_month",
)
# Rollups kept per viewing agency (their grain begins with the viewer's mask): row-level
# security is an equality on the viewer's own mask.
VIEWER_TABLES = (
    *(name for name, grain in ROLLUPS.items() if grain[0] == "viewer_mask"),
    "rollup_entity_count_month",  # 0021, recounted after the rollups' refresh
)


def _count(conn, table: str, where: str = "true", **params) -> int:
    return int(conn.scalar(text(f"select count(*) from {table} where {where}"), params))


@pytest.mark.parametrize("agency", AGENCIES)
def test_analyst_sees_exactly_the_rows_of_their_audience(warehouse, app_engine, agency):
    viewer = make_viewer(agency)
    with warehouse.engine.connect() as owner, scoped(viewer, engine=app_engine) as conn:
        for table in AUDIENCE_TABLES:
            expected = _count(owner, table, "audience_mask & :m <> 0", m=viewer.mask)
            assert _count(conn, table) == expected, table
            assert _count(conn, table, "audience_mask & :m = 0", m=viewer.mask) == 0, table
        assert _count(conn, "signal") < _count(owner, "signal")


@pytest.mark.parametrize("table", VIEWER_TABLES)
@pytest.mark.parametrize("agency", AGENCIES)
@pytest.mark.parametrize("role", ["analyst", "manager"])
def test_viewer_rollup_shows_an_agency_its_own_rows_only(
    warehouse, app_engine, table, agency, role
):
    viewer = make_viewer(agency, role)
    with warehouse.engine.connect() as owner, scoped(viewer, engine=app_engine) as conn:
        own = _count(owner, table, "viewer_mask = :m", m=viewer.mask)
        assert own > 0
        assert _count(conn, table) == own
        assert _count(conn, table, "viewer_mask <> :m", m=viewer.mask) == 0
        assert _count(owner, table) > own  # other agencies' rows exist


def test_entities_visible_only_through_visible_links(warehouse, app_engine):
    restricted = warehouse.manifest["restricted_facilitators"][0]
    owner_agency = restricted["audience"][0]
    other = next(a for a in AGENCIES if a != owner_agency)
    with scoped(make_viewer(owner_agency), engine=app_engine) as conn:
        assert _count(conn, "entity", "id = :e", e=restricted["entity_id"]) == 1
    with scoped(make_viewer(other), engine=app_engine) as conn:
        assert _count(conn, "entity", "id = :e", e=restricted["entity_id"]) == 0
        assert _count(conn, "signal_entity", "entity_id = :e", e=restricted["entity_id"]) == 0


@pytest.mark.parametrize("role", ["manager", "auditor", "admin"])
def test_roles_without_row_access_see_no_rows_but_aggregates(app_engine, role):
    with scoped(make_viewer("politie", role), engine=app_engine) as conn:
        for table in (*ROW_TABLES, "entity"):
            assert _count(conn, table) == 0, table
        assert _count(conn, "rollup_signal_month") > 0


def test_steward_sees_only_their_own_agencys_signals(warehouse, app_engine):
    with scoped(make_viewer("douane", "steward"), engine=app_engine) as conn:
        owners = conn.execute(text("select distinct owner_agency from signal")).scalars().all()
    assert owners == ["douane"]


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"nsoc.agency_bit": "3"},  # no role
        {"nsoc.agency_bit": "99", "nsoc.role": "analyst"},
        {"nsoc.agency_bit": "1; drop table signal", "nsoc.role": "analyst"},
        {"nsoc.agency_bit": "2", "nsoc.role": "superuser"},
    ],
)
def test_unset_or_malformed_settings_see_nothing(app_engine, settings):
    with app_engine.connect() as conn, conn.begin():
        for name, value in settings.items():
            conn.execute(text("select set_config(:n, :v, true)"), {"n": name, "v": value})
        for table in (*AUDIENCE_TABLES, *VIEWER_TABLES, "entity"):
            assert _count(conn, table) == 0, table


def test_view_transactions_sort_in_memory_without_jit(app_engine):
    with scoped(make_viewer("fiod"), engine=app_engine) as conn:
        assert conn.scalar(text("show jit")) == "off"
        assert conn.scalar(text("show work_mem")) == WORK_MEM


def test_settings_do_not_outlive_the_transaction(app_engine):
    with scoped(make_viewer("fiod"), engine=app_engine) as conn:
        assert _count(conn, "signal") > 0
    with app_engine.connect() as conn, conn.begin():
        assert _count(conn, "signal") == 0


@pytest.mark.parametrize(
    "statement",
    [
        "update signal set severity = 1",
        "delete from signal_entity",
        "insert into agency (code, bit, name_nl, name_en) values ('x', 60, 'x', 'x')",
        "truncate rollup_signal_month",
        "create table leak as select * from signal",
    ],
)
def test_app_role_cannot_change_data(app_engine, statement):
    with (
        pytest.raises(DBAPIError),
        scoped(make_viewer("politie"), engine=app_engine, write=True) as conn,
    ):
        conn.execute(text(statement))


def test_app_role_owns_nothing(warehouse):
    with warehouse.engine.connect() as conn:
        owned = conn.scalar(
            text("""
            select count(*) from pg_class c join pg_roles r on r.oid = c.relowner
            where r.rolname = 'nsoc_app'""")
        )
    assert owned == 0


def test_rls_is_enabled_and_forced_on_every_audience_table(warehouse):
    with warehouse.engine.connect() as conn:
        rows = dict(
            conn.execute(
                text("""
            select relname, relrowsecurity and relforcerowsecurity from pg_class
            where relname = any(:t)"""),
                {"t": [*AUDIENCE_TABLES, *VIEWER_TABLES, "entity", "audit_log"]},
            ).all()
        )
    assert rows and all(rows.values()), rows


def test_the_app_cannot_read_the_network_slots(app_engine):
    # facilitator_network_slot (0022) says which networks each facilitator serves, for every
    # agency's signals: the warehouse's own bookkeeping. The app reads only the masks in the
    # per-agency rollups, which row-level security keeps to the viewer's own rows.
    from sqlalchemy.exc import ProgrammingError

    viewer = make_viewer("politie")
    with (
        pytest.raises(ProgrammingError, match="permission denied"),
        scoped(viewer, engine=app_engine) as conn,
    ):
        conn.execute(text("select count(*) from facilitator_network_slot"))
