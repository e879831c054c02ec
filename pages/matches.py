"""Match proposals: entities delivered by name only that may be the same as another entity, side
by side, to confirm or reject; and the recent decisions. Only proposals whose two entities the
viewer may both see are listed (row-level security); a decision is written on the viewer's behalf
after the warehouse checked that again (warehouse/ingest/decisions.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.data import on_behalf, read_many
from dashboard.filters_ui import options
from dashboard.i18n import fmt_date, fmt_decimal, fmt_int, t
from dashboard.shell import current_viewer, language
from warehouse.ingest.decisions import Decision, DecisionRefused, decide_for, undo_for
from warehouse.queries import matches
from warehouse.viewer import Role

lang = language()
viewer = current_viewer()
FLASH = "matches_flash"

st.title(t("matches_title", lang))
st.caption(t("matches_intro", lang))
scope = "matches_scope_steward" if viewer.role == Role.steward else "matches_scope_analyst"
st.caption(t(scope, lang))
NAMES = options(viewer).agencies
AGENCY = dict(zip(NAMES["code"], NAMES["name_" + lang], strict=True))


def agencies(codes: object) -> str:
    """'politie, douane' as the agencies' names; a dash when none."""
    if not isinstance(codes, str) or not codes:
        return "–"
    return ", ".join(AGENCY.get(c, c) for c in codes.split(", "))


def decide(row: pd.Series, confirm: bool | None) -> None:
    """Decide (or with `confirm` None undo), remember the outcome for the next run and rerun
    (the lists change)."""
    try:
        done: Decision
        if confirm is None:
            done = on_behalf(viewer, undo_for, match_id=int(row.match_id))
            key = "match_undone"
        else:
            done = on_behalf(viewer, decide_for, match_id=int(row.match_id), confirm=confirm)
            key = "match_confirmed" if done.status == "confirmed" else "match_rejected"
        message = t(key, lang).format(
            match=done.match_id, entity=row.entity_name, candidate=row.candidate_name
        )
        st.session_state[FLASH] = ("success", message)
    except DecisionRefused as refused:
        st.session_state[FLASH] = ("warning", t("match_refused_" + refused.reason, lang))
    st.rerun()


def present(value: object) -> str | None:
    """A text cell, or None when the frame holds None or NaN there."""
    return value if isinstance(value, str) and value else None


def side(column: DeltaGenerator, row: pd.Series, prefix: str) -> None:
    """One entity of a proposal: name, kind, place, identifier, who reported it, signals."""
    identifier = present(row[prefix + "_identifier"])
    facts = [
        t("kind_" + row[prefix + "_kind"], lang),
        present(row[prefix + "_place"]) or t("match_no_place", lang),
        f"{t('match_identifier', lang)} {identifier}"
        if identifier
        else t("match_no_identifier", lang),
    ]
    with column:
        st.caption(t("match_entity" if prefix == "entity" else "match_candidate", lang))
        st.markdown(f"**{row[prefix + '_name']}**")
        st.markdown(" · ".join(facts))
        st.markdown(
            f"{t('entity_agencies', lang)}: {agencies(row[prefix + '_agencies'])} · "
            f"{t('signals', lang)}: {fmt_int(row[prefix + '_signals'], lang)}"
        )


def who(d: pd.Series) -> str:
    """Agency and role of the decider, and the person when the query gave it (own agency)."""
    if not isinstance(d.decided_agency, str):
        return t("decided_cli", lang)
    parts = [agencies(d.decided_agency), t("role_" + d.decided_role, lang), present(d.decided_by)]
    return " · ".join(p for p in parts if p)


flash = st.session_state.pop(FLASH, None)
if flash:
    (st.success if flash[0] == "success" else st.warning)(flash[1])

proposals, total, decisions = read_many(
    viewer, matches.open_proposals, matches.open_proposal_count, matches.recent_decisions
)
if proposals.empty:
    st.info(t("no_open_matches", lang))
else:
    st.caption(t("matches_shown", lang).format(shown=len(proposals), total=total))
for row in proposals.itertuples(index=False):
    record = pd.Series(row._asdict())
    with st.container(border=True, key=f"match_{row.match_id}"):
        st.markdown(
            f"**{t('match_rule_' + row.rule, lang)}** · {t('match_score', lang)} "
            f"{fmt_decimal(row.score, lang, 2)}"
        )
        left, right = st.columns(2)
        side(left, record, "entity")
        side(right, record, "candidate")
        yes, no, _ = st.columns([1, 1, 3])
        if yes.button(t("match_confirm", lang), key=f"confirm_{row.match_id}", type="primary"):
            decide(record, confirm=True)
        if no.button(t("match_reject", lang), key=f"reject_{row.match_id}"):
            decide(record, confirm=False)

st.subheader(t("recent_decisions", lang))
if decisions.empty:
    st.info(t("no_decisions", lang))
else:
    st.dataframe(
        pd.DataFrame(
            {
                t("decided_on", lang): [fmt_date(v, lang) for v in decisions["decided_at"]],
                t("decided_by", lang): decisions.apply(who, axis=1),
                t("decision", lang): [t("decision_" + s, lang) for s in decisions["status"]],
                t("entity", lang): decisions["entity_name"],
                t("match_candidate_short", lang): decisions["candidate_name"],
            }
        ),
        hide_index=True,
    )

own = decisions[decisions["decided_agency"] == viewer.agency]
if not own.empty:
    st.subheader(t("match_undo_title", lang))
    st.caption(t("match_undo_help", lang))
    labels = {
        int(d.match_id): f"{d.match_id}: {d.entity_name} ↔ {d.candidate_name} "
        f"({t('decision_' + d.status, lang)}, {fmt_date(d.decided_at, lang)})"
        for d in own.itertuples(index=False)
    }
    chosen = st.selectbox(
        t("match_undo_pick", lang), list(labels), format_func=labels.get, key="undo_pick"
    )
    if st.button(t("match_undo_button", lang), key="undo_decision"):
        decide(own[own["match_id"] == chosen].iloc[0], confirm=None)
