"""Render briefing sections to PDF (reportlab), with the classification banner on every page.
Invariant mode: the same content gives the same bytes (no clock, fixed document id)."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    Image,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)
from reportlab.platypus import (
    Table as PdfTable,
)
from reportlab.platypus import (
    TableStyle as PdfTableStyle,
)

from dashboard.briefing import SECTIONS, Block, Chart, Figures, Table, Text, chart_png
from dashboard.i18n import fmt_month, t
from warehouse.period import Period
from warehouse.settings import get_settings
from warehouse.viewer import Viewer

RIJKSBLAUW = colors.HexColor("#154273")


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("t", parent=base["Title"], textColor=RIJKSBLAUW, fontSize=24),
        "h1": ParagraphStyle("h1", parent=base["Heading1"], textColor=RIJKSBLAUW),
        "body": ParagraphStyle("b", parent=base["BodyText"], fontSize=10, leading=14),
        "cover": ParagraphStyle("c", parent=base["BodyText"], fontSize=13, leading=18),
        "small": ParagraphStyle("s", parent=base["BodyText"], fontSize=8, leading=10),
    }


def _banner(canvas: Any, doc: Any) -> None:
    text = get_settings().briefing_classification
    width, height = A4
    canvas.saveState()
    canvas.setFillColor(colors.HexColor("#b00020"))
    canvas.setFont("Helvetica-Bold", 10)
    canvas.drawCentredString(width / 2, height - 1.1 * cm, text)
    canvas.drawCentredString(width / 2, 0.9 * cm, text)
    canvas.setFillColor(colors.grey)
    canvas.setFont("Helvetica", 8)
    canvas.drawRightString(width - 2 * cm, 0.9 * cm, str(doc.page))
    canvas.restoreState()


WIDTH = 17 * cm


def _table(
    columns: tuple[str, ...] | None, rows: tuple[tuple[str, ...], ...], style: Any
) -> PdfTable:
    data = [[Paragraph(f"<b>{escape(c)}</b>", style) for c in columns]] if columns else []
    data += [[Paragraph(escape(v), style) for v in row] for row in rows]
    n = len(data[0]) if data else 1
    first = min(5 * cm, WIDTH / n) if n > 3 else WIDTH / n
    widths = [first] + [(WIDTH - first) / max(1, n - 1)] * (n - 1)
    table = PdfTable(data, repeatRows=1 if columns else 0, hAlign="LEFT", colWidths=widths)
    table.setStyle(
        PdfTableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, RIJKSBLAUW),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#eef2f7")]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _flowables(block: Block, styles: dict[str, ParagraphStyle]) -> list[Any]:
    if isinstance(block, Text):
        return [Paragraph(escape(block.text), styles["body"]), Spacer(1, 0.2 * cm)]
    if isinstance(block, Figures):
        rows = tuple((f.label, f.value, f.change) for f in block.figures)
        return [_table(None, rows, styles["cover"]), Spacer(1, 0.3 * cm)]
    if isinstance(block, Table):
        style = styles["small"] if len(block.columns) > 4 else styles["body"]
        return [_table(block.columns, block.rows, style), Spacer(1, 0.4 * cm)]
    if isinstance(block, Chart):
        png = chart_png(block.chart)
        image = Image(io.BytesIO(png))
        scale = block.width_cm * cm / image.drawWidth
        image.drawWidth *= scale
        image.drawHeight *= scale
        return [image, Spacer(1, 0.3 * cm)]
    raise TypeError(f"unknown block {block!r}")


def render(
    content: dict[str, list[Block]],
    *,
    viewer: Viewer,
    period: Period,
    regions: tuple[str, ...],
    lang: str,
) -> bytes:
    styles = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=t("briefing_title", lang),
        author="NSOC-dashboard",
        creator="NSOC-dashboard",
        invariant=1,
    )
    span = f"{fmt_month(period.start, lang)} – {fmt_month(period.end, lang)}"
    story: list[Any] = [
        Spacer(1, 4 * cm),
        Paragraph(escape(t("briefing_title", lang)), styles["title"]),
        Spacer(1, 1 * cm),
        Paragraph(
            f"<b>{escape(t('briefing_period', lang))}</b>: {period.label} ({span})", styles["cover"]
        ),
        Paragraph(
            f"<b>{escape(t('regions', lang))}</b>: "
            + escape(", ".join(regions) if regions else t("all", lang)),
            styles["cover"],
        ),
        Paragraph(
            f"<b>{escape(t('briefing_for', lang))}</b>: {escape(viewer.agency)} · "
            + escape(t("role_" + str(viewer.role), lang)),
            styles["cover"],
        ),
        Spacer(1, 1 * cm),
        Paragraph(escape(t("briefing_handling", lang)), styles["body"]),
        PageBreak(),
    ]
    titles = {s.key: s.title.get(lang) or s.title["nl"] for s in SECTIONS}
    for key, blocks in content.items():
        story.append(Paragraph(escape(titles.get(key, key)), styles["h1"]))
        for block in blocks:
            story.extend(_flowables(block, styles))
    doc.build(story, onFirstPage=_banner, onLaterPages=_banner)
    return buffer.getvalue()
