"""Audit trail for auditors and privacy officers of an agency."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.data import read
from dashboard.i18n import fmt_date, fmt_int, t
from dashboard.shell import current_viewer, language
from warehouse.audit import ACTIONS
from warehouse.queries.audit_trail import audit_entries

lang = language()
viewer = current_viewer()
st.title(t("audit_title", lang))
st.caption(t("audit_intro", lang))

c1, c2, c3, c4 = st.columns([2, 2, 1, 1])
actions = c1.multiselect(t("action", lang), sorted(ACTIONS), key="audit_actions")
needle = c2.text_input(t("search_user", lang), key="audit_user", max_chars=100)
start = c3.date_input(t("from", lang), value=None, key="audit_from", format="DD-MM-YYYY")
end = c4.date_input(t("to", lang), value=None, key="audit_to", format="DD-MM-YYYY")

entries = read(
    viewer, audit_entries, actions=tuple(actions), viewer_contains=needle, start=start, end=end
)
st.metric(t("entries", lang), fmt_int(len(entries), lang))
st.dataframe(
    pd.DataFrame(
        {
            "#": entries["chain_seq"],
            t("time", lang): [fmt_date(v, lang) for v in entries["at"]],
            t("viewer", lang): entries["viewer"],
            t("role", lang): entries["role"],
            t("action", lang): entries["action"],
            t("details", lang): entries["details"],
        }
    ),
    hide_index=True,
    use_container_width=True,
)
