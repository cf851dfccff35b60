"""The editable editions, through the same report lifecycle as the PDFs: the executive
summary as PowerPoint slides (native charts carrying the scores the API gives, the
brand colour and logo) and the full assessment as a Word document (the report's
sections as headings, its tables and narrative); requested, rendered, listed and
downloaded like a PDF, with the same policy."""

import io
import json
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document
from lxml import html as lxml_html
from PIL import Image
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE

from organizations.models import Branding
from reports import rendering, services
from reports.models import ReportRequest, ReportStatus

from ..pages import attr, find_all, page, text
from .conftest import DIMENSION_TITLES

pytestmark = pytest.mark.django_db

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    """Requests are stored and then rendered here, by the service the task calls."""
    monkeypatch.setattr("reports.tasks.render_report.apply_async", lambda args, **kw: None)


def request_and_render(client, assessment, kind: str, file_format: str, **extra) -> ReportRequest:
    response = client.post(
        "/api/v1/reports/",
        json.dumps(
            {"assessment": assessment.pk, "kind": kind, "file_format": file_format, **extra}
        ),
        content_type="application/json",
    )
    assert response.status_code == 202, response.content
    report = ReportRequest.objects.get(pk=response.json()["id"])
    assert services.report_render(report_id=report.pk) == "ready"
    report.refresh_from_db()
    return report


def download(client, report: ReportRequest):
    response = client.get(f"/api/v1/reports/{report.pk}/download/")
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_the_executive_summary_slides_have_native_charts_with_the_api_scores(
    client, alice, answered
):
    client.force_login(alice)
    scores = client.get(f"/api/v1/assessments/{answered.pk}/scores/").json()

    report = request_and_render(client, answered, "executive_summary", "pptx")
    response, content = download(client, report)

    assert response["Content-Type"] == PPTX
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="acme-industries-executive-summary-{day}.pptx"'
    )
    assert report.file.name == f"reports/{report.pk}.pptx" and report.pages == 8
    deck = Presentation(io.BytesIO(content))
    assert len(deck.slides) == 8
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[0] == "Acme Industries"
    assert titles[1:4] == [
        "At a glance",
        "The seven dimensions against peers",
        "Score by dimension",
    ]
    assert titles[4].startswith("What moves you")
    assert titles[5:] == [
        "Risks and mitigations",
        "Returns against the benchmark bands",
        "The roadmap: four phases",
    ]
    shapes = [shape for slide in deck.slides for shape in slide.shapes]
    charts = [shape.chart for shape in shapes if shape.has_chart]
    assert not [s for s in shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]  # no logo set
    radar = next(c for c in charts if c.chart_type == XL_CHART_TYPE.RADAR_MARKERS)
    assert list(radar.plots[0].categories) == DIMENSION_TITLES
    (yours,) = [s for s in radar.plots[0].series if s.name == "Your score"]
    assert list(yours.values) == [d["score"] for d in scores["dimensions"]]
    bars = next(c for c in charts if c.chart_type == XL_CHART_TYPE.BAR_CLUSTERED)
    assert list(bars.plots[0].series[0].values) == [
        d["score"] for d in reversed(scores["dimensions"])
    ]
    assert any(c.chart_type == XL_CHART_TYPE.BAR_STACKED for c in charts)  # ROI bands


def test_the_slides_carry_the_brand_colour_and_the_whole_logo(client, alice, answered, media):
    logo = io.BytesIO()
    Image.new("RGB", (800, 200), "#aa3300").save(logo, format="PNG")
    Path(media, "branding").mkdir(parents=True)
    Path(media, "branding", "logo.png").write_bytes(logo.getvalue())
    Branding.objects.create(
        organization=answered.organization,
        firm_name="Acme Advisory",
        color="#aa3300",
        logo="branding/logo.png",
    )
    client.force_login(alice)

    _, content = download(client, request_and_render(client, answered, "executive_summary", "pptx"))

    deck = Presentation(io.BytesIO(content))
    cover = deck.slides[0]
    logos = [s for s in cover.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(logos) == 1
    assert logos[0].width / logos[0].height == pytest.approx(4, rel=0.01)  # never stretched
    assert logos[0].left + logos[0].width <= deck.slide_width
    assert logos[0].crop_left == logos[0].crop_right == 0  # never cropped
    fills = [
        str(s.fill.fore_color.rgb)
        for s in cover.shapes
        if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE and s.fill.type == 1
    ]
    assert "AA3300" in fills
    cover_text = " ".join(s.text_frame.text for s in cover.shapes if s.has_text_frame)
    assert "Prepared by Acme Advisory" in cover_text


def test_the_word_document_has_the_reports_sections_as_headings(client, alice, answered):
    client.force_login(alice)

    report = request_and_render(client, answered, "full_assessment", "docx")
    response, content = download(client, report)

    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    html = _report_html(answered)
    chapters = [
        text.strip()
        for text in lxml_html.fromstring(html).xpath(
            "//section[contains(@class, 'chapter')]/h2/text()"
        )
    ]
    assert headings == chapters
    assert {"1 Executive summary", "2 Scope and method", "10 Returns and business case"} <= set(
        headings
    )
    subheadings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert [f"4.{n} {title}" for n, title in enumerate(DIMENSION_TITLES, start=1)] == [
        h for h in subheadings if h.startswith("4.")
    ]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Key findings" in body
    assert len(document.tables) >= 10
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert "Respondents by role" in captions
    # Editable: real table cells, not a picture of a table.
    assert document.tables[0].rows[0].cells[0].text


def test_a_format_the_kind_does_not_have_is_a_400_naming_the_field(
    client, alice, answered, roadmap
):
    client.force_login(alice)

    for kind, file_format, code in [
        ("roadmap_progress", "pptx", "invalid_choice"),
        ("executive_summary", "docx", "invalid_choice"),
        ("full_assessment", "xlsx", "invalid_choice"),
    ]:
        response = client.post(
            "/api/v1/reports/",
            json.dumps({"assessment": answered.pk, "kind": kind, "file_format": file_format}),
            content_type="application/json",
        )
        assert response.status_code == 400, (kind, file_format)
        assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
            ("file_format", code)
        ]
    assert not ReportRequest.objects.exists()


def test_the_reports_page_offers_slides_and_word_and_lists_them(client, alice, answered):
    client.force_login(alice)
    url = f"/assessments/{answered.pk}/reports/"

    body = page(client.get(url))
    formats = {
        (attr(b, "data-kind"), attr(b, "data-format"))
        for b in find_all(body, "button")
        if attr(b, "data-format")
    }
    response = client.post(
        url,
        {
            "kind": "executive_summary",
            "file_format": "pptx",
            "audience": "client",
            "quality": "acknowledged",
        },
    )
    report = ReportRequest.objects.get()
    services.report_render(report_id=report.pk)
    listed = page(client.get(url))

    assert formats == {("executive_summary", "pptx"), ("full_assessment", "docx")}
    assert response.status_code == 302
    assert (report.file_format, report.kind) == ("pptx", "executive_summary")
    row = text(find_all(listed, "tr", **{"data-report": str(report.pk)})[0])
    assert "PowerPoint" in row and "8 slides" in row and "Download PowerPoint" in row


def test_client_members_cannot_download_the_consultant_editions_slides(
    client, alice, erin, answered
):
    client.force_login(alice)
    report = request_and_render(
        client, answered, "executive_summary", "pptx", audience="consultant"
    )
    client.force_login(erin)

    response = client.get(f"/api/v1/reports/{report.pk}/download/")

    assert response.status_code == 403
    assert report.status == ReportStatus.READY


def _report_html(assessment) -> str:
    context = rendering.build_context(assessment, "full_assessment", timezone.localdate())
    context.pop("pdf_charts")
    context["img"] = {}
    return render_to_string(rendering.TEMPLATES["full_assessment"], context)
