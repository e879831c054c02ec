"""The indicator view: KPI tiles, the list of current anomalies, the monthly series per region
(chart builders are pure functions of the scored series)."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard.heatmap_ui import LOCALES, names_for
from dashboard.i18n import fmt_decimal, fmt_int, fmt_month, t
from warehouse.indicators import BY_CODE, INDICATORS, anomaly_list, current_month, kpi_table
from warehouse.settings import get_settings
from warehouse.viewer import Viewer


def count_label(value: Any, lang: str) -> str:
    if value is None or pd.isna(value):
        return f"< {get_settings().suppression_k}"
    return fmt_int(float(value), lang)


def kpi_tiles(series: pd.DataFrame, lang: str, per_row: int = 5) -> None:
    kpis = kpi_table(series)
    month = current_month(series)
    rows = [kpis.iloc[i : i + per_row] for i in range(0, len(kpis), per_row)]
    for chunk in rows:
        for col, (_, row) in zip(st.columns(per_row), chunk.iterrows(), strict=False):
            ind = BY_CODE[row["indicator"]]
            change = row["change"]
            delta = None if pd.isna(change) else fmt_int(float(change), lang)
            if delta is not None and float(change) > 0:
                delta = "+" + delta
            col.metric(
                ind.name(lang),
                count_label(row["current"], lang),
                delta=delta,
                delta_color="inverse",
                help=t("kpi_help", lang).format(
                    month=fmt_month(month, lang),
                    previous=count_label(row["previous"], lang),
                    year=count_label(row["year_ago"], lang),
                    n=row["flagged_regions"],
                ),
                border=True,
            )


def anomaly_table(series: pd.DataFrame, viewer: Viewer, lang: str) -> None:
    month = current_month(series)
    st.subheader(t("anomalies_title", lang).format(month=fmt_month(month, lang)))
    found = anomaly_list(series)
    if found.empty:
        st.caption(t("no_anomalies", lang))
        return
    regions = names_for(viewer, lang)["regions"]
    st.table(
        pd.DataFrame(
            {
                t("indicator", lang): [BY_CODE[c].name(lang) for c in found["indicator"]],
                t("region", lang): found["region_code"].map(regions),
                t("count", lang): [count_label(v, lang) for v in found["count"]],
                t("expected", lang): [
                    "–" if pd.isna(v) else fmt_decimal(float(v), lang) for v in found["expected"]
                ],
                t("significance", lang): [
                    fmt_decimal(float(v), lang) for v in found["significance"]
                ],
                t("kind", lang): [t(f"kind_{k}", lang) for k in found["kind"]],
            }
        ).set_index(t("indicator", lang))
    )


def series_chart(
    series: pd.DataFrame, indicator: str, lang: str, regions: dict
) -> tuple[charts.Template, pd.DataFrame]:
    """Small multiples, one per region (`series_template`), and their rows: the indicator's
    months in the window."""
    df = series[(series["indicator"] == indicator) & series["in_window"]].copy()
    df["region"] = df["region_code"].map(regions).fillna(df["region_code"])
    df["month"] = pd.to_datetime(df["month"])
    df["count_label"] = [count_label(v, lang) for v in df["count"]]
    df["count"] = df["count"].astype("Float64").astype(float)
    df["expected"] = df["expected"].astype("Float64").astype(float)
    return series_template(lang), df


@charts.template
def series_template(lang: str) -> alt.FacetChart:
    """Small multiples, one per region: the count, the expected value (dashed) and the
    anomalies (red points)."""
    fmt = "%m-%Y" if lang == "nl" else "%Y-%m"
    x = alt.X("month:T", title=None, axis=alt.Axis(format=fmt, labelAngle=-45))
    base = alt.Chart().encode(x=x)
    tooltip = [
        alt.Tooltip("region:N", title=t("region", lang)),
        alt.Tooltip("month:T", title=t("month", lang), format=fmt),
        alt.Tooltip("count_label:N", title=t("count", lang)),
        alt.Tooltip("expected:Q", title=t("expected", lang), format=".1f"),
    ]
    line = base.mark_line(point=True).encode(
        y=alt.Y("count:Q", title=t("count", lang)), tooltip=tooltip
    )
    expected = base.mark_line(strokeDash=[4, 3], color="#888").encode(y="expected:Q")
    flagged = (
        base.transform_filter("datum.flagged")
        .mark_point(color="#d62728", size=90, filled=True)
        .encode(y="count:Q", tooltip=tooltip)
    )
    return (
        # a facet wants its data named at the top: the rows' table (charts.DATASET)
        alt.layer(line, expected, flagged, data=alt.NamedData(name=charts.DATASET))
        .properties(width=200, height=120)
        .facet(facet=alt.Facet("region:N", title=None), columns=5)
        .resolve_scale(y="independent")
        .configure(locale=LOCALES.get(lang, LOCALES["nl"]))
    )


def series_section(series: pd.DataFrame, viewer: Viewer, lang: str) -> None:
    st.subheader(t("series_title", lang))
    codes = [i.code for i in INDICATORS]
    pick = st.selectbox(
        t("indicator", lang), codes, format_func=lambda c: BY_CODE[c].name(lang), key="ind_pick"
    )
    st.caption(BY_CODE[pick].definition(lang))
    regions = names_for(viewer, lang)["regions"]
    chart, rows = series_chart(series, pick, lang, regions)
    chart.show(rows, width="content")


def indicator_definitions(lang: str) -> list[str]:
    return [f"**{i.name(lang)}**: {i.definition(lang)}" for i in INDICATORS]
