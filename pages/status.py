"""Warehouse status: coverage and freshness per partner agency."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.data import read, read_many
from dashboard.i18n import fmt_date, fmt_int, fmt_month, t
from dashboard.shell import language
from warehouse.db import DatabaseUnavailable
from warehouse.queries import status

lang = language()
st.title(t("status_title", lang))
st.caption(t("status_intro", lang))

try:
    coverage, monthly, freshness = read_many(
        status.agency_coverage, status.monthly_deliveries, status.rollup_freshness
    )
    counts = read(status.reference_counts)
except DatabaseUnavailable:
    st.error(t("db_unavailable", lang))
    st.stop()

if counts["signal"] == 0:
    st.info(t("no_data", lang))

cols = st.columns(4)
for col, key, table in zip(
    cols,
    ("signals", "agencies", "entities", "networks"),
    ("signal", "agency", "entity", "network"),
    strict=True,
):
    col.metric(t(key, lang), fmt_int(counts[table], lang))

st.subheader(t("coverage", lang))
name = "name_nl" if lang == "nl" else "name_en"
st.dataframe(
    pd.DataFrame(
        {
            t("agency", lang): coverage[name],
            t("signals", lang): [fmt_int(v, lang) for v in coverage["signals"]],
            t("first_month", lang): [fmt_month(v, lang) for v in coverage["first_month"]],
            t("last_month", lang): [fmt_month(v, lang) for v in coverage["last_month"]],
            t("last_delivery", lang): [fmt_date(v, lang) for v in coverage["last_reported_at"]],
        }
    ),
    hide_index=True,
    use_container_width=True,
)

if not monthly.empty:
    st.subheader(t("deliveries_chart", lang))
    names = dict(zip(coverage["agency"], coverage[name], strict=True))
    chart_data = monthly.assign(partner=monthly["agency"].map(names))
    chart = (
        alt.Chart(chart_data)
        .mark_bar()
        .encode(
            x=alt.X("month:T", title=t("month", lang), timeUnit="yearmonth"),
            y=alt.Y("signals:Q", title=t("signals", lang), stack=True),
            color=alt.Color("partner:N", title=t("agency", lang)),
            tooltip=[
                alt.Tooltip("partner:N", title=t("agency", lang)),
                alt.Tooltip("month:T", title=t("month", lang), format="%m-%Y"),
                alt.Tooltip("signals:Q", title=t("signals", lang), format=","),
            ],
        )
        .properties(height=320)
    )
    st.altair_chart(chart, use_container_width=True)

st.subheader(t("rollups", lang))
st.dataframe(
    pd.DataFrame(
        {
            t("rollup", lang): freshness["rollup"],
            t("refreshed_at", lang): [fmt_date(v, lang) for v in freshness["refreshed_at"]],
            t("rows", lang): [fmt_int(v, lang) for v in freshness["rollup_rows"]],
        }
    ),
    hide_index=True,
    use_container_width=True,
)
