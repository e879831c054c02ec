"""The shared filter sidebar. Every widget is bound to the URL (bind="query-params"), so a link
shared with a colleague opens the same view; the values are re-validated against the reference
data before they become a Filters value (a browser can send anything)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard.data import cached_read
from dashboard.i18n import fmt_month, t
from warehouse.filters import PARAM, Filters
from warehouse.queries.reference import Options, filter_options
from warehouse.viewer import Viewer

DEFAULT_MONTHS = 12


def options(viewer: Viewer) -> Options:
    return cached_read(viewer, filter_options)


def sidebar_filters(viewer: Viewer, lang: str) -> Filters:
    """Draw the filters in the sidebar and return what they select."""
    opts = options(viewer)
    months = opts.months()
    name = "name_nl" if lang == "nl" else "name_en"
    with st.sidebar:
        st.subheader(t("filters", lang))
        start = end = None
        if months:
            labels = [m.strftime("%Y-%m") for m in months]
            c1, c2 = st.columns(2)
            start_label = c1.selectbox(
                t("from", lang),
                labels,
                index=max(0, len(labels) - DEFAULT_MONTHS),
                format_func=lambda s: fmt_month(dt.date.fromisoformat(s + "-01"), lang),
                key=PARAM["start"],
                bind="query-params",
            )
            end_label = c2.selectbox(
                t("to", lang),
                labels,
                index=len(labels) - 1,
                format_func=lambda s: fmt_month(dt.date.fromisoformat(s + "-01"), lang),
                key=PARAM["end"],
                bind="query-params",
            )
            start, end = _month(start_label, months), _month(end_label, months)
            if start and end and start > end:
                start, end = end, start
        region_names = dict(zip(opts.regions["code"], opts.regions["name"], strict=True))
        regions = st.multiselect(
            t("regions", lang),
            list(region_names),
            format_func=label(region_names),
            key=PARAM["regions"],
            bind="query-params",
            placeholder=t("all", lang),
        )
        munis = opts.municipalities
        if regions:
            munis = munis[munis["region_code"].isin(regions)]
        muni_names = dict(zip(munis["gm_code"], munis["name"], strict=True))
        municipalities = st.multiselect(
            t("municipalities", lang),
            list(muni_names),
            format_func=label(muni_names),
            key=PARAM["municipalities"],
            bind="query-params",
            placeholder=t("all", lang),
        )
        phen_names = dict(zip(opts.phenomena["code"], opts.phenomena[name], strict=True))
        phenomena = st.multiselect(
            t("phenomena", lang),
            list(phen_names),
            format_func=label(phen_names),
            key=PARAM["phenomena"],
            bind="query-params",
            placeholder=t("all", lang),
        )
        agency_names = dict(zip(opts.agencies["code"], opts.agencies[name], strict=True))
        agencies = st.multiselect(
            t("owning_agencies", lang),
            list(agency_names),
            format_func=label(agency_names),
            key=PARAM["agencies"],
            bind="query-params",
            placeholder=t("all", lang),
        )
        handling = st.multiselect(
            t("handling_codes", lang),
            list(opts.handling),
            key=PARAM["handling"],
            bind="query-params",
            placeholder=t("all", lang),
        )
    return Filters(
        start=start,
        end=end,
        regions=_known(regions, region_names),
        municipalities=_known(municipalities, muni_names),
        phenomena=_known(phenomena, phen_names),
        agencies=_known(agencies, agency_names),
        handling=_known(handling, dict.fromkeys(opts.handling)),
    )


def label(names: dict) -> Callable[[Any], str]:
    """format_func for a code -> name mapping (unknown codes show as themselves)."""
    return lambda code: str(names.get(code, code))


def _month(value: object, months: list[dt.date]) -> dt.date | None:
    return next((m for m in months if m.strftime("%Y-%m") == value), None)


def _known(values: list, allowed: dict) -> tuple[str, ...]:
    return tuple(v for v in values if v in allowed)
