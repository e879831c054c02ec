"""Phenomenon heatmaps: phenomenon x region or month, four measures, compare mode, drill-down."""

from __future__ import annotations

import streamlit as st

from dashboard.coverage_ui import coverage_strip
from dashboard.definitions import definitions
from dashboard.heatmap_ui import drilldown_section, heatmap_section
from dashboard.i18n import t
from dashboard.shell import current_filters, current_viewer, language
from warehouse.queries.heatmaps import METRICS

lang = language()
viewer = current_viewer()
filters = current_filters()
st.title(t("heatmaps_title", lang))
st.caption(t("heatmaps_intro", lang))
definitions(
    ["signals", "amount", "entities", "agencies_contributing", "change", "suppression", "coverage"],
    lang,
)
coverage_strip(viewer, filters, lang)

c1, c2, c3 = st.columns([2, 2, 2])
axis = (
    c1.segmented_control(
        t("hm_view", lang),
        ["region", "month"],
        default="region",
        format_func=lambda a: t("hm_by_region" if a == "region" else "hm_by_month", lang),
        key="hm_axis",
    )
    or "region"
)
metric = c2.selectbox(
    t("metric", lang), METRICS, format_func=lambda m: t(f"metric_{m}", lang), key="hm_metric"
)
compare = c3.toggle(t("compare", lang), key="hm_compare")

cell = heatmap_section(viewer, filters, lang, axis=axis, metric=metric, compare=compare)
drilldown_section(viewer, filters, lang, axis=axis, cell=cell)
