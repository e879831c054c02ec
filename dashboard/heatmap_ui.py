"""The phenomenon heatmaps: chart builders (pure functions of a DataFrame) and the two sections
the page draws (heatmap with its click selection, drill-down behind the picked cell)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard.data import audit, cached_read, read
from dashboard.filters_ui import choices
from dashboard.i18n import fmt_compact, fmt_date, fmt_eur, fmt_int, fmt_month, fmt_pct, t
from warehouse.filters import Filters
from warehouse.periods import previous_period
from warehouse.queries import heatmaps
from warehouse.settings import get_settings
from warehouse.viewer import Viewer

SELECTION = "cell"
CELLS = "cells"
NO_REGION = "–"
MAX_LABELLED_COLUMNS = 24  # beyond this the numbers in the cells no longer fit; tooltips remain
# Vega formats numbers itself in legends: give it the viewer's separators.
LOCALES = {
    "nl": {"number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]}},
    "en": {"number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]}},
}


def fmt_metric(metric: str, value: Any, lang: str) -> str:
    if value is None or pd.isna(value):
        return f"< {get_settings().suppression_k}"
    number = float(value)
    return fmt_eur(number, lang) if metric == "amount_eur" else fmt_int(number, lang)


def fmt_metric_change(metric: str, change: Any, pct: Any, lang: str) -> str:
    if change is None or pd.isna(change):
        return f"< {get_settings().suppression_k}"
    number = float(change)
    base = fmt_eur(number, lang) if metric == "amount_eur" else fmt_int(abs(number), lang)
    if metric != "amount_eur":
        base = ("+" if number > 0 else "−" if number < 0 else "±") + base
    elif number > 0:
        base = "+" + base
    share = t("new", lang) if pct is None or pd.isna(pct) else fmt_pct(float(pct), lang)
    return f"{base} ({share})"


def chart_frame(
    df: pd.DataFrame, *, axis: str, metric: str, compare: bool, lang: str, names: dict
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The cells as the chart draws them: labels in the viewer's language, a numeric `value`
    (missing when suppressed), a formatted `label`; plus the x and y orders."""
    dim = heatmaps.DIMENSION[axis]
    out = pd.DataFrame({"phenomenon_code": df["phenomenon_code"]})
    out["phenomenon"] = df["phenomenon_code"].map(names["phenomena"]).fillna(df["phenomenon_code"])
    if axis == "region":
        out["cell_x"] = df[dim].fillna(NO_REGION)
        out["x"] = out["cell_x"].map(names["regions"]).fillna(t("unknown_region", lang))
        x_order = sorted(out["x"].unique())
    else:
        months = pd.to_datetime(df[dim]).dt.date
        out["cell_x"] = [m.strftime("%Y-%m") for m in months]
        out["x"] = [fmt_month(m, lang) for m in months]
        x_order = [fmt_month(m, lang) for m in sorted(set(months))]
    if compare:
        out["value"] = df[f"{metric}_change"].astype("Float64").astype(float)
        out["short"] = [
            "" if pd.isna(v) else ("+" if v > 0 else "") + fmt_compact(float(v), lang)
            for v in out["value"]
        ]
        out["label"] = [
            fmt_metric_change(metric, c, p, lang)
            for c, p in zip(df[f"{metric}_change"], df[f"{metric}_pct"], strict=True)
        ]
        out["now"] = [fmt_metric(metric, v, lang) for v in df[metric]]
        out["before"] = [fmt_metric(metric, v, lang) for v in df[f"{metric}_prev"]]
    else:
        out["value"] = df[metric].astype("Float64").astype(float)
        out["label"] = [fmt_metric(metric, v, lang) for v in df[metric]]
        out["short"] = ["" if pd.isna(v) else fmt_compact(float(v), lang) for v in out["value"]]
    y_order = sorted(out["phenomenon"].unique())
    return out, x_order, y_order


def heatmap_chart(
    cells: pd.DataFrame,
    *,
    x_order: list[str],
    y_order: list[str],
    x_title: str,
    value_title: str,
    compare: bool,
    lang: str,
    tooltip_extra: tuple[tuple[str, str], ...] = (),
) -> tuple[charts.Template, pd.DataFrame]:
    """The chart (`heatmap_template`) and its rows: the cells with their place on each axis,
    as fields of the rows, not as lists in the spec: a filter change then changes the rows
    alone, and the browser keeps the chart (dashboard/charts.py)."""
    rows = cells.assign(
        x_rank=cells["x"].map({v: i for i, v in enumerate(x_order)}),
        y_rank=cells["phenomenon"].map({v: i for i, v in enumerate(y_order)}),
    )
    chart = heatmap_template(
        labelled=len(x_order) <= MAX_LABELLED_COLUMNS,
        height=max(240, 22 * len(y_order)),
        x_title=x_title,
        value_title=value_title,
        compare=compare,
        lang=lang,
        tooltip_extra=tooltip_extra,
    )
    return chart, rows


@charts.template
def heatmap_template(
    *,
    labelled: bool,
    height: int,
    x_title: str,
    value_title: str,
    compare: bool,
    lang: str,
    tooltip_extra: tuple[tuple[str, str], ...] = (),
) -> alt.LayerChart:
    """Grey cells underneath (suppressed cells stay grey), coloured cells on top carrying the
    click selection, their numbers when `labelled`. SVG renderer: cells are DOM paths, so a
    browser test can click one. tooltip_extra: (field, title) pairs after the value."""
    pick = alt.selection_point(name=SELECTION, fields=["phenomenon_code", "cell_x"], on="click")
    x = alt.X(
        "x:N",
        sort=alt.EncodingSortField(field="x_rank", op="min"),
        title=x_title,
        axis=alt.Axis(labelAngle=-45, labelOverlap=False),
    )
    y = alt.Y(
        "phenomenon:N",
        sort=alt.EncodingSortField(field="y_rank", op="min"),
        title=t("phenomenon", lang),
        axis=alt.Axis(labelOverlap=False, labelLimit=260),
    )
    tooltip = [
        alt.Tooltip("phenomenon:N", title=t("phenomenon", lang)),
        alt.Tooltip("x:N", title=x_title),
        alt.Tooltip("label:N", title=value_title),
        *(alt.Tooltip(field, title=title) for field, title in tooltip_extra),
    ]
    base = alt.Chart().encode(x=x, y=y, tooltip=tooltip)
    scale = (
        alt.Scale(scheme="redblue", domainMid=0, reverse=True)
        if compare
        else alt.Scale(scheme="oranges")
    )
    grey = base.mark_rect(color="#d9d9d9")
    coloured = (
        base.transform_filter("isValid(datum.value)")
        .mark_rect(stroke="white", strokeWidth=0.5, cursor="pointer")
        .encode(
            color=alt.Color("value:Q", scale=scale, title=value_title),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)),
        )
        .add_params(pick)
        .properties(name=CELLS)  # its marks: <g class="... cells_marks"> (browser tests)
    )
    layers: list[alt.Chart] = [grey, coloured]
    if labelled:
        layers.append(cell_numbers(base, compare))
    return (
        alt.layer(*layers)
        .properties(height=height, usermeta={"embedOptions": {"renderer": "svg"}})
        .configure(locale=LOCALES.get(lang, LOCALES["nl"]))
    )


def cell_numbers(base: alt.Chart, compare: bool) -> alt.Chart:
    """The number in each cell (short form: 12k, 1,2 mln), white on the darkest cells. Clicks
    pass through to the cell underneath."""
    size = "abs(datum.value)" if compare else "datum.value"
    return (
        base.transform_filter("isValid(datum.value)")
        .transform_calculate(magnitude=size)
        .transform_joinaggregate(top="max(magnitude)")
        .mark_text(fontSize=10)
        .encode(
            text="short:N",
            color=alt.condition(
                "datum.magnitude > 0.6 * datum.top", alt.value("white"), alt.value("#222222")
            ),
        )
        .properties(name="numbers")  # its marks: <g class="... numbers_marks"> (browser tests)
    )


def names_for(viewer: Viewer, lang: str) -> dict[str, dict]:
    opts = choices(viewer, lang)
    return {"phenomena": opts.phenomena, "regions": opts.regions, "agencies": opts.agencies}


def heatmap_section(
    viewer: Viewer, filters: Filters, lang: str, *, axis: str, metric: str, compare: bool
) -> dict[str, Any] | None:
    """Draw the heatmap; return the picked cell ({"phenomenon_code", "cell_x"}) or None."""
    query = heatmaps.heatmap_change if compare else heatmaps.heatmap
    df = cached_read(viewer, query, filters=filters, axis=axis, entities=metric == "entities")
    if df.empty or (
        not compare and df["signals"].fillna(0).sum() == 0 and not df["suppressed"].any()
    ):
        st.info(t("no_cells", lang))
        return None
    names = names_for(viewer, lang)
    cells, x_order, y_order = chart_frame(
        df, axis=axis, metric=metric, compare=compare, lang=lang, names=names
    )
    extra: tuple[tuple[str, str], ...] = ()
    value_title = t(f"metric_{metric}", lang)
    if compare:
        extra = (
            ("now:N", t(f"metric_{metric}", lang)),
            ("before:N", t("previous_period", lang)),
        )
        value_title = f"{t('change', lang)}: {value_title}"
        if filters.start and filters.end:
            before = previous_period(filters, filters.start, filters.end)
            st.caption(
                t("compare_caption", lang).format(
                    start=fmt_month(before.start, lang), end=fmt_month(before.end, lang)
                )
            )
    chart, rows = heatmap_chart(
        cells,
        x_order=x_order,
        y_order=y_order,
        x_title=t("region" if axis == "region" else "month", lang),
        value_title=value_title,
        compare=compare,
        lang=lang,
        tooltip_extra=extra,
    )
    event = chart.show(
        rows,
        on_select="rerun",
        selection_mode=[SELECTION],
        key=f"heatmap_{axis}",
        width="stretch",
    )
    if df["suppressed"].any():
        st.caption(t("grey_cells", lang).format(k=get_settings().suppression_k))
    picked = (event.get("selection") or {}).get(SELECTION) or []
    return picked[0] if picked else None


def drilldown_section(
    viewer: Viewer, filters: Filters, lang: str, *, axis: str, cell: dict[str, Any] | None
) -> None:
    """The signals behind the picked cell, for analysts; audited once per cell and filters."""
    if not viewer.sees_rows:
        st.caption(t("drilldown_managers", lang))
        return
    if not cell or "phenomenon_code" not in cell or "cell_x" not in cell:
        st.caption(t("drilldown_hint", lang))
        return
    phenomenon, x = str(cell["phenomenon_code"]), str(cell["cell_x"])
    region: str | None = None
    month: dt.date | None = None
    if axis == "region":
        region = None if x == NO_REGION else x
    else:
        try:
            month = dt.date.fromisoformat(x + "-01")
        except ValueError:
            st.caption(t("drilldown_hint", lang))
            return
    rows = read(
        viewer,
        heatmaps.cell_signals,
        filters=filters,
        phenomenon=phenomenon,
        region=region,
        month=month,
    )
    described = {"phenomenon": phenomenon, axis: x}
    key = (str(described), str(sorted(filters.to_query().items())))
    if st.session_state.get("last_drilldown") != key:
        audit(
            "drilldown",
            viewer=viewer,
            details={
                "page": "heatmaps",
                "cell": described,
                "filters": filters.to_query(),
                "rows": len(rows),
            },
        )
        st.session_state["last_drilldown"] = key
    names = names_for(viewer, lang)
    where_label = (
        names["regions"].get(x, t("unknown_region", lang))
        if axis == "region"
        else fmt_month(month, lang)
    )
    st.subheader(
        f"{t('drilldown_title', lang)}: {names['phenomena'].get(phenomenon, phenomenon)} · "
        f"{where_label}"
    )
    st.caption(
        t("drilldown_count", lang).format(
            n=fmt_int(len(rows), lang), limit=fmt_int(heatmaps.DRILLDOWN_LIMIT, lang)
        )
    )
    st.dataframe(drilldown_table(rows, lang, names), hide_index=True, width="stretch")


def drilldown_table(rows: pd.DataFrame, lang: str, names: dict[str, dict]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("source_ref", lang): rows["source_ref"],
            t("agency", lang): rows["owner_agency"].map(names["agencies"]),
            t("phenomenon", lang): rows["phenomenon_code"].map(names["phenomena"]),
            t("observed_on", lang): [fmt_date(v, lang) for v in rows["observed_on"]],
            t("municipality", lang): rows["municipality"],
            t("region", lang): rows["region_code"].map(names["regions"]),
            t("node", lang): rows["node_code"],
            t("amount_eur", lang): [
                "" if pd.isna(v) else fmt_eur(float(v), lang) for v in rows["amount_eur"]
            ],
            t("severity", lang): rows["severity"],
            t("reliability", lang): rows["reliability"],
            t("credibility", lang): rows["credibility"],
            t("handling_code", lang): rows["handling_code"],
        }
    )
