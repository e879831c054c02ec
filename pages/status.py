"""Warehouse status: coverage and freshness per partner agency, as far as the viewer may see."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard.data import read, read_many
from dashboard.i18n import fmt_date, fmt_int, fmt_month, t
from dashboard.shell import current_viewer, language
from warehouse.queries import status
from warehouse.settings import get_settings

lang = language()
viewer = current_viewer()
k = get_settings().suppression_k
st.title(t("status_title", lang))
st.caption(t("status_intro", lang))

coverage, monthly, by_phenomenon, freshness = read_many(
    viewer,
    status.agency_coverage,
    status.monthly_deliveries,
    status.phenomenon_by_agency,
    status.rollup_freshness,
)
totals = read(viewer, status.totals)


def count(value: object) -> str:
    return f"< {k}" if pd.isna(value) else fmt_int(float(value), lang)  # type: ignore[arg-type]


if totals["signals"] == 0:
    st.info(t("no_data", lang))

metrics = [
    ("signals", totals["signals"]),
    ("agencies", totals["agencies"]),
    ("networks", totals["networks"]),
]
if totals["entities"] is not None:
    metrics.append(("entities", totals["entities"]))
for col, (key, value) in zip(st.columns(len(metrics)), metrics, strict=True):
    col.metric(t(key, lang), fmt_int(value or 0, lang))

name = "name_nl" if lang == "nl" else "name_en"
names = dict(zip(coverage["agency"], coverage[name], strict=True))
st.subheader(t("coverage", lang))
st.dataframe(
    pd.DataFrame(
        {
            t("agency", lang): coverage[name],
            t("signals", lang): [count(v) for v in coverage["signals"]],
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
    chart_data = monthly.dropna(subset=["signals"]).assign(partner=monthly["agency"].map(names))
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
    charts.show(chart, width="stretch")

if not by_phenomenon.empty:
    st.subheader(t("phenomenon_by_agency", lang))
    grid = by_phenomenon.assign(
        partner=by_phenomenon["agency"].map(names),
        value=[count(v) for v in by_phenomenon["signals"]],
    )
    table = grid.pivot(index=name, columns="partner", values="value").fillna("0")
    table.index.name = t("phenomenon", lang)
    st.table(table)
    if by_phenomenon["suppressed"].any():
        st.caption(t("suppressed_note", lang).format(k=k))

if viewer.sees_rows:
    latest = read(viewer, status.latest_signals)
    st.subheader(t("latest_signals", lang))
    st.table(
        pd.DataFrame(
            {
                t("source_ref", lang): latest["source_ref"],
                t("agency", lang): latest["agency"].map(names),
                t("phenomenon", lang): latest["phenomenon_code"],
                t("observed_on", lang): [fmt_date(v, lang) for v in latest["observed_on"]],
                t("handling_code", lang): latest["handling_code"],
            }
        ).set_index(t("source_ref", lang))
    )

st.subheader(t("rollups", lang))
st.dataframe(
    pd.DataFrame(
        {
            t("rollup", lang): freshness["rollup"],
            t("refreshed_at", lang): [fmt_date(v, lang) for v in freshness["refreshed_at"]],
            t("stale_from", lang): [
                fmt_month(v if pd.notna(v) else None, lang) for v in freshness["stale_from"]
            ],
        }
    ),
    hide_index=True,
    use_container_width=True,
)
