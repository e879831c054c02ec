"""Corruption and violence indicators: KPI tiles, current anomalies, monthly series, method."""

from __future__ import annotations

import streamlit as st

from dashboard.coverage_ui import coverage_strip
from dashboard.data import cached_read
from dashboard.definitions import definitions
from dashboard.i18n import t
from dashboard.indicator_ui import anomaly_table, indicator_definitions, kpi_tiles, series_section
from dashboard.shell import current_filters, current_viewer, language
from warehouse.queries.indicators import indicator_series

lang = language()
viewer = current_viewer()
filters = current_filters()
st.title(t("indicators_title", lang))
st.caption(t("indicators_intro", lang))
definitions(["signals", "anomaly", "suppression", "coverage"], lang, indicator_definitions(lang))
coverage_strip(viewer, filters, lang)

series = cached_read(viewer, indicator_series, filters=filters)
if series.empty:
    st.info(t("no_cells", lang))
else:
    kpi_tiles(series, lang)
    anomaly_table(series, viewer, lang)
    series_section(series, viewer, lang)
with st.expander(t("method_title", lang), icon=":material/functions:"):
    st.markdown(t("method_text", lang))
