"""Export the rows or the aggregate behind the views, with the sidebar's filters (audited)."""

from __future__ import annotations

import streamlit as st

from dashboard.coverage_ui import coverage_strip
from dashboard.definitions import definitions
from dashboard.export_ui import export_panel
from dashboard.i18n import t
from dashboard.shell import current_filters, current_viewer, language

lang = language()
viewer = current_viewer()
filters = current_filters()
st.title(t("export_title", lang))
st.caption(t("export_intro", lang))
definitions(["signals", "suppression", "export"], lang)
coverage_strip(viewer, filters, lang)
export_panel(viewer, filters, lang)
