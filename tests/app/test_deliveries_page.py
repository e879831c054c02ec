"""The deliveries page: stewards only, their own agency's batches (uploads themselves are tested
in tests/ingest)."""

from __future__ import annotations

from sqlalchemy import text

from dashboard.app import pages_for
from tests.app.conftest import claims, new_app
from tests.conftest import make_viewer
from warehouse.scoped import scoped
from warehouse.viewer import Role


def test_steward_starts_on_their_agencys_deliveries(app_env):
    at = new_app(claims("douane", "gegevensbeheerder")).run()
    assert not at.exception
    assert at.title[0].value == "Aanleveringen"
    # the seed delivered through the same path, so the agency's batches are listed
    assert len(at.dataframe[0].value) >= 1


def test_only_stewards_get_the_page():
    for role in Role:
        names = [p.name for p in pages_for(role)]
        assert ("deliveries" in names) == (role == Role.steward), role


def test_stewards_read_only_their_own_batches(app_engine):
    with scoped(make_viewer("douane", "steward"), engine=app_engine) as conn:
        agencies = set(conn.execute(text("select agency from delivery_batch")).scalars())
    assert agencies == {"douane"}
    with scoped(make_viewer("douane", "analyst"), engine=app_engine) as conn:
        assert conn.scalar(text("select count(*) from delivery_batch")) == 0
