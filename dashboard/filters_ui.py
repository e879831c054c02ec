"""The shared filter sidebar. Its state lives in the URL as language-independent codes
(?van=2024-01&tot=2024-06&regios=OB&fenomenen=VIO_EXPLOSION), so a link shared with a colleague
opens the same view whatever language either of them reads; the values are re-validated against
the reference data before they become a Filters value (a browser can send anything).

Why not bind="query-params": a bound widget with a format_func writes the *displayed label* to
the URL (06-2024, "Explosie"), which differs per language and breaks shared links. So the widgets
keep their state for the session (persist_state) and the URL is synchronised here, both ways."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.data import cached_read, per_viewer
from dashboard.i18n import fmt_month, t
from warehouse.filters import PARAM, Filters
from warehouse.queries.reference import Options, filter_options
from warehouse.viewer import Viewer

DEFAULT_MONTHS = 12


def options(viewer: Viewer) -> Options:
    return cached_read(viewer, filter_options)


@dataclass(frozen=True)
class Choices:
    """The filter options for a viewer in a language as plain values, codes to names in their
    order: the sidebar and the views' labels read them at every run. Made once per agency, role
    and language (`choices`): unpickling the options' frames (Arrow strings) two or three times
    a run and turning their columns into dicts was ~1-2 ms of a page's ~40 under the benchmark's
    twenty sessions."""

    months: tuple[dt.date, ...]
    regions: dict[str, str]
    municipalities: dict[str, str]
    municipality_regions: dict[str, str]
    phenomena: dict[str, str]
    agencies: dict[str, str]
    handling: tuple[str, ...]


def choices(viewer: Viewer, lang: str) -> Choices:
    """The viewer's filter options in this language (cached per agency, role and language)."""
    return per_viewer(_choices, viewer, lang=lang)


@st.cache_data(ttl=300, max_entries=100, show_spinner=False)
def _choices(agency: str, role: str, lang: str, _viewer: Viewer) -> Choices:
    # agency, role and language are the cache key; the viewer is not hashed
    opts = options(_viewer)
    name = "name_nl" if lang == "nl" else "name_en"

    def names(df: pd.DataFrame, code: str, label: str) -> dict[str, str]:
        return dict(zip(df[code].tolist(), df[label].tolist(), strict=True))

    munis = opts.municipalities
    return Choices(
        months=tuple(opts.months()),
        regions=names(opts.regions, "code", "name"),
        municipalities=names(munis, "gm_code", "name"),
        municipality_regions=names(munis, "gm_code", "region_code"),
        phenomena=names(opts.phenomena, "code", name),
        agencies=names(opts.agencies, "code", name),
        handling=tuple(opts.handling),
    )


def sidebar_filters(viewer: Viewer, lang: str) -> Filters:
    """Draw the filters in the sidebar and return what they select."""
    opts = choices(viewer, lang)
    months = list(opts.months)
    _load_from_url(opts)
    with st.sidebar:
        st.subheader(t("filters", lang))
        start = end = None
        if months:
            labels = [m.strftime("%Y-%m") for m in months]
            # Defaults through session state (not index=), so a value from the URL never clashes
            # with a widget default.
            for key, default in (
                (PARAM["start"], labels[max(0, len(labels) - DEFAULT_MONTHS)]),
                (PARAM["end"], labels[-1]),
            ):
                if st.session_state.get(key) not in labels:
                    st.session_state[key] = default
            c1, c2 = st.columns(2)
            start_label = c1.selectbox(
                t("from", lang),
                labels,
                format_func=lambda s: fmt_month(dt.date.fromisoformat(s + "-01"), lang),
                key=PARAM["start"],
                persist_state="session",
            )
            end_label = c2.selectbox(
                t("to", lang),
                labels,
                format_func=lambda s: fmt_month(dt.date.fromisoformat(s + "-01"), lang),
                key=PARAM["end"],
                persist_state="session",
            )
            start, end = _month(start_label, months), _month(end_label, months)
            if start and end and start > end:
                start, end = end, start
        regions = _choose("regions", "regions", opts.regions, lang)
        muni_names = opts.municipalities
        if regions:
            chosen = set(regions)
            muni_names = {
                code: name
                for code, name in muni_names.items()
                if opts.municipality_regions.get(code) in chosen
            }
        filters = Filters(
            start=start,
            end=end,
            regions=regions,
            municipalities=_choose("municipalities", "municipalities", muni_names, lang),
            phenomena=_choose("phenomena", "phenomena", opts.phenomena, lang),
            agencies=_choose("agencies", "owning_agencies", opts.agencies, lang),
            handling=_choose("handling", "handling_codes", dict.fromkeys(opts.handling), lang),
        )
    _write_to_url(filters)
    return filters


SYNCED = "_filters_in_url"


def _url_filters() -> dict[str, str]:
    names = set(PARAM.values())
    return {k: v for k, v in st.query_params.to_dict().items() if k in names}


def _load_from_url(opts: Choices) -> None:
    """Put the URL's filters into the widgets when the URL carries filters the app did not write
    itself (a shared link, a bookmark). An URL without filters leaves the session's choice."""
    in_url = _url_filters()
    if not in_url or st.session_state.get(SYNCED) == in_url:
        return
    parsed, _problems = Filters.from_query(in_url)
    labels = {m.strftime("%Y-%m") for m in opts.months}
    for name, value in (("start", parsed.start), ("end", parsed.end)):
        month = value.strftime("%Y-%m") if value else None
        if month in labels:
            st.session_state[PARAM[name]] = month
        else:
            st.session_state.pop(PARAM[name], None)
    allowed = {
        "regions": set(opts.regions),
        "municipalities": set(opts.municipalities),
        "phenomena": set(opts.phenomena),
        "agencies": set(opts.agencies),
        "handling": set(opts.handling),
    }
    for name, known in allowed.items():
        st.session_state[PARAM[name]] = [v for v in getattr(parsed, name) if v in known]


def _write_to_url(filters: Filters) -> None:
    wanted = filters.to_query()
    if _url_filters() != wanted:
        for key in set(PARAM.values()) - set(wanted):
            if key in st.query_params:
                del st.query_params[key]
        for key, value in wanted.items():
            st.query_params[key] = value
    st.session_state[SYNCED] = wanted


def label(names: dict) -> Callable[[Any], str]:
    """format_func for a code -> name mapping (unknown codes show as themselves)."""
    return lambda code: str(names.get(code, code))


def _month(value: object, months: list[dt.date]) -> dt.date | None:
    return next((m for m in months if m.strftime("%Y-%m") == value), None)


def _choose(field: str, title: str, names: dict, lang: str) -> tuple[str, ...]:
    """A multiselect over codes (shown by name; empty means all), kept for the session; only
    codes that exist come back (a browser can send anything)."""
    chosen = st.multiselect(
        t(title, lang),
        list(names),
        format_func=label({k: v for k, v in names.items() if v is not None}),
        key=PARAM[field],
        persist_state="session",
        placeholder=t("all", lang),
    )
    return tuple(v for v in chosen if v in names)
