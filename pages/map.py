"""Map: signals on H3 hexagons, Dutch ports and airports, flows from ports abroad. A click on a
hexagon or port filters the whole app on its municipality."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import map_view, maps
from dashboard.coverage_ui import coverage_strip
from dashboard.definitions import definitions
from dashboard.i18n import t
from dashboard.map_view import MapChoice
from dashboard.shell import current_filters, current_viewer, language
from warehouse.filters import PARAM
from warehouse.settings import get_settings

lang = language()
viewer = current_viewer()
filters = current_filters()
settings = maps.map_settings()
k = get_settings().suppression_k
SELECTION_KEY = "kaart_selectie"

st.title(t("map_title", lang))
st.caption(t("map_intro", lang))
if settings.offline:
    st.info(t("map_offline", lang), icon=":material/wifi_off:")
coverage_strip(viewer, filters, lang)
definitions(["map_hexagons", "map_flows", "signals", "amount", "suppression"], lang)


def apply_selection() -> None:
    """Runs before the next run draws the sidebar: set the bound filters from the click."""
    event = st.session_state.get(SELECTION_KEY)
    picked = maps.selected_places(getattr(event, "selection", None) or {})
    if not picked:
        return
    st.session_state[PARAM["municipalities"]] = [code for code, _ in picked]
    st.session_state[PARAM["regions"]] = sorted({r for _, r in picked if r})
    st.session_state["kaart_gefilterd"] = [code for code, _ in picked]


def count(value: object) -> str:
    return map_view.count(value, lang, k)


def euro(value: object) -> str:
    return map_view.euro(value, lang)


metrics = {"signals": t("signals", lang), "amount_eur": t("amount_eur", lang)}
metrics["high_severity"] = t("high_severity", lang)
c1, c2, c3 = st.columns([2, 1, 2])
metric = c1.segmented_control(
    t("map_metric", lang),
    list(metrics),
    format_func=metrics.get,
    default="signals",
    key="kaart_maat",
)
resolution = c2.segmented_control(
    t("map_resolution", lang),
    [7, 5],
    format_func=lambda r: t(f"map_res_{r}", lang),
    default=7,
    key="kaart_resolutie",
)
kinds = {"all": t("flows_all", lang), "smuggling": t("flows_smuggling", lang)}
kinds["money"] = t("flows_money", lang)
kind = c3.segmented_control(
    t("map_flow_kind", lang), list(kinds), format_func=kinds.get, default="all", key="kaart_stroom"
)
metric = metric or "signals"
resolution = resolution or 7
kind = kind or "all"

toggles = st.columns(5)
show = {
    "hexagons": toggles[0].checkbox(t("layer_hexagons", lang), value=True, key="laag_hex"),
    "nodes": toggles[1].checkbox(t("layer_nodes", lang), value=True, key="laag_havens"),
    "flows": toggles[2].checkbox(t("layer_flows", lang), value=True, key="laag_stromen"),
    "places": toggles[3].checkbox(t("layer_places", lang), value=True, key="laag_namen"),
}
world = toggles[4].toggle(t("map_world", lang), value=False, key="kaart_wereld")

choice = MapChoice(
    metric=metric,
    resolution=int(resolution),
    kind=kind,
    layers=tuple(layer for layer, on in show.items() if on),
    world=world,
)
deck, grey = map_view.cached_deck(viewer, filters, choice, settings, lang, k)
st.pydeck_chart(
    deck,
    on_select=apply_selection,
    selection_mode="multi-object",
    key=SELECTION_KEY,
    height=620,
)
picked = st.session_state.pop("kaart_gefilterd", None)
if picked:
    st.success(t("map_filtered", lang).format(codes=", ".join(picked)))
st.caption(t("map_click_hint", lang))
if grey:
    st.caption(t("suppressed_note", lang).format(k=k))

ports, arcs = map_view.ports_and_flows(viewer, filters, choice)

left, right = st.columns(2)
with left:
    st.subheader(t("top_ports", lang))
    busiest = ports.sort_values("signals", ascending=False, na_position="last").head(10)
    st.table(
        pd.DataFrame(
            {
                t("node", lang): busiest["name"],
                t("municipality", lang): busiest["municipality"],
                t("signals", lang): [count(v) for v in busiest["signals"]],
                t("amount_eur", lang): [euro(v) for v in busiest["amount_eur"]],
            }
        ).set_index(t("node", lang))
    )
with right:
    st.subheader(t("top_flows", lang))
    top = arcs.head(10)
    st.table(
        pd.DataFrame(
            {
                t("flow", lang): map_view.flow_label(top),
                t("flow_kind", lang): [t("flows_" + fk, lang) for fk in top["flow_kind"]],
                t("signals", lang): [count(v) for v in top["signals"]],
                t("amount_eur", lang): [euro(v) for v in top["amount_eur"]],
            }
        ).set_index(t("flow", lang))
    )
