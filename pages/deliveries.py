"""Deliveries: a steward uploads a file of their own agency's signals and sees what loaded and
what to fix. All logic lives in warehouse/ingest; this page only reads widgets and renders."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import shell
from dashboard.data import engine
from dashboard.i18n import fmt_int, t
from warehouse import db
from warehouse.db import DatabaseUnavailable
from warehouse.ingest.load import load_delivery
from warehouse.ingest.report import Report, recent_batches
from warehouse.settings import agencies, get_settings

lang = shell.language()
st.title(t("deliveries_title", lang))
st.caption(t("deliveries_intro", lang))

# Stewards deliver for their own agency only: from login when it exists, else development mode.
current_agency = getattr(shell, "current_agency", None)
agency = current_agency() if current_agency else None
if agency is None:
    st.warning(t("dev_mode_agency", lang))
    names = {a.code: a.name_nl if lang == "nl" else a.name_en for a in agencies()}
    agency = st.selectbox(t("delivering_agency", lang), list(names), format_func=names.get)

upload = st.file_uploader(t("delivery_file", lang), type=["csv", "jsonl", "ndjson"])


def show(report: Report) -> None:
    if report.status == "rejected":
        st.error(t("delivery_rejected", lang).format(error=report.error))
        return
    if report.status == "duplicate":
        st.info(t("delivery_duplicate", lang).format(batch=report.batch_id))
        return
    st.success(t("delivery_loaded", lang))
    cols = st.columns(4)
    for col, key, value in zip(
        cols,
        ("rows_new", "rows_updated", "rows_unchanged", "rows_quarantined"),
        (report.inserted, report.updated, report.unchanged, report.quarantined),
        strict=True,
    ):
        col.metric(t(key, lang), fmt_int(value, lang))
    if report.quarantined:
        st.subheader(t("what_to_fix", lang))
        st.dataframe(
            pd.DataFrame(report.reason_counts(), columns=[t("problem", lang), t("rows", lang)]),
            hide_index=True,
        )
        st.dataframe(
            pd.DataFrame(
                {
                    t("line", lang): [q.line_no for q in report.quarantine],
                    "source_ref": [q.source_ref for q in report.quarantine],
                    t("reasons", lang): [
                        "; ".join(f"{k}: {v}" for k, v in q.reasons.items())
                        for q in report.quarantine
                    ],
                }
            ),
            hide_index=True,
        )


try:
    if upload is not None and st.button(t("deliver", lang), type="primary"):
        bar = st.progress(0.0)
        with db.reachable(), engine().begin() as conn:
            result = load_delivery(
                conn=conn,
                agency=agency,
                file_name=upload.name,
                data=upload.getvalue(),
                key=get_settings().pseudonym_key.encode(),
                progress=lambda stage, fraction: bar.progress(fraction, text=stage),
            )
        show(result)
    with db.reachable(), engine().connect() as conn:
        batches = recent_batches(conn=conn, agency=agency)
except DatabaseUnavailable:
    st.error(t("db_unavailable", lang))
    st.stop()

if batches:
    st.subheader(t("recent_batches", lang))
    st.dataframe(
        pd.DataFrame(
            {
                "batch": [b.batch_id for b in batches],
                t("delivery_file", lang): [b.file_name for b in batches],
                "status": [b.status for b in batches],
                t("rows_new", lang): [b.inserted for b in batches],
                t("rows_updated", lang): [b.updated for b in batches],
                t("rows_quarantined", lang): [b.quarantined for b in batches],
            }
        ),
        hide_index=True,
    )
