"""Briefing sections built on the analyst views: indicators with their anomalies, top
facilitators per category and a hotspot map. The same query functions as the pages, so a number
means the same on screen and on paper; managers get what their role may see (suppressed counts,
facilitator categories without names)."""

from __future__ import annotations

import altair as alt
import h3
import pandas as pd

from dashboard.briefing import Block, Chart, Context, Section, Table, Text, register
from dashboard.i18n import fmt_int, t
from warehouse.indicators import BY_CODE
from warehouse.queries import facilitators, geo, indicators

TOP_PER_CATEGORY = 3
TOP_ANOMALIES = 10


def indicators_section(ctx: Context) -> list[Block]:
    anomalies = indicators.current_anomalies(conn=ctx.conn, viewer=ctx.viewer, filters=ctx.filters)
    kpis = indicators.indicator_kpis(conn=ctx.conn, viewer=ctx.viewer, filters=ctx.filters)
    lang = ctx.lang
    blocks: list[Block] = []
    if not kpis.empty:
        rows = tuple(
            (
                BY_CODE[r["indicator"]].name(lang),
                ctx.count(r.get("current")),
                ctx.count(r.get("previous")),
                fmt_int(int(r.get("flagged_regions") or 0), lang),
            )
            for r in kpis.to_dict("records")
        )
        blocks.append(
            Table(
                (
                    t("briefing_indicator", lang),
                    t("briefing_this_month", lang),
                    t("briefing_month_before", lang),
                    t("briefing_regions_flagged", lang),
                ),
                rows,
            )
        )
    if anomalies.empty:
        blocks.append(Text(t("briefing_no_anomalies", lang)))
        return blocks
    top = anomalies.head(TOP_ANOMALIES)
    rows = tuple(
        (
            BY_CODE[r["indicator"]].name(lang),
            str(r["region_code"]),
            ctx.count(r["count"]),
            ctx.count(round(float(r["expected"]), 1) if pd.notna(r["expected"]) else None),
        )
        for r in top.to_dict("records")
    )
    blocks.append(Text(t("briefing_anomalies", lang)))
    blocks.append(
        Table(
            (
                t("briefing_indicator", lang),
                t("region", lang),
                t("signals", lang),
                t("briefing_expected", lang),
            ),
            rows,
        )
    )
    return blocks


def facilitators_section(ctx: Context) -> list[Block]:
    lang = ctx.lang
    if not ctx.viewer.sees_rows:
        # Managers: categories only, suppressed like on screen; never a name.
        summary = facilitators.category_summary(
            conn=ctx.conn, viewer=ctx.viewer, filters=ctx.filters
        )
        rows = tuple(
            (str(r["category"]) or "–", ctx.count(r["facilitators"]), ctx.count(r["signals"]))
            for r in summary.to_dict("records")
        )
        return [
            Text(t("briefing_facilitators_no_names", lang)),
            Table(
                (t("category", lang), t("briefing_facilitators", lang), t("signals", lang)), rows
            ),
        ]
    # ranks, scores and components of the period; the briefing shows no rank change
    ranked = facilitators.facilitator_ranking(
        conn=ctx.conn, viewer=ctx.viewer, filters=ctx.filters, with_change=False
    )
    if ranked.empty:
        return [Text(t("no_data_period", lang))]
    top = ranked[ranked["rank_in_category"] <= TOP_PER_CATEGORY].sort_values(
        ["category", "rank_in_category"]
    )
    names = facilitators.entity_names(
        conn=ctx.conn, viewer=ctx.viewer, ids=tuple(int(i) for i in top["entity_id"])
    )
    named: tuple[tuple[str, ...], ...] = tuple(
        (
            str(r["category"]),
            str(int(r["rank_in_category"])),
            str(names.get(int(r["entity_id"]), "")),
            f"{float(r['score']):.0f}",
            fmt_int(int(r["agencies"]), lang),
            fmt_int(int(r["networks"]), lang),
        )
        for r in top.to_dict("records")
    )
    return [
        Table(
            (
                t("category", lang),
                "#",
                t("briefing_name", lang),
                "Score",
                t("agencies", lang),
                t("networks", lang),
            ),
            named,
        )
    ]


def hotspot_section(ctx: Context) -> list[Block]:
    """Coarse H3 cells (resolution 5) as circles on longitude/latitude: a map without tiles."""
    cells = geo.hexagons(conn=ctx.conn, viewer=ctx.viewer, filters=ctx.filters, resolution=5)
    cells = cells.dropna(subset=["signals"])
    if cells.empty:
        return [Text(t("no_data_period", ctx.lang))]
    centres = [h3.cell_to_latlng(c) for c in cells["cell"]]
    points = pd.DataFrame(
        {
            "lat": [c[0] for c in centres],
            "lon": [c[1] for c in centres],
            "signals": cells["signals"].astype(float).to_numpy(),
            "place": cells["municipality"].fillna("").to_numpy(),
        }
    )
    chart = (
        alt.Chart(points)
        .mark_circle(opacity=0.7, color="#b2182b")
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            size=alt.Size(
                "signals:Q", title=t("signals", ctx.lang), scale=alt.Scale(range=[10, 900])
            ),
        )
        .project(type="mercator")
        .properties(width=300, height=340)
    )
    top = points.sort_values("signals", ascending=False).head(8)
    rows = tuple((str(r["place"]) or "–", ctx.count(r["signals"])) for r in top.to_dict("records"))
    return [
        Chart(chart, width_cm=10.0),
        Table((t("municipality", ctx.lang), t("signals", ctx.lang)), rows),
    ]


register(
    Section(
        "indicators",
        {"nl": "Corruptie- en geweldsindicatoren", "en": "Corruption and violence indicators"},
        indicators_section,
    ),
    before="added_value",
)
register(
    Section(
        "facilitators",
        {"nl": "Belangrijkste facilitators per categorie", "en": "Top facilitators per category"},
        facilitators_section,
    ),
    before="added_value",
)
register(
    Section("hotspots", {"nl": "Brandhaarden", "en": "Hotspots"}, hotspot_section),
    before="added_value",
)
