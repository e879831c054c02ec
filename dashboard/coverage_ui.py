"""The coverage strip every view shows: which agencies contributed to what is on screen and how
fresh each agency's data is."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.data import cached_read
from dashboard.i18n import fmt_date, fmt_int, t
from warehouse.filters import Filters
from warehouse.queries.coverage import coverage
from warehouse.settings import get_settings
from warehouse.viewer import Viewer


def coverage_strip(viewer: Viewer, filters: Filters, lang: str) -> pd.DataFrame:
    df = cached_read(viewer, coverage, filters=filters)
    name = "name_nl" if lang == "nl" else "name_en"
    k = get_settings().suppression_k
    parts, silent = [], []
    # the few rows as lists: a frame's mask or column takes cost more than the page's text
    for agency, signals, latest in zip(
        df[name].tolist(), df["signals"].tolist(), df["latest_overall"].tolist(), strict=True
    ):
        count = f"< {k}" if pd.isna(signals) else fmt_int(float(signals), lang)
        until = None if pd.isna(latest) else latest
        parts.append(f"**{agency}** {count} · {t('data_until', lang)} {fmt_date(until, lang)}")
        if not pd.isna(signals) and signals == 0:
            silent.append(agency)
    with st.expander(t("coverage_title", lang), expanded=False, icon=":material/fact_check:"):
        st.markdown("  \n".join(parts))
        st.caption(t("coverage_note", lang))
    if silent:
        st.caption("⚠ " + t("no_contribution", lang).format(agencies=", ".join(silent)))
    return df
