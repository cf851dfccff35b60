"""The executive summary as an editable PowerPoint deck (python-pptx).

Built from the executive summary's own context (`results.documents.executive_summary`
over the results page), so a slide never says something the PDF and the page do not.
Charts are native PowerPoint charts carrying their data (a consultant can restyle or
re-plot them in PowerPoint), never pictures. Every number is rounded by
`common.display.display_round` and money written by `format_money`, as everywhere.

Eight slides: title; at a glance; radar; dimension bars; what moves you to the next
phase; risks and mitigations; ROI against the bands; roadmap phases.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from PIL import Image
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from common.display import display_round, format_score

from .documents_text import (
    criterion_status,
    dimension_status,
    long_date,
    percentile_text,
    phase_position,
    roi_position,
    short_date,
)
from .templatetags.report_i18n import mid_sentence

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.6)
TITLE_TOP, BODY_TOP = Inches(0.35), Inches(1.45)
BODY_HEIGHT = HEIGHT - BODY_TOP - Inches(0.75)
INK = RGBColor(0x1B, 0x22, 0x2C)
MUTED = RGBColor(0x5B, 0x65, 0x70)
GREY = RGBColor(0xBF, 0xC5, 0xCC)
LIGHT = RGBColor(0xF1, 0xF3, 0xF5)
# Status colours are fixed, never the brand's: red, amber, green, always with a word.
STATUS = {
    "good": RGBColor(0x1E, 0x7B, 0x3C),
    "warn": RGBColor(0xA8, 0x62, 0x00),
    "bad": RGBColor(0xB4, 0x23, 0x18),
}
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


@dataclass(frozen=True)
class Deck:
    content: bytes
    slides: int


def build_deck(context: dict, *, logo_path: str | None = None) -> Deck:
    """The deck for an executive summary context (`rendering.build_context`)."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = WIDTH, HEIGHT
    brand = RGBColor.from_string(context["branding"]["color"].lstrip("#").upper())
    deck = _Builder(presentation, context, brand, logo_path)
    for slide in (
        deck.title_slide,
        deck.at_a_glance,
        deck.radar,
        deck.dimension_bars,
        deck.next_phase,
        deck.risks,
        deck.roi,
        deck.roadmap,
    ):
        slide()
    presentation.core_properties.title = deck.title
    presentation.core_properties.author = context["branding"]["firm_name"] or "AI Scaling Maturity"
    presentation.core_properties.subject = context["organization"].name
    out = io.BytesIO()
    presentation.save(out)
    return Deck(out.getvalue(), len(presentation.slides))


class _Builder:
    def __init__(self, presentation, context: dict, brand: RGBColor, logo_path: str | None):
        self.presentation = presentation
        self.context = context
        self.brand = brand
        self.logo_path = logo_path
        organization = context["organization"].name
        self.title = _("%(organization)s: AI scaling maturity, executive summary") % {
            "organization": organization
        }

    # --- slides -------------------------------------------------------------------------

    def title_slide(self) -> None:
        c = self.context
        slide = self.presentation.slides.add_slide(self.presentation.slide_layouts[TITLE_LAYOUT])
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, WIDTH, Inches(0.35))
        _fill(band, self.brand)
        slide.shapes.title.text = c["organization"].name
        _style(slide.shapes.title.text_frame, size=40, bold=True, color=INK)
        subtitle = slide.placeholders[1]
        bank = _("question bank %(version)s") % {"version": c["bank_version"]}
        lines = [
            _("AI scaling maturity: executive summary"),
            f"{c['assessment'].title} · {long_date(c['today'])} · {bank}",
            c["edition_label"]
            + (" · " + _("provisional: the assessment is open") if c["provisional"] else ""),
        ]
        if c["branding"]["firm_name"]:
            lines.insert(0, _("Prepared by %(firm)s") % {"firm": c["branding"]["firm_name"]})
        _lines(subtitle.text_frame, lines, size=18, color=MUTED)
        if self.logo_path:
            _logo(
                slide,
                self.logo_path,
                box=(WIDTH - Inches(3.6), Inches(0.7), Inches(3), Inches(1.2)),
            )
        self._footer(slide)

    def at_a_glance(self) -> None:
        c = self.context
        slide = self._slide(_("At a glance"))
        overall = c["summary"]["overall"]
        placement = c["placement"]["placement"]
        peers = c["benchmarks"].peers
        kpis = [
            (format_score(overall["index"]), _("AI scaling index (0–100)")),
            (
                f"L{overall['level']}" if overall["level"] is not None else "—",
                _("Maturity level: %(name)s") % {"name": overall["level_name"]}
                if overall["level_name"]
                else _("Maturity level: no answers yet"),
            ),
            (str(placement.phase), _("Roadmap phase: %(name)s") % {"name": placement.phase_name}),
            percentile_text(peers, c["benchmarks"].min_cohort),
        ]
        width = (WIDTH - 2 * MARGIN - Inches(0.6)) / 4
        for i, (value, label) in enumerate(kpis):
            left = MARGIN + i * (width + Inches(0.2))
            box = slide.shapes.add_shape(
                MSO_SHAPE.ROUNDED_RECTANGLE, left, BODY_TOP, width, Inches(1.5)
            )
            _fill(box, LIGHT, line=self.brand)
            frame = box.text_frame
            _lines(frame, [value, label], size=14, color=INK)
            _style_run(frame.paragraphs[0], size=32, bold=True, color=self.brand)
            for p in frame.paragraphs:
                p.alignment = PP_ALIGN.CENTER
        findings = c.get("findings") or []
        box = self._text(slide, MARGIN, BODY_TOP + Inches(1.8), WIDTH - 2 * MARGIN, Inches(3.6))
        _lines(box, [_("Key findings"), *findings], size=16, color=INK, bullets_from=1)
        _style_run(box.paragraphs[0], size=18, bold=True, color=INK)

    def radar(self) -> None:
        c = self.context
        slide = self._slide(_("The seven dimensions against peers"))
        dimensions = c["dimensions"]
        data = CategoryChartData(number_format="0.0")
        data.categories = [d["title"] for d in dimensions]
        data.add_series(_("Your score"), [_value(d["score"]) for d in dimensions])
        medians = self._medians()
        if medians:
            data.add_series(_("Peer median"), [_value(medians.get(d["key"])) for d in dimensions])
        frame = slide.shapes.add_chart(
            XL_CHART_TYPE.RADAR_MARKERS,
            MARGIN - Inches(0.3),
            BODY_TOP - Inches(0.2),
            Inches(8.4),
            BODY_HEIGHT + Inches(0.3),
            data,
        )
        chart = frame.chart
        chart.has_title = False
        _legend(chart)
        axis = chart.value_axis
        axis.minimum_scale, axis.maximum_scale, axis.major_unit = 0, 100, 25
        axis.tick_labels.font.size = Pt(10)
        chart.category_axis.tick_labels.font.size = Pt(11)
        _series_colours(chart, [self.brand, MUTED])
        note = self._text(slide, MARGIN + Inches(8), BODY_TOP, Inches(4.1), BODY_HEIGHT)
        peers = c["benchmarks"].peers
        lines = [
            _("Scores 0–100, one axis per dimension in a fixed order."),
            _("Peer median: %(cohort)s, n = %(size)s.")
            % {"cohort": mid_sentence(peers["label"]), "size": peers["size"]}
            if medians
            else _(
                "No peer median: fewer than %(n)s comparable organizations have a closed "
                "assessment."
            )
            % {"n": c["benchmarks"].min_cohort},
            *(
                _("%(dimension)s: not enough answers to score.") % {"dimension": d["title"]}
                for d in dimensions
                if d["insufficient"] or d["score"] is None
            ),
        ]
        _lines(note, lines, size=14, color=MUTED)

    def dimension_bars(self) -> None:
        c = self.context
        slide = self._slide(_("Score by dimension"))
        dimensions = c["dimensions"]
        data = CategoryChartData(number_format="0.0")
        # Bottom to top in a bar chart: reversed, so the first dimension reads first.
        ordered = list(reversed(dimensions))
        data.categories = [d["title"] for d in ordered]
        data.add_series(_("Your score"), [_value(d["score"]) for d in ordered])
        medians = self._medians()
        if medians:
            data.add_series(_("Peer median"), [_value(medians.get(d["key"])) for d in ordered])
        chart = slide.shapes.add_chart(
            XL_CHART_TYPE.BAR_CLUSTERED, MARGIN, BODY_TOP, Inches(8.2), BODY_HEIGHT, data
        ).chart
        chart.has_title = False
        _legend(chart)
        axis = chart.value_axis
        axis.minimum_scale, axis.maximum_scale, axis.major_unit = 0, 100, 20
        axis.has_major_gridlines = True
        chart.category_axis.tick_labels.font.size = Pt(11)
        chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
        plot = chart.plots[0]
        plot.gap_width = 60
        plot.has_data_labels = True
        plot.data_labels.number_format = "0.0"
        plot.data_labels.number_format_is_linked = False
        plot.data_labels.font.size = Pt(10)
        _series_colours(chart, [self.brand, GREY])
        table = self._table(
            slide,
            [_("Dimension"), _("Status")],
            [[d["title"], dimension_status(d)] for d in dimensions],
            left=MARGIN + Inches(8.5),
            width=Inches(3.6),
            widths=[2.3, 1.3],
        )
        del table

    def next_phase(self) -> None:
        c = self.context
        placement = c["placement"]["placement"]
        if not placement.next_phase:
            slide = self._slide(_("What moves you next"))
            box = self._text(slide, MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, Inches(1))
            _lines(
                box,
                [
                    _(
                        "You are in phase %(phase)s, %(name)s: every gate is met. Keep "
                        "monitoring returns and re-assess regularly."
                    )
                    % {"phase": placement.phase, "name": placement.phase_name}
                ],
                size=18,
                color=INK,
            )
            return
        slide = self._slide(
            _("What moves you to phase %(phase)s, %(name)s")
            % {"phase": placement.next_phase, "name": placement.next_phase_name}
        )
        rows = []
        for item in c["next_gate"]:
            criterion = item["criterion"]
            rows.append(
                [item["label"], *criterion_status(criterion)],
            )
        self._table(
            slide,
            [
                _("Criterion"),
                _("Required"),
                _("Actual"),
                pgettext("difference to a requirement", "Gap"),
                _("Status"),
            ],
            rows,
            width=Inches(7.2),
            widths=[2.4, 1.3, 1.5, 0.7, 1.3],
        )
        quick = [r["recommendation"].action for r in c.get("quick_wins", [])]
        strategic = [r["recommendation"].action for r in c.get("strategic", [])]
        box = self._text(
            slide, MARGIN + Inches(7.5), BODY_TOP, WIDTH - 2 * MARGIN - Inches(7.5), BODY_HEIGHT
        )
        quick_title, strategic_title = _("Quick wins (0–90 days)"), _("Strategic moves")
        lines = [quick_title, *(quick or [_("None ranked.")])]
        lines += [strategic_title, *(strategic or [_("None ranked.")])]
        _lines(box, lines, size=14, color=INK)
        for p in box.paragraphs:
            if p.text in (quick_title, strategic_title):
                _style_run(p, size=16, bold=True, color=self.brand)
            else:
                _bullet(p)

    def risks(self) -> None:
        c = self.context
        slide = self._slide(_("Risks and mitigations"))
        pitfalls = c["pitfalls"]
        if not pitfalls:
            box = self._text(slide, MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, Inches(1))
            _lines(
                box,
                [
                    _(
                        "No pitfall is triggered: no question tagged with a pitfall has a "
                        "median of level 2 or lower."
                    )
                ],
                size=18,
                color=INK,
            )
            return
        questions = c.get("pitfall_questions", {})
        self._table(
            slide,
            [_("Risk"), _("Mitigation"), _("Triggered by")],
            [
                [
                    f"✗ {p['title']}",
                    p["mitigation"],
                    "; ".join(q.text for q in questions.get(p["key"], [])[:2]),
                ]
                for p in pitfalls
            ],
            widths=[2.6, 3.8, 5.7],
            size=12,
        )

    def roi(self) -> None:
        c = self.context
        slide = self._slide(_("Returns against the benchmark bands"))
        roi = c["benchmarks"].roi
        bands = roi["bands"]
        if not bands:
            box = self._text(slide, MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, Inches(1))
            _lines(box, [_("The benchmark bands are not loaded.")], size=18, color=INK)
            return
        data = CategoryChartData(number_format='0"%"')
        ordered = list(reversed(bands))
        data.categories = [b["title"] for b in ordered]
        data.add_series(_("Below the band"), [b["low"] for b in ordered])
        data.add_series(_("Benchmark band"), [b["high"] - b["low"] for b in ordered])
        chart = slide.shapes.add_chart(
            XL_CHART_TYPE.BAR_STACKED, MARGIN, BODY_TOP, Inches(6.2), Inches(2.9), data
        ).chart
        chart.has_title = False
        chart.has_legend = False
        chart.value_axis.minimum_scale, chart.value_axis.maximum_scale = 0, 50
        chart.value_axis.has_major_gridlines = True
        chart.category_axis.tick_labels.font.size = Pt(11)
        plot = chart.plots[0]
        plot.gap_width = 80
        offset, band = plot.series
        offset.format.fill.background()  # the bar floats from low to high
        _solid(band, self.brand)
        cells = dict(zip((b["metric"] for b in bands), roi["portfolio_cells"], strict=True))
        rows = [
            [
                b["title"],
                f"{format_score(b['low'], 0)}–{format_score(b['high'], 0)} %",
                roi_position(cells.get(b["metric"])),
            ]
            for b in bands
        ]
        self._table(
            slide,
            [_("Metric"), _("Band"), _("Your portfolio")],
            rows,
            left=MARGIN + Inches(6.5),
            width=Inches(5.6),
            widths=[2.2, 1.0, 2.4],
            size=11,
        )
        projection = c["benchmarks"].projection
        lines = []
        for row in projection["rows"]:
            lines.append(
                _("%(metric)s: %(range)s a year (%(band)s of %(basis)s).")
                % {
                    "metric": row["title"],
                    "range": row["range"],
                    "band": row["band"],
                    "basis": row["basis"],
                }
            )
        lines += [_("Not projected: %(what)s") % {"what": m} for m in projection["missing"]]
        if projection["payback"]:
            lines.append(projection["payback"]["sentence"])
        if not projection["rows"]:
            lines.append(
                _("Nothing is projected: enter the baselines with their addressable share.")
            )
        lines.append(
            projection["illustration"]
            + " "
            + _("Bands: %(sources)s") % {"sources": _sources(bands)}
        )
        box = self._text(slide, MARGIN, BODY_TOP + Inches(3.1), WIDTH - 2 * MARGIN, Inches(2.6))
        _lines(box, lines, size=13, color=INK)
        _style_run(box.paragraphs[-1], size=11, color=MUTED)

    def roadmap(self) -> None:
        c = self.context
        slide = self._slide(_("The roadmap: four phases"))
        phases = c["placement"]["phases"]
        width = (WIDTH - 2 * MARGIN) / max(len(phases), 1)
        for i, phase in enumerate(phases):
            left = MARGIN + i * width
            shape = slide.shapes.add_shape(
                MSO_SHAPE.CHEVRON if i else MSO_SHAPE.PENTAGON,
                left,
                BODY_TOP,
                width - Inches(0.05),
                Inches(1.6),
            )
            current = phase["state"] == "current"
            _fill(shape, self.brand if current else LIGHT, line=self.brand if current else GREY)
            text = shape.text_frame
            text.vertical_anchor = MSO_ANCHOR.MIDDLE
            text.margin_left = text.margin_right = Inches(0.02)
            _lines(
                text,
                [f"{phase['number']} {phase['name']}", phase["months"], phase_position(phase)],
                size=11,
                color=_on(self.brand) if current else INK,
            )
            _style_run(
                text.paragraphs[0], size=12, bold=True, color=_on(self.brand) if current else INK
            )
            for p in text.paragraphs:
                p.alignment = PP_ALIGN.CENTER
        templates = {p.phase: p for p in c.get("roadmap_reference_phases", [])}
        rows = [
            [
                f"{phase['number']} {phase['name']}",
                templates[phase["number"]].summary if phase["number"] in templates else "",
            ]
            for phase in phases
        ]
        if any(r[1] for r in rows):
            self._table(
                slide,
                [_("Phase"), _("What happens")],
                rows,
                top=BODY_TOP + Inches(1.9),
                widths=[3.0, 9.1],
                size=12,
            )
        next_steps = self._text(
            slide, MARGIN, HEIGHT - Inches(1.6), WIDTH - 2 * MARGIN, Inches(0.8)
        )
        _lines(
            next_steps,
            [
                _(
                    "Next steps: agree the quick wins with an owner and a date each, discuss "
                    "the misalignments with the executives concerned, and re-assess in three "
                    "to six months."
                )
            ],
            size=13,
            color=INK,
        )

    # --- helpers ------------------------------------------------------------------------

    def _slide(self, title: str):
        slide = self.presentation.slides.add_slide(
            self.presentation.slide_layouts[TITLE_ONLY_LAYOUT]
        )
        shape = slide.shapes.title
        shape.left, shape.top, shape.width, shape.height = (
            MARGIN,
            TITLE_TOP,
            WIDTH - 2 * MARGIN - Inches(2),
            Inches(0.9),
        )
        shape.text = title
        shape.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
        # One line above the rule: a long title ("What moves you to phase 3, …") is smaller.
        _style(shape.text_frame, size=28 if len(title) <= 36 else 24, bold=True, color=INK)
        rule = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, MARGIN, TITLE_TOP + Inches(0.95), Inches(1.2), Inches(0.06)
        )
        _fill(rule, self.brand)
        if self.logo_path:
            _logo(
                slide,
                self.logo_path,
                box=(
                    WIDTH - MARGIN - Inches(1.8),
                    TITLE_TOP + Inches(0.1),
                    Inches(1.8),
                    Inches(0.6),
                ),
            )
        self._footer(slide)
        return slide

    def _footer(self, slide) -> None:
        c = self.context
        parts = [
            c["branding"]["firm_name"],
            c["organization"].name,
            short_date(c["today"]),
            _("question bank %(version)s") % {"version": c["bank_version"]},
            c["confidential_mark"] or c["edition_label"],
        ]
        box = self._text(slide, MARGIN, HEIGHT - Inches(0.5), WIDTH - 2 * MARGIN, Inches(0.35))
        _lines(box, [" · ".join(p for p in parts if p)], size=10, color=MUTED)
        if c["confidential_mark"]:
            _style_run(box.paragraphs[0], size=10, bold=True, color=STATUS["bad"])

    def _text(self, slide, left, top, width, height):
        frame = slide.shapes.add_textbox(left, top, width, height).text_frame
        frame.word_wrap = True
        return frame

    def _table(
        self,
        slide,
        header: list[str],
        rows: list[list[str]],
        *,
        left=MARGIN,
        top=BODY_TOP,
        width=None,
        widths: list[float],
        size: int = 12,
    ):
        width = width or WIDTH - 2 * MARGIN
        shape = slide.shapes.add_table(
            len(rows) + 1, len(header), left, top, width, Inches(0.4) * (len(rows) + 1)
        )
        table = shape.table
        for i, inches in enumerate(widths):
            table.columns[i].width = Inches(inches)
        for col, text in enumerate(header):
            cell = table.cell(0, col)
            cell.text = text
            cell.fill.solid()
            cell.fill.fore_color.rgb = self.brand
            _style(cell.text_frame, size=size, bold=True, color=_on(self.brand))
        for r, row in enumerate(rows, start=1):
            for col, text in enumerate(row):
                cell = table.cell(r, col)
                cell.text = str(text)
                cell.fill.solid()
                cell.fill.fore_color.rgb = LIGHT if r % 2 else RGBColor(0xFF, 0xFF, 0xFF)
                colour = INK
                for word, key in (("✓", "good"), ("✗", "bad"), ("▲", "warn"), ("▼", "bad")):
                    if str(text).startswith(word):
                        colour = STATUS[key]
                _style(cell.text_frame, size=size, color=colour)
        return table

    def _medians(self) -> dict:
        peers = self.context["benchmarks"].peers
        return {} if peers["suppressed"] else peers.get("medians", {})


# --- low-level styling ------------------------------------------------------------------


def _value(score) -> float | None:
    """A chart value as the API shows it (None stays a gap in the chart)."""
    rounded = display_round(score)
    return None if rounded is None else float(rounded)


def _sources(bands: list[dict]) -> str:
    return "; ".join(dict.fromkeys(b["source"].citation for b in bands if b.get("source")))


def _on(colour: RGBColor) -> RGBColor:
    """Black or white text, whichever reads on `colour` (relative luminance)."""
    r, g, b = (int(str(colour)[i : i + 2], 16) / 255 for i in (0, 2, 4))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return INK if luminance > 0.55 else RGBColor(0xFF, 0xFF, 0xFF)


def _fill(shape, colour: RGBColor, line: RGBColor | None = None) -> None:
    shape.fill.solid()
    shape.fill.fore_color.rgb = colour
    if line is None:
        shape.line.fill.background()
    else:
        shape.line.color.rgb = line
    shape.shadow.inherit = False


def _solid(series, colour: RGBColor) -> None:
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = colour


def _series_colours(chart, colours: list[RGBColor]) -> None:
    for series, colour in zip(chart.series, colours, strict=False):
        if chart.chart_type in (XL_CHART_TYPE.RADAR, XL_CHART_TYPE.RADAR_MARKERS):
            series.format.line.color.rgb = colour
            series.format.line.width = Pt(2.25)
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = colour
        else:
            _solid(series, colour)


def _legend(chart) -> None:
    chart.has_legend = len(chart.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(11)


def _lines(frame, lines: list[str], *, size: int, color: RGBColor, bullets_from=None) -> None:
    frame.word_wrap = True
    frame.text = lines[0] if lines else ""
    for text in lines[1:]:
        frame.add_paragraph().text = text
    _style(frame, size=size, color=color)
    if bullets_from is not None:
        for p in frame.paragraphs[bullets_from:]:
            _bullet(p)


def _bullet(paragraph) -> None:
    """A real bullet (editable as a list in PowerPoint), not a typed character."""
    properties = paragraph._p.get_or_add_pPr()
    properties.set("marL", str(Emu(Inches(0.3))))
    properties.set("indent", str(-Emu(Inches(0.25))))
    for tag in ("a:buNone", "a:buChar", "a:buAutoNum"):
        for existing in properties.findall(
            tag.replace("a:", "{http://schemas.openxmlformats.org/drawingml/2006/main}")
        ):
            properties.remove(existing)
    bullet = properties.makeelement(
        "{http://schemas.openxmlformats.org/drawingml/2006/main}buChar", {"char": "•"}
    )
    properties.append(bullet)
    paragraph.space_before = Pt(6)


def _style(frame, *, size: int, color: RGBColor, bold: bool = False) -> None:
    for paragraph in frame.paragraphs:
        _style_run(paragraph, size=size, color=color, bold=bold)


def _style_run(paragraph, *, size: int, color: RGBColor, bold: bool = False) -> None:
    paragraph.font.size = Pt(size)
    paragraph.font.bold = bold
    paragraph.font.color.rgb = color
    for run in paragraph.runs:
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = color


def _logo(slide, path: str, *, box: tuple) -> None:
    """The logo scaled to fit its box whole (never cropped), right-aligned in it."""
    left, top, width, height = box
    with Image.open(path) as image:
        pixels_wide, pixels_high = image.size
    scale = min(width / pixels_wide, height / pixels_high)
    shown_width, shown_height = int(pixels_wide * scale), int(pixels_high * scale)
    picture = slide.shapes.add_picture(
        path, left + width - shown_width, top, shown_width, shown_height
    )
    picture.name = "Logo"
