"""The management briefing: an ordered registry of sections, each a function of the context
(connection, viewer, filters, period) that returns content blocks (text, figures, a table, an
Altair chart), rendered to PDF with reportlab; charts become PNG offline with vl-convert.

The views of other issues add their sections with `register(Section(...), before="coverage")`
(a phenomenon heatmap, indicators with anomalies, top facilitators, a hotspot map): a section
uses the same query functions as its view, so a number means the same on screen and on paper.

The same data and settings give the same document: reportlab runs in invariant mode (fixed
creation date and document id) and nothing in the text depends on the clock. No Streamlit here:
the page and `nsoc briefing` both call `make_briefing`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import altair as alt
import pandas as pd
from sqlalchemy import Connection, Engine

from dashboard.i18n import fmt_date, fmt_int, t
from warehouse import audit
from warehouse.filters import Filters
from warehouse.period import Period
from warehouse.queries import briefing as queries
from warehouse.queries.coverage import coverage
from warehouse.scoped import app_engine, scoped
from warehouse.settings import get_settings
from warehouse.viewer import Viewer


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    change: str  # against the previous period, e.g. "+12,5 %" or "–"


@dataclass(frozen=True)
class Figures:
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    chart: alt.TopLevelMixin
    width_cm: float = 16.0


Block = Text | Figures | Table | Chart


@dataclass(frozen=True)
class Context:
    conn: Connection
    viewer: Viewer
    filters: Filters  # the period and regions
    previous: Filters  # the period before, same regions
    period: Period
    lang: str

    def count(self, value: object) -> str:
        """A count as the viewer may see it: "< k" where it was suppressed."""
        if value is None or pd.isna(value):  # type: ignore[call-overload]
            return f"< {get_settings().suppression_k}"
        return fmt_int(float(value), self.lang)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Section:
    key: str
    title: dict[str, str]  # per language
    build: Callable[[Context], list[Block]]


SECTIONS: list[Section] = []


def register(section: Section, *, before: str | None = None) -> None:
    """Add (or replace) a section, at the end or before the section with key `before`."""
    existing = [s.key for s in SECTIONS]
    if section.key in existing:
        SECTIONS[existing.index(section.key)] = section
        return
    if before in existing:
        SECTIONS.insert(existing.index(before), section)
    else:
        SECTIONS.append(section)


def change(current: object, previous: object, lang: str) -> str:
    if any(v is None or pd.isna(v) for v in (current, previous)) or not previous:  # type: ignore[call-overload]
        return "–"
    pct = (float(current) - float(previous)) / float(previous) * 100  # type: ignore[arg-type]
    text = f"{pct:+.1f} %"
    return text.replace(".", ",") if lang == "nl" else text


def euros(value: object, lang: str) -> str:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return f"< {get_settings().suppression_k}"
    return "€ " + fmt_int(float(value), lang)  # type: ignore[arg-type]


# --- the sections this issue provides -------------------------------------------------------


def headline_section(ctx: Context) -> list[Block]:
    now = queries.headline(conn=ctx.conn, viewer=ctx.viewer, filters=ctx.filters).iloc[0]
    before = queries.headline(conn=ctx.conn, viewer=ctx.viewer, filters=ctx.previous).iloc[0]
    lang = ctx.lang
    figures = (
        Figure(
            t("signals", lang), ctx.count(now.signals), change(now.signals, before.signals, lang)
        ),
        Figure(
            t("briefing_amount", lang),
            euros(now.amount_eur, lang),
            change(now.amount_eur, before.amount_eur, lang),
        ),
        Figure(
            t("briefing_high_severity", lang),
            ctx.count(now.high_severity),
            change(now.high_severity, before.high_severity, lang),
        ),
        Figure(
            t("municipalities", lang),
            fmt_int(int(now.municipalities), lang),
            change(now.municipalities, before.municipalities, lang),
        ),
    )
    note = t("briefing_change_note", lang).format(previous=ctx.period.previous().label)
    return [Figures(figures), Text(note)]


def phenomenon_region_section(ctx: Context) -> list[Block]:
    df = queries.phenomenon_by_region(conn=ctx.conn, viewer=ctx.viewer, filters=ctx.filters)
    if df.empty:
        return [Text(t("no_data_period", ctx.lang))]
    categories = sorted(df["category"].unique())
    grid = df.pivot(index="region_name", columns="category", values="signals")
    shown = df.pivot(index="region_name", columns="category", values="suppressed")
    rows = tuple(
        (str(region),)
        + tuple(
            (ctx.count(None) if bool(shown.loc[region, c]) else ctx.count(grid.loc[region, c]))
            if pd.notna(shown.loc[region, c])
            else "0"
            for c in categories
        )
        for region in grid.index
    )
    columns = (t("region", ctx.lang), *[t("category_" + c, ctx.lang) for c in categories])
    chart = (
        alt.Chart(df[["region_name", "category"]].assign(value=df["signals"].astype(float)))
        .mark_rect()
        .encode(
            x=alt.X("category:N", title=None, sort=categories),
            y=alt.Y("region_name:N", title=None),
            color=alt.Color(
                "value:Q", title=t("signals", ctx.lang), scale=alt.Scale(scheme="blues")
            ),
        )
        .properties(width=360, height=260)
    )
    return [Chart(chart), Table(columns, rows)]


def added_value_section(ctx: Context) -> list[Block]:
    df = queries.added_value(conn=ctx.conn, viewer=ctx.viewer, filters=ctx.filters)
    lang = ctx.lang
    own = df[df["source"] == "own"]["signals"].sum(min_count=1)
    partners = df[df["source"] == "partners"]["signals"].sum(min_count=1)
    blocks: list[Block] = []
    if pd.notna(own) and pd.notna(partners) and (own + partners) > 0:
        share = partners / (own + partners) * 100
        text = f"{share:.0f}"
        blocks.append(Text(t("briefing_added_value", lang).format(share=text)))
    rows = []
    for category in sorted(df["category"].unique()):
        part = df[df["category"] == category].set_index("source")
        rows.append(
            (
                t("category_" + category, lang),
                ctx.count(part["signals"].get("own", 0)),
                ctx.count(part["signals"].get("partners", 0)),
            )
        )
    columns = (t("category", lang), t("briefing_own", lang), t("briefing_partners", lang))
    return [*blocks, Table(columns, tuple(rows))]


def coverage_section(ctx: Context) -> list[Block]:
    df = coverage(conn=ctx.conn, viewer=ctx.viewer, filters=ctx.filters)
    name = "name_nl" if ctx.lang == "nl" else "name_en"
    rows = tuple(
        (
            str(r[name]),
            ctx.count(r["signals"]),
            fmt_date(None if pd.isna(r["latest_overall"]) else r["latest_overall"], ctx.lang),
        )
        for _, r in df.iterrows()
    )
    columns = (t("agency", ctx.lang), t("signals", ctx.lang), t("data_until", ctx.lang))
    method = t("briefing_method", ctx.lang).format(k=get_settings().suppression_k)
    return [Text(method), Table(columns, rows), Text(t("coverage_note", ctx.lang))]


register(Section("headline", {"nl": "Kerncijfers", "en": "Headline figures"}, headline_section))
register(
    Section(
        "phenomenon_region",
        {"nl": "Fenomenen per regio", "en": "Phenomena by region"},
        phenomenon_region_section,
    )
)
register(
    Section(
        "added_value",
        {"nl": "Meerwaarde van het delen", "en": "Added value of sharing"},
        added_value_section,
    )
)
register(
    Section(
        "coverage",
        {"nl": "Methode en dekking", "en": "Method and coverage"},
        coverage_section,
    )
)


# --- making the document ---------------------------------------------------------------------


@dataclass(frozen=True)
class Briefing:
    pdf: bytes
    sha256: str
    sections: dict[str, list[Block]] = field(default_factory=dict)


def period_filters(period: Period, regions: tuple[str, ...]) -> tuple[Filters, Filters]:
    current = Filters(start=period.start, end=period.end, regions=regions)
    before = period.previous()
    return current, replace(current, start=before.start, end=before.end)


def build(
    conn: Connection, viewer: Viewer, period: Period, regions: tuple[str, ...], lang: str
) -> dict[str, list[Block]]:
    from dashboard import briefing_views  # noqa: F401 - registers the view sections

    current, previous = period_filters(period, regions)
    ctx = Context(conn, viewer, current, previous, period, lang)
    return {s.key: s.build(ctx) for s in SECTIONS}


def make_briefing(
    viewer: Viewer,
    period: Period,
    *,
    regions: tuple[str, ...] = (),
    lang: str = "nl",
    via: str = "app",
    engine: Engine | None = None,
) -> Briefing:
    """Build every section for this viewer, render the PDF and audit it (action "briefing")."""
    engine = engine or app_engine()
    with scoped(viewer, engine=engine) as conn:
        content = build(conn, viewer, period, regions, lang)
    from dashboard.briefing_pdf import render

    pdf = render(content, viewer=viewer, period=period, regions=regions, lang=lang)
    digest = hashlib.sha256(pdf).hexdigest()
    audit.record(
        engine,
        action="briefing",
        viewer=viewer,
        details={
            "period": period.label,
            "regions": list(regions),
            "sections": list(content),
            "lang": lang,
            "via": via,
            "sha256": digest,
            "bytes": len(pdf),
        },
    )
    return Briefing(pdf=pdf, sha256=digest, sections=content)


def chart_png(chart: Any) -> bytes:
    """An Altair chart as PNG, offline."""
    import vl_convert

    return bytes(vl_convert.vegalite_to_png(chart.to_json(), scale=2))
