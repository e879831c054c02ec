"""For every query function: an analyst of one agency never receives anything of a row whose
audience excludes that agency, whatever the filters.

The proof is differential: the same function, for the same viewer, gives the same result on the
full warehouse and on a copy from which every row that agency may not see has been deleted."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

import warehouse.queries
from tests.conftest import make_viewer, seeded
from tests.db.query_catalogue import CATALOGUE, HOSTILE_FILTERS, VOLATILE
from warehouse.rollups import ROLLUPS
from warehouse.scoped import app_url, scoped

AGENCIES = ("fiod", "defensie")
AUDIENCE_TABLES = (
    "signal_entity",
    "intervention",
    "signal",
    "rollup_signal_month",
    "rollup_node_month",
    "rollup_facilitator_month",
    "rollup_h3_month",
    "rollup_entity_month",
    "rollup_entity_set_month",
)
# Rollups kept per viewing agency (their grain begins with the viewer's mask): the copy
# keeps only the agency's own rows.
VIEWER_TABLES = (
    *(name for name, grain in ROLLUPS.items() if grain[0] == "viewer_mask"),
    "rollup_entity_count_month",  # 0021, recounted after the rollups' refresh
)


def _query_functions() -> set[str]:
    found = set()
    for info in pkgutil.iter_modules(warehouse.queries.__path__):
        module = importlib.import_module(f"warehouse.queries.{info.name}")
        for name, obj in inspect.getmembers(module, inspect.isfunction):
            params = inspect.signature(obj).parameters
            if obj.__module__ == module.__name__ and not name.startswith("_") and "conn" in params:
                found.add(f"{info.name}.{name}")
    return found


def test_every_query_function_is_in_the_catalogue():
    assert _query_functions() <= set(CATALOGUE), _query_functions() - set(CATALOGUE)


@pytest.fixture(scope="module", params=AGENCIES)
def restricted(request, databases):
    """(agency, app engine on a copy holding only what that agency may see)."""
    agency = request.param
    url = databases.new(f"nsoc_test_only_{agency}")
    owner = seeded(url)
    mask = make_viewer(agency).mask
    with owner.begin() as conn:
        for table in AUDIENCE_TABLES:
            conn.execute(text(f"delete from {table} where audience_mask & :m = 0"), {"m": mask})
        for table in VIEWER_TABLES:
            conn.execute(text(f"delete from {table} where viewer_mask <> :m"), {"m": mask})
    owner.dispose()
    engine = create_engine(app_url(url))
    yield agency, engine
    engine.dispose()


def _same(a, b) -> None:
    if isinstance(a, pd.DataFrame):
        keep = [c for c in a.columns if c not in VOLATILE]
        pd.testing.assert_frame_equal(
            a[keep].reset_index(drop=True), b[keep].reset_index(drop=True)
        )
    elif isinstance(a, tuple):
        for x, y in zip(a, b, strict=True):
            _same(x, y)
    elif hasattr(a, "__dataclass_fields__"):
        for field in a.__dataclass_fields__:
            _same(getattr(a, field), getattr(b, field))
    else:
        assert a == b


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_query_returns_nothing_the_agency_may_not_see(name, restricted, app_engine):
    agency, only_visible = restricted
    func, kwargs = CATALOGUE[name]
    for role in ("analyst", "manager"):
        viewer = make_viewer(agency, role)
        for filters in HOSTILE_FILTERS:
            with (
                scoped(viewer, engine=app_engine) as full,
                scoped(viewer, engine=only_visible) as part,
            ):
                _same(
                    func(conn=full, viewer=viewer, **kwargs(filters)),
                    func(conn=part, viewer=viewer, **kwargs(filters)),
                )
