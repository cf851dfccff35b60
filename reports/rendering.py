"""What each report shows, and the HTML → PDF pipeline.

What each kind shows is composed in `results.documents`, from the results page's own
context, so a PDF never says something the page does not. Charts are the page's
figures, exported to SVG by `chart_export` and embedded as data: URIs.

`render_report(assessment, kind, today, audience=...)` returns the PDF and the time each
step took. The audience (shared/DESIGN.md §9) decides what the document may say: the
client edition (default) names nobody; the consultant edition adds the named appendix
and carries the "Confidential: consultant working paper" mark on every page.
"""

from __future__ import annotations

import base64
import hashlib
import time
from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string
from django.utils.translation import gettext, gettext_noop

from assessments.models import Assessment
from organizations.models import DEFAULT_COLOR, Branding
from results import documents
from results.documents import ReportUnavailable
from results.page import Audience
from roadmap.selectors import current_reference as roadmap_reference

from . import chart_export, pdf, slides, word
from .chart_export import Chart
from .fetcher import SafeFetcher
from .models import ReportAudience, ReportFormat, ReportKind

TEMPLATES = {
    ReportKind.EXECUTIVE_SUMMARY: "reports/pdf/executive_summary.html",
    ReportKind.FULL_ASSESSMENT: "reports/pdf/full_assessment.html",
    ReportKind.ROADMAP_PROGRESS: "reports/pdf/roadmap_progress.html",
}
BUILDERS = {
    ReportKind.EXECUTIVE_SUMMARY: documents.executive_summary,
    ReportKind.FULL_ASSESSMENT: documents.full_assessment,
    ReportKind.ROADMAP_PROGRESS: documents.roadmap_progress,
}
# (in English; the document carries it in its language)
CONFIDENTIAL_MARK = gettext_noop("Confidential: consultant working paper")
__all__ = [
    "CONFIDENTIAL_MARK",
    "ReportUnavailable",
    "Timings",
    "build_context",
    "render_file",
    "render_report",
]


@dataclass
class Timings:
    context: float = 0.0
    charts: float = 0.0
    html: float = 0.0
    weasyprint: float = 0.0
    chart_count: int = 0
    html_text: str = field(default="", repr=False)

    @property
    def total(self) -> float:
        return self.context + self.charts + self.html + self.weasyprint


def render_report(
    assessment: Assessment,
    kind: str,
    today: date,
    timings: Timings | None = None,
    audience: str = ReportAudience.CLIENT,
) -> pdf.RenderedPdf:
    """1. Build the kind's context for the audience. 2. Export its charts. 3. Render the
    template. 4. Lay out the PDF with WeasyPrint through the safe fetcher."""
    timings = timings if timings is not None else Timings()
    started = time.perf_counter()
    context = build_context(assessment, kind, today, audience)
    timings.context = time.perf_counter() - started

    started = time.perf_counter()
    charts = {
        name: Chart(figure=data, width=width)
        for name, (data, width) in context.pop("pdf_charts").items()
    }
    svgs = chart_export.export_svgs(list(charts.values()))
    context["img"] = {name: _data_uri(svg) for name, svg in zip(charts, svgs, strict=True)}
    timings.charts, timings.chart_count = time.perf_counter() - started, len(charts)

    started = time.perf_counter()
    html = render_to_string(TEMPLATES[kind], context)
    timings.html, timings.html_text = time.perf_counter() - started, html

    started = time.perf_counter()
    rendered = pdf.render_pdf(html, SafeFetcher())
    timings.weasyprint = time.perf_counter() - started
    return rendered


def render_file(
    assessment: Assessment,
    kind: str,
    today: date,
    *,
    audience: str = ReportAudience.CLIENT,
    file_format: str = ReportFormat.PDF,
) -> pdf.RenderedPdf:
    """The report in its format: the PDF (`render_report`), the executive summary as
    PowerPoint slides, or the full assessment as a Word document. Each is built from
    the same context as the PDF of its kind. (`pages`: slides for PowerPoint, None for
    Word, whose pages are laid out by Word.)"""
    if file_format == ReportFormat.PDF:
        return render_report(assessment, kind, today, audience=audience)
    if file_format not in FORMAT_KINDS or kind != FORMAT_KINDS[file_format]:
        raise ReportUnavailable(f"No {file_format!r} edition of the {kind!r} report.")
    context = build_context(assessment, kind, today, audience)
    logo = _logo_path(assessment)
    if file_format == ReportFormat.PPTX:
        context["roadmap_reference_phases"] = roadmap_reference().phases
        deck = slides.build_deck(context, logo_path=logo)
        return _rendered(deck.content, deck.slides)
    # Word has no charts (their values are in the tables beside them): none is exported.
    context.pop("pdf_charts", None)
    context["img"] = {}
    html = render_to_string(TEMPLATES[kind], context)
    return _rendered(word.build_document(html, context, logo_path=logo), None)


FORMAT_KINDS = {
    ReportFormat.PPTX: ReportKind.EXECUTIVE_SUMMARY,
    ReportFormat.DOCX: ReportKind.FULL_ASSESSMENT,
}


def _rendered(content: bytes, pages: int | None) -> pdf.RenderedPdf:
    return pdf.RenderedPdf(
        content=content, pages=pages, checksum=hashlib.sha256(content).hexdigest()
    )


def _logo_path(assessment: Assessment) -> str | None:
    branding = Branding.objects.filter(organization_id=assessment.organization_id).first()
    if branding is None or not branding.logo:
        return None
    try:
        return branding.logo.path
    except (NotImplementedError, ValueError):  # storage without local paths
        return None


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


# --- contexts -------------------------------------------------------------------------


def build_context(
    assessment: Assessment, kind: str, today: date, audience: str = ReportAudience.CLIENT
) -> dict:
    if kind not in TEMPLATES:
        raise ReportUnavailable(f"Unknown report kind {kind!r}.")
    if audience not in ReportAudience.values:
        raise ReportUnavailable(f"Unknown report audience {audience!r}.")
    context = documents.report_context(assessment, today, Audience(audience))
    context.update(_branding(assessment, kind))
    context.update(_edition(audience))
    return BUILDERS[ReportKind(kind)](context, today)


def _edition(audience: str) -> dict:
    """What the templates say about the edition: its label (in the title and on the
    cover) and, for the consultant edition, the mark on every page."""
    consultant = audience == ReportAudience.CONSULTANT
    return {
        "consultant_edition": consultant,
        "edition_label": str(ReportAudience(audience).label),
        "confidential_mark": gettext(CONFIDENTIAL_MARK) if consultant else "",
    }


def _branding(assessment: Assessment, kind: str) -> dict:
    branding = Branding.objects.filter(organization_id=assessment.organization_id).first()
    return {
        "kind": kind,
        "kind_label": str(ReportKind(kind).label),
        "branding": {
            "firm_name": branding.firm_name if branding else "",
            "color": branding.safe_color if branding else DEFAULT_COLOR,
            "logo_url": branding.logo.url if branding and branding.logo else "",
        },
    }
