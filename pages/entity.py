"""One entity: signals over time, reporting agencies, networks and linked entities, interventions
and the score explanation. Viewing it is audited; an entity the viewer may not see is reported as
"not found or no access", never distinguished from one that does not exist."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard.coverage_ui import coverage_strip
from dashboard.data import audit, cached_read, read_many
from dashboard.definitions import definitions
from dashboard.graph import layout, network_chart
from dashboard.i18n import fmt_date, fmt_decimal, fmt_eur, fmt_int, t
from dashboard.ranking import cached_ranking
from dashboard.shell import current_filters, current_viewer, language
from warehouse import scoring
from warehouse.queries import entity

HERE = Path(__file__).resolve().parent  # st.switch_page resolves from dashboard/
lang = language()
viewer = current_viewer()
filters = current_filters()
name_col = "name_nl" if lang == "nl" else "name_en"

st.title(t("entity_title", lang))
raw = st.text_input(t("entity_id", lang), key="entiteit", bind="query-params")
entity_id = entity.valid_id(raw)
if entity_id is None:
    if raw:
        st.warning(t("entity_invalid_id", lang))
    st.info(t("entity_pick", lang))
    st.page_link(
        str(HERE / "facilitators.py"),
        label=t("facilitators_title", lang),
        icon=":material/leaderboard:",
    )
    st.stop()
assert entity_id is not None

profile = cached_read(viewer, entity.entity_profile, entity_id=entity_id)
seen = ("entity", viewer.subject, str(viewer.role), entity_id, profile is not None)
if st.session_state.get("last_drilldown") != seen:
    audit(
        "drilldown",
        viewer=viewer,
        details={"page": "entity", "entity_id": entity_id, "found": profile is not None},
    )
    st.session_state["last_drilldown"] = seen
if profile is None:
    st.warning(t("entity_not_found", lang))
    st.stop()
assert profile is not None

timeline, agencies, networks, linked, interventions = read_many(
    viewer,
    entity.entity_timeline,
    entity.entity_agencies,
    entity.entity_networks,
    entity.linked_entities,
    entity.entity_interventions,
    entity_id=entity_id,
)

st.header(profile["display_name"])
facts = [t("kind_" + profile["kind"], lang)]
if profile["facilitator_category"]:
    facts.append(profile["category_" + lang] or profile["facilitator_category"])
for key in ("kvk_number", "iban", "imo_number"):
    if profile[key]:
        facts.append(f"{t(key, lang)} {profile[key]}")
if profile["municipality"]:
    facts.append(profile["municipality"])
st.caption(" · ".join(facts))
coverage_strip(viewer, filters, lang)
definitions(["entity_page", "facilitator_score", "signals"], lang)

m = st.columns(4)
m[0].metric(t("signals", lang), fmt_int(int(timeline["signals"].sum()), lang))
m[1].metric(t("agencies", lang), fmt_int(len(agencies), lang))
m[2].metric(t("networks", lang), fmt_int(len(networks), lang))
m[3].metric(t("interventions", lang), fmt_int(len(interventions), lang))

agency_names = dict(zip(agencies["agency"], agencies[name_col], strict=True))
st.subheader(t("entity_timeline", lang))
if not timeline.empty:
    series = timeline.assign(partner=timeline["agency"].map(agency_names))
    bars = (
        alt.Chart(series)
        .mark_bar()
        .encode(
            x=alt.X("month:T", timeUnit="yearmonth", title=t("month", lang)),
            y=alt.Y("sum(signals):Q", title=t("signals", lang)),
            color=alt.Color("partner:N", title=t("agency", lang)),
            tooltip=[
                alt.Tooltip("month:T", title=t("month", lang), format="%m-%Y"),
                alt.Tooltip("partner:N", title=t("agency", lang)),
                alt.Tooltip("role:N", title=t("role_in_signal", lang)),
                alt.Tooltip("sum(signals):Q", title=t("signals", lang)),
            ],
        )
    )
    chart: alt.LayerChart | alt.Chart = bars
    if filters.start and filters.end:
        band = pd.DataFrame({"start": [filters.start], "end": [filters.end]})
        chart = (
            alt.Chart(band).mark_rect(color="#154273", opacity=0.07).encode(x="start:T", x2="end:T")
            + bars
        )
    charts.show(chart.properties(height=260), width="stretch")
    st.caption(t("entity_timeline_note", lang))

left, right = st.columns([3, 2])
with left:
    st.subheader(t("entity_agencies", lang))
    st.table(
        pd.DataFrame(
            {
                t("agency", lang): agencies[name_col],
                t("signals", lang): [fmt_int(v, lang) for v in agencies["signals"]],
                t("first_seen", lang): [fmt_date(v, lang) for v in agencies["first_observed"]],
                t("last_seen", lang): [fmt_date(v, lang) for v in agencies["last_observed"]],
                t("roles", lang): agencies["roles"],
            }
        ).set_index(t("agency", lang))
    )
    st.subheader(t("interventions", lang))
    if interventions.empty:
        st.caption(t("no_interventions", lang))
    else:
        st.table(
            pd.DataFrame(
                {
                    t("decided_on", lang): [fmt_date(v, lang) for v in interventions["decided_on"]],
                    t("agency", lang): interventions["agency"],
                    t("intervention_type", lang): interventions["intervention_type"],
                    t("outcome", lang): interventions["outcome"],
                    t("target", lang): [
                        t("target_entity", lang) if tg == "entity" else f"{t('network', lang)} {c}"
                        for tg, c in zip(
                            interventions["target"], interventions["network_code"], strict=True
                        )
                    ],
                }
            ).set_index(t("decided_on", lang))
        )
with right:
    st.subheader(t("entity_graph", lang))
    nodes, edges = layout(profile["display_name"], networks, linked)
    kind_labels = {k: t("graph_" + k, lang) for k in ("entity", "network", "linked")}
    charts.show(network_chart(nodes, edges, kind_labels), width="stretch")

st.subheader(t("linked_entities", lang))
event = st.dataframe(
    pd.DataFrame(
        {
            t("entity", lang): linked["display_name"],
            t("kind", lang): [t("kind_" + k, lang) for k in linked["kind"]],
            t("roles", lang): linked["roles"],
            t("shared_signals", lang): linked["shared_signals"],
        }
    ),
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="gekoppeld",
)
st.caption(t("linked_click_hint", lang))
if event and event.selection.rows:
    other = int(linked.iloc[event.selection.rows[0]]["entity_id"])
    st.switch_page(
        str(HERE / "entity.py"),
        query_params={**filters.to_query(), "lang": lang, "entiteit": str(other)},
    )

if profile["facilitator_category"]:
    st.subheader(t("score_explained", lang))
    # the facilitators page's ranking under the default weights (its reads cached under the
    # same key: coming from the ranking they are there already)
    ranked = cached_ranking(viewer, filters)
    mine = ranked[ranked["entity_id"] == entity_id]
    if mine.empty:
        st.caption(t("no_score_in_period", lang))
    else:
        row = mine.iloc[0]
        weights = scoring.Weights().as_dict()
        st.markdown(
            t("score_line", lang).format(
                score=fmt_decimal(row["score"], lang, 1),
                own=fmt_decimal(row["own_score"], lang, 1),
                rank=int(row["rank_in_category"]),
                category=profile["category_" + lang] or profile["facilitator_category"],
            )
        )
        raw_values = {
            "agencies": fmt_int(row["agencies"], lang),
            "networks": fmt_int(row["networks"], lang),
            "volume": fmt_decimal(row["volume"], lang, 1),
            "money": fmt_eur(row["money"], lang),
            "severity": fmt_decimal(row["severity"], lang, 2),
        }
        st.table(
            pd.DataFrame(
                {
                    t("component", lang): [t("comp_" + c, lang) for c in scoring.COMPONENTS],
                    t("raw_value", lang): [raw_values[c] for c in scoring.COMPONENTS],
                    t("normalised", lang): [
                        fmt_decimal(row[f"n_{c}"], lang, 2) for c in scoring.COMPONENTS
                    ],
                    t("weight", lang): [
                        fmt_decimal(100 * weights[c], lang, 0) + " %" for c in scoring.COMPONENTS
                    ],
                    t("points", lang): [
                        fmt_decimal(row[f"p_{c}"], lang, 1) for c in scoring.COMPONENTS
                    ],
                }
            ).set_index(t("component", lang))
        )
