"""User text in a report is text: an injection corpus in every user-entered field
(organization name, comments, evidence, milestone notes, branding name...) comes out
literally, nothing is fetched outside the allowlist, and nothing is attached.

And the fetcher is the safety net behind the escaping: even markup that reached
WeasyPrint unescaped fetches nothing but our own files and data: URIs."""

import base64
import io
import logging

import pytest
from pypdf import PdfReader

from assessments.models import Answer, Respondent
from organizations.models import Branding
from reports import rendering
from reports.fetcher import SafeFetcher
from reports.models import ReportKind
from reports.pdf import render_pdf

from .conftest import chromium_or_skip, pdf_text, squash

pytestmark = pytest.mark.django_db

CORPUS = [
    "file:///etc/passwd",
    "http://127.0.0.1:6379/",
    "http://169.254.169.254/latest/meta-data/",
    "@import url(http://169.254.169.254/evil.css);",
    "<style>@import 'file:///etc/passwd';</style>",
    "<div style=\"background: url('http://127.0.0.1:6379/x')\">bg</div>",
    '<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<a rel="attachment" href="http://169.254.169.254/">attach</a>',
    '<img src="http://127.0.0.1:6379/x.png" alt="x">',
    "<script>alert('x')</script>",
]
PAYLOAD = " ".join(CORPUS)
SHORT = (
    "<script>alert(1)</script> <link rel=attachment href=file:///etc/passwd> "
    "@import url(http://169.254.169.254/)"
)


def _poison(assessment, milestone, use_cases):
    organization = assessment.organization
    organization.name = f"Acme {SHORT}"[:200]
    organization.save()
    Answer.objects.filter(respondent__assessment=assessment).update(
        comment=PAYLOAD, evidence=PAYLOAD
    )
    Respondent.objects.filter(assessment=assessment).update(business_unit="<b>Unit</b> url(x)")
    milestone.notes = PAYLOAD
    milestone.owner = '<img src="http://169.254.169.254/">'
    milestone.save()
    Branding.objects.create(
        organization=organization, firm_name='<img src="file:///etc/passwd"> @import "x"'
    )


@pytest.mark.parametrize("kind", [ReportKind.FULL_ASSESSMENT, ReportKind.ROADMAP_PROGRESS])
def test_the_corpus_comes_out_literally_and_fetches_nothing(
    kind, answered, milestone, use_cases, caplog
):
    chromium_or_skip()
    _poison(answered, milestone, use_cases)
    answered.organization.refresh_from_db()

    with caplog.at_level(logging.DEBUG, logger="reports.fetcher"):
        rendered = rendering.render_report(answered, kind, milestone.due_date)

    fetched = [r for r in caplog.records if r.name == "reports.fetcher"]
    assert not [r for r in fetched if r.levelno >= logging.WARNING], "something was refused"
    for record in fetched:
        assert "https://report.invalid/static/" in record.getMessage()
    reader = PdfReader(io.BytesIO(rendered.content))
    assert not reader.attachments
    assert b"/EmbeddedFile" not in rendered.content and b"/FileAttachment" not in rendered.content
    text = squash(pdf_text(rendered.content))
    assert squash(SHORT) in text  # the organization name
    assert squash('<img src="file:///etc/passwd"> @import "x"') in text  # the firm name
    for item in CORPUS:  # comments and evidence (full), milestone notes (both)
        assert squash(item) in text, item
    assert "root:x:0:0" not in text


def _svg_with(inner: str) -> str:
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{inner}</svg>'
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def test_unescaped_markup_fetches_nothing_outside_the_allowlist(caplog):
    nested = _svg_with('<image href="file:///etc/passwd" width="5" height="5"/>')
    html = f"""<!doctype html><html lang="en"><head><title>t</title>
      <link rel="stylesheet" href="http://127.0.0.1:6379/">
      <style>@import url(http://169.254.169.254/latest/meta-data/);
        p {{ background: url(file:///etc/passwd) }}</style>
      <link rel="attachment" href="file:///etc/passwd"></head>
      <body><p>x</p><img src="file:///etc/passwd" alt="a"><img src="{nested}" alt="b">
      <a rel="attachment" href="http://169.254.169.254/">y</a>
      <svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><title>c</title>
        <image href="http://127.0.0.1:6379/" width="5" height="5"/></svg>
      <img src="/static/css/report.css/../../../etc/passwd" alt="d">
      <img src="/media/../../etc/passwd" alt="e"></body></html>"""
    fetcher = SafeFetcher()

    with caplog.at_level(logging.WARNING, logger="reports.fetcher"):
        rendered = render_pdf(html, fetcher)

    assert fetcher.served == [] or all(u.startswith("data:") for u in fetcher.served)
    refused = " ".join(fetcher.refused)
    for url in ("file:///etc/passwd", "127.0.0.1:6379", "169.254.169.254"):
        assert url in refused
    assert len([r for r in caplog.records if r.name == "reports.fetcher"]) == len(fetcher.refused)
    assert not PdfReader(io.BytesIO(rendered.content)).attachments
    assert b"/EmbeddedFile" not in rendered.content
