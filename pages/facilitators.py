"""Facilitator rankings with an explainable score, the sharing lens and the rank change against
the previous period. Managers see per-category aggregates only."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.coverage_ui import coverage_strip
from dashboard.data import cached_read
from dashboard.definitions import definitions
from dashboard.i18n import fmt_decimal, fmt_eur, fmt_int, t
from dashboard.ranking import cached_ranking
from dashboard.ranking_charts import lens_template, points_template
from dashboard.shell import current_filters, current_viewer, language
from warehouse import scoring
from warehouse.queries import facilitators
from warehouse.settings import get_settings

HERE = Path(__file__).resolve().parent  # st.switch_page resolves from dashboard/
lang = language()
viewer = current_viewer()
filters = current_filters()
k = get_settings().suppression_k
name_col = "name_nl" if lang == "nl" else "name_en"
reference = cached_read(viewer, facilitators.facilitator_categories)
labels = dict(zip(reference["code"], reference[name_col], strict=True)) | {"": t("unknown", lang)}

st.title(t("facilitators_title", lang))
st.caption(t("facilitators_intro", lang))
coverage_strip(viewer, filters, lang)
definitions(["facilitator_score", "sharing_lens", "rank_change", "signals", "suppression"], lang)


def count(value: object) -> str:
    return f"< {k}" if pd.isna(value) else fmt_int(float(value), lang)  # type: ignore[arg-type]


looked_up: dict[int, str | None] = {}


def named(rows: pd.DataFrame) -> pd.DataFrame:
    """These rows of the ranking with their names, looked up for the rows shown only and once
    per rerun (the page first asks for every row it will show: one read instead of three)."""
    ids = [int(i) for i in rows["entity_id"]]
    missing = tuple(dict.fromkeys(i for i in ids if i not in looked_up))
    if missing:
        names = cached_read(viewer, facilitators.entity_names, ids=missing)
        looked_up.update({i: names.get(i) for i in missing})
    return rows.assign(display_name=[looked_up[i] for i in ids])


if not viewer.sees_rows:
    # per category only (an analyst's page does not show it: not read for them)
    categories = cached_read(viewer, facilitators.category_summary, filters=filters)
    st.info(t("facilitators_aggregate_only", lang))
    st.subheader(t("per_category", lang))
    st.table(
        pd.DataFrame(
            {
                t("category", lang): [labels.get(c, c) for c in categories["category"]],
                t("facilitators", lang): [count(v) for v in categories["facilitators"]],
                t("signals", lang): [count(v) for v in categories["signals"]],
                t("networks", lang): [count(v) for v in categories["networks"]],
                t("agencies", lang): [count(v) for v in categories["agencies"]],
            }
        ).set_index(t("category", lang))
    )
    if categories["suppressed"].any():
        st.caption(t("suppressed_note", lang).format(k=k))
    st.stop()

with st.expander(t("weights_title", lang), icon=":material/tune:"):
    st.markdown(t("weights_help", lang))
    defaults = scoring.Weights().as_dict()
    cols = st.columns(len(scoring.COMPONENTS) + 1)
    chosen = {
        comp: col.slider(
            t(f"comp_{comp}", lang),
            0,
            100,
            int(defaults[comp] * 100),
            step=5,
            key=f"gewicht_{comp}",
        )
        for comp, col in zip(scoring.COMPONENTS, cols, strict=False)
    }
    half_life = cols[-1].slider(
        t("half_life", lang), 30, 720, scoring.HALF_LIFE_DAYS, step=30, key="halfwaardetijd"
    )
weights = scoring.Weights(**{c: v / 100 for c, v in chosen.items()})
# the database's part is kept while the weights change (cached); scoring it again is quick
ranked = cached_ranking(viewer, filters, weights, int(half_life))
if ranked.empty:
    st.info(t("no_facilitators", lang))
    st.stop()

# -- the sharing lens ---------------------------------------------------------------------------
shared_only = scoring.only_through_partners(ranked)
st.subheader(t("sharing_lens_title", lang))
st.caption(t("sharing_lens_intro", lang).format(agency=viewer.agency))
m1, m2, m3 = st.columns(3)
m1.metric(t("facilitators_visible", lang), fmt_int(len(ranked), lang))
m2.metric(t("facilitators_only_partners", lang), fmt_int(len(shared_only), lang))
total_score = float(ranked["score"].sum()) or 1.0
m3.metric(
    t("score_from_partners", lang),
    f"{fmt_decimal(100 * (1 - float(ranked['own_score'].sum()) / total_score), lang, 0)} %",
)
# every row the page shows below: the lens, the partners' list and the ranking of the category
# chosen (its widget's value, kept by Streamlit between reruns)
chosen_category = st.session_state.get("facilitator_categorie") or ""
in_category = ranked[ranked["category"] == chosen_category] if chosen_category else ranked
named(pd.concat([ranked.head(15), shared_only.head(15), in_category.head(50)]))
top = named(ranked.head(15))
lens = pd.concat(
    [
        pd.DataFrame(
            {
                "name": top["display_name"],
                "order": range(len(top)),
                "score": top[column],
                "data": t(label, lang),
            }
        )
        for column, label in (("own_score", "own_data"), ("score", "all_visible"))
    ]
)
lens_template(lang).show(lens, width="stretch")
st.markdown(f"**{t('only_partners_list', lang)}**")
only = named(shared_only.head(15))
st.table(
    pd.DataFrame(
        {
            t("facilitator", lang): only["display_name"],
            t("category", lang): [labels.get(c, c) for c in only["category"]],
            t("score", lang): [fmt_decimal(v, lang, 1) for v in only["score"]],
            t("agencies", lang): only["agencies"].astype(int),
            t("networks", lang): only["networks"].astype(int),
        }
    ).set_index(t("facilitator", lang))
)

# -- ranking ------------------------------------------------------------------------------------
st.subheader(t("ranking_title", lang))
options = ["", *sorted(c for c in ranked["category"].unique())]
category = st.selectbox(
    t("category", lang),
    options,
    format_func=lambda c: labels.get(c, c) if c else t("all_categories", lang),
    key="facilitator_categorie",
)
shown = ranked[ranked["category"] == category] if category else ranked
shown = named(shown.head(50))
rank_col = "rank_in_category" if category else "rank"


def change(value: object) -> str:
    if pd.isna(value):
        return t("new", lang)
    n = int(value)  # type: ignore[call-overload]
    return f"▲ {n}" if n > 0 else (f"▼ {-n}" if n < 0 else "=")


table = pd.DataFrame(
    {
        t("rank", lang): shown[rank_col].astype(int),
        t("rank_change_short", lang): [change(v) for v in shown["rank_change"]],
        t("facilitator", lang): shown["display_name"],
        t("category", lang): [labels.get(c, c) for c in shown["category"]],
        t("score", lang): shown["score"].round(1),
        t("own_score", lang): shown["own_score"].round(1),
        t("comp_agencies", lang): shown["agencies"].astype(int),
        t("comp_networks", lang): shown["networks"].astype(int),
        t("signals", lang): shown["signals"].astype(int),
        t("comp_volume", lang): shown["volume"].round(1),
        t("comp_money", lang): [fmt_eur(v, lang) for v in shown["money"]],
        t("comp_severity", lang): shown["severity"].round(2),
    }
)
event = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="ranglijst",
)
st.caption(t("ranking_click_hint", lang))
rows = event.selection.rows if event else []
if rows:
    chosen_id = int(shown.iloc[rows[0]]["entity_id"])
    st.switch_page(
        str(HERE / "entity.py"),
        query_params={**filters.to_query(), "lang": lang, "entiteit": str(chosen_id)},
    )

# -- the score explained -------------------------------------------------------------------------
st.subheader(t("score_explained", lang))
points = (
    shown.head(15)
    .assign(order=range(min(15, len(shown))))
    .melt(
        id_vars=["display_name", "order"],
        value_vars=[f"p_{c}" for c in scoring.COMPONENTS],
        var_name="component",
        value_name="points",
    )
)
points["component"] = [t("comp_" + c[2:], lang) for c in points["component"]]
points_template(lang).show(points, width="stretch")
