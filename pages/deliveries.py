"""Deliveries: a steward uploads a file of their own agency's signals and sees what loaded and
what to fix. All logic lives in warehouse/ingest; this page only reads widgets and renders."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import shell
from dashboard.data import audit, read
from dashboard.i18n import fmt_int, t
from warehouse import db
from warehouse.entity_counts import recount_stale
from warehouse.ingest.load import load_delivery
from warehouse.ingest.report import Report
from warehouse.queries import matches
from warehouse.queries.deliveries import delivery_batches
from warehouse.settings import get_settings

HERE = Path(__file__).resolve().parent  # st.page_link resolves from dashboard/
lang = shell.language()
viewer = shell.current_viewer()
# Stewards deliver for their own agency only: the agency comes from their login.
agency = viewer.agency
st.title(t("deliveries_title", lang))
st.caption(t("deliveries_intro", lang))

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


if upload is not None and st.button(t("deliver", lang), type="primary"):
    bar = st.progress(0.0)
    # Loading writes signals, which the app role may not: it runs as the warehouse owner, on
    # behalf of this steward (the page is registered for stewards only) and for their agency.
    with db.reachable(), db.get_engine().begin() as conn:
        result = load_delivery(
            conn=conn,
            agency=agency,
            file_name=upload.name,
            data=upload.getvalue(),
            key=get_settings().pseudonym_key.encode(),
            progress=lambda stage, fraction: bar.progress(0.9 * fraction, text=stage),
        )
    # after the commit: the distinct-entity counts the delivery left out of date
    bar.progress(0.95, text="recount")
    with db.reachable():
        recount_stale(db.get_engine())
    bar.progress(1.0, text="done")
    audit("delivery", viewer=viewer, details=result.audit_details())
    show(result)

open_matches = read(viewer, matches.open_proposal_count)
st.page_link(
    str(HERE / "matches.py"),
    label=t("matches_open_link", lang).format(count=fmt_int(open_matches, lang)),
    icon=":material/join_inner:",
)

batches = read(viewer, delivery_batches)
if not batches.empty:
    st.subheader(t("recent_batches", lang))
    st.dataframe(
        pd.DataFrame(
            {
                "batch": batches["batch_id"],
                t("delivery_file", lang): batches["file_name"],
                "status": batches["status"],
                t("rows_new", lang): batches["inserted"],
                t("rows_updated", lang): batches["updated"],
                t("rows_quarantined", lang): batches["quarantined"],
            }
        ),
        hide_index=True,
    )
