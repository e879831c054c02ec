"""The export panel any view can show: `export_panel(viewer, filters, lang)` for signal rows and
the standard aggregate, or `export_panel(..., query=heatmap.phenomenon_heatmap, params={...})`
for the aggregate behind that view. It checks the request, asks for a reason and hands out a
single-use download link to the streaming route (dashboard/export_route.py)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.data import cached_read, read
from dashboard.export_route import mint, url
from dashboard.i18n import fmt_int, t
from warehouse import export
from warehouse.csvfile import Dialect
from warehouse.filters import Filters
from warehouse.queries import export_rows
from warehouse.settings import get_settings
from warehouse.viewer import Viewer


def _sources(viewer: Viewer, query: Callable[..., Any] | None, lang: str) -> dict[str, str]:
    if query is not None:
        return {export.source_name(query): t("export_aggregate", lang)}
    sources = {}
    if export.row_limit(viewer.role) > 0 and viewer.sees_rows:
        sources[export.SIGNALS] = t("export_rows", lang)
    sources[export.source_name(export_rows.signal_aggregate)] = t("export_aggregate", lang)
    return sources


def _columns(viewer: Viewer, source: str, filters: Filters, params: Mapping[str, Any]) -> list[str]:
    if source == export.SIGNALS:
        return list(export_rows.SIGNAL_COLUMNS)
    func = export.query_function(source)
    kwargs = {"filters": filters} if "filters" in inspect.signature(func).parameters else {}
    df = cached_read(viewer, func, **kwargs, **params)
    return [str(c) for c in df.columns] if isinstance(df, pd.DataFrame) else []


def export_panel(
    viewer: Viewer,
    filters: Filters,
    lang: str,
    *,
    query: Callable[..., Any] | None = None,
    params: Mapping[str, Any] | None = None,
    key: str = "export",
) -> None:
    """Draw the export form; on submit, check the request and show the download link."""
    params = dict(params or {})
    sources = _sources(viewer, query, lang)
    if export.SIGNALS not in sources:
        st.caption(t("export_aggregates_only", lang))
    source = st.radio(
        t("export_what", lang), list(sources), format_func=sources.get, key=f"{key}_source"
    )
    available = _columns(viewer, source, filters, params)
    default = list(export_rows.DEFAULT_SIGNAL_COLUMNS) if source == export.SIGNALS else available
    with st.form(f"{key}_form"):
        columns = st.multiselect(t("export_columns", lang), available, default=default)
        dialect = st.radio(
            t("export_dialect", lang),
            [str(d) for d in (Dialect.excel_nl, Dialect.rfc4180)],
            format_func=lambda d: t(f"dialect_{d}", lang),
            horizontal=True,
        )
        reason = st.text_input(t("export_reason", lang), max_chars=500)
        case = st.text_input(t("export_case", lang), max_chars=64)
        submitted = st.form_submit_button(t("export_prepare", lang), type="primary")
    if not submitted:
        return
    request = export.ExportRequest(
        source=source,
        filters=filters,
        columns=tuple(columns),
        dialect=Dialect(dialect),
        reason=reason,
        case_number=case,
        params=params,
    )
    if not reason.strip() or not columns:
        st.error(t("export_reason_missing" if columns else "export_columns_missing", lang))
        return
    try:
        export.check(request, viewer)
        rows = read(viewer, export_rows.signal_count, filters=filters) if request.rows else None
        if rows is not None and rows > export.row_limit(viewer.role):
            raise export.ExportRefused(
                f"{fmt_int(rows, lang)} > {fmt_int(export.row_limit(viewer.role), lang)}"
            )
    except export.ExportRefused as exc:
        st.error(t("export_refused", lang).format(reason=exc))
        return
    token = mint(viewer, request)
    seconds = get_settings().export_token_ttl_seconds
    st.success(
        t("export_ready", lang).format(
            rows=fmt_int(rows, lang) if rows is not None else "–", seconds=seconds
        )
    )
    st.link_button(
        t("export_download", lang).format(name=request.file_name()),
        url(token),
        icon=":material/download:",
        type="primary",
    )
