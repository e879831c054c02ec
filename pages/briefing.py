"""The management briefing as PDF for a period and regions (audited)."""

from __future__ import annotations

import streamlit as st

from dashboard.briefing_ui import briefing_panel
from dashboard.coverage_ui import coverage_strip
from dashboard.definitions import definitions
from dashboard.i18n import t
from dashboard.shell import current_filters, current_viewer, language

lang = language()
viewer = current_viewer()
filters = current_filters()
st.title(t("briefing_title", lang))
st.caption(t("briefing_intro", lang))
definitions(["signals", "suppression", "coverage"], lang)
coverage_strip(viewer, filters, lang)
briefing_panel(viewer, filters, lang)
