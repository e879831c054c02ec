"""The briefing form: period (quarters the data covers), recipient, regions from the filters."""

from __future__ import annotations

import dataclasses

import streamlit as st

from dashboard.briefing import make_briefing
from dashboard.filters_ui import options
from dashboard.i18n import t
from warehouse.filters import Filters
from warehouse.period import Period
from warehouse.viewer import Role, Viewer


def quarters(viewer: Viewer) -> list[str]:
    """Quarters with data, newest first."""
    seen = dict.fromkeys(f"{m.year}-Q{(m.month - 1) // 3 + 1}" for m in options(viewer).months())
    return list(reversed(seen))


def briefing_panel(viewer: Viewer, filters: Filters, lang: str) -> None:
    periods = quarters(viewer)
    if not periods:
        st.info(t("no_data", lang))
        return
    with st.form("briefing_form"):
        period = st.selectbox(t("briefing_period", lang), periods, key="briefing_period")
        recipients = [Role.manager] if viewer.role is Role.manager else [Role.manager, viewer.role]
        recipient = st.radio(
            t("briefing_recipient", lang),
            [str(r) for r in recipients],
            format_func=lambda r: t("role_" + r, lang),
            horizontal=True,
        )
        st.caption(f"{t('regions', lang)}: {', '.join(filters.regions) or t('all', lang)}")
        submitted = st.form_submit_button(t("briefing_make", lang), type="primary")
    if not submitted:
        return
    # A briefing for managers is made as a manager: aggregates only, suppressed.
    as_viewer = dataclasses.replace(viewer, role=Role(recipient))
    with st.spinner(t("briefing_make", lang)):
        result = make_briefing(as_viewer, Period.parse(period), regions=filters.regions, lang=lang)
    st.download_button(
        f"{t('briefing_title', lang)} {period} (PDF)",
        result.pdf,
        file_name=f"nsoc-briefing-{period}.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        type="primary",
    )
