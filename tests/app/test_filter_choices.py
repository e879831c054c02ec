"""The sidebar's choices as plain values per agency, role and language, and the coverage strip
that names the agencies contributing nothing under the filters."""

from __future__ import annotations

from dashboard import filters_ui
from tests.app.conftest import claims, open_page
from tests.conftest import make_viewer
from warehouse.queries.reference import filter_options
from warehouse.scoped import scoped


def test_choices_are_the_options_in_the_readers_language(app_env):
    viewer = make_viewer("politie")
    with scoped(viewer) as conn:
        opts = filter_options(conn=conn, viewer=viewer)
    nl, en = filters_ui.choices(viewer, "nl"), filters_ui.choices(viewer, "en")
    assert list(nl.months) == opts.months()
    assert list(nl.regions) == opts.regions["code"].tolist()  # in the options' order
    assert list(nl.phenomena.values()) == opts.phenomena["name_nl"].tolist()
    assert list(en.phenomena.values()) == opts.phenomena["name_en"].tolist()
    assert nl.phenomena != en.phenomena and nl.regions == en.regions
    munis = opts.municipalities
    assert nl.municipality_regions == dict(zip(munis["gm_code"], munis["region_code"], strict=True))
    assert set(nl.municipality_regions.values()) <= set(nl.regions)


def test_the_coverage_strip_names_the_agencies_without_signals(app_env):
    at = open_page(claims("politie"), "heatmaps", partners="politie")
    assert not at.exception, at.exception
    [warning] = [c.value for c in at.caption if c.value.startswith("⚠")]
    # every agency but the police contributes nothing when only its signals are chosen
    assert "Politie" not in warning and "Douane" in warning and "FIOD" in warning
    everything = open_page(claims("politie"), "heatmaps")
    assert not [c.value for c in everything.caption if c.value.startswith("⚠")]
