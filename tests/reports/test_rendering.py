"""Each report kind renders through `manage.py render_report` (WeasyPrint, charts through
Chromium) and says what it must: the organization, the seven dimensions, the phase and
the ROI bands; page counts; a tagged PDF with vector charts. The client edition (the
default) names nobody; the consultant edition names everyone and says so on every page."""

import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from assessments.models import Respondent
from reports import chart_export
from reports.models import ReportKind
from reports.rendering import CONFIDENTIAL_MARK
from roadmap.selectors import assessment_placement

from .conftest import DIMENSION_TITLES, ROI_BANDS, chromium_or_skip, pdf_text, squash

pytestmark = pytest.mark.django_db

# Each after a cover page of its own and before its sources: the executive summary is
# 2–4 pages (REPORTS.md).
PAGES = {
    ReportKind.EXECUTIVE_SUMMARY: range(3, 7),
    ReportKind.FULL_ASSESSMENT: range(11, 80),
    ReportKind.ROADMAP_PROGRESS: range(3, 20),
}


def render(assessment, kind, tmp_path, **options) -> bytes:
    output = tmp_path / f"{kind}.pdf"
    out = io.StringIO()
    call_command(
        "render_report",
        assessment=assessment.pk,
        kind=kind,
        output=str(output),
        stdout=out,
        **options,
    )
    assert f"{output}: " in out.getvalue()
    return output.read_bytes()


@pytest.mark.parametrize("kind", list(ReportKind))
def test_each_kind_renders_what_it_must_say(kind, answered, milestone, use_cases, tmp_path):
    chromium_or_skip()
    content = render(answered, kind, tmp_path)

    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) in PAGES[kind]
    text = squash(pdf_text(content))
    assert squash("Acme Industries") in text
    for title in DIMENSION_TITLES:
        assert squash(title) in text, title
    assert squash(assessment_placement(answered).phase_name) in text
    for band in ROI_BANDS:
        assert squash(band) in text, band
    assert squash("question bank 2026.1") in text
    assert "Page1of" in text  # page numbers in the footer


def test_a_report_is_a_tagged_pdf_with_vector_charts_and_metadata(answered, use_cases, tmp_path):
    chromium_or_skip()
    content = render(answered, ReportKind.EXECUTIVE_SUMMARY, tmp_path)

    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged (PDF/UA-1)
    assert root["/Lang"] == "en"
    assert "Acme Industries" in reader.metadata.title
    # Charts are drawn as vectors: no raster image anywhere (there is no logo here).
    assert all(not page.images for page in reader.pages)


def test_an_open_assessment_is_marked_provisional_on_every_page(answered, tmp_path):
    chromium_or_skip()
    content = render(answered, ReportKind.EXECUTIVE_SUMMARY, tmp_path)

    reader = PdfReader(io.BytesIO(content))
    assert all("PROVISIONAL" in page.extract_text() for page in reader.pages)


def test_the_full_report_has_contents_with_page_numbers_and_every_answer(answered, tmp_path):
    """The client edition (the default): every submitted answer counted, comments and
    evidence unattributed, and no respondent's name, email or title anywhere."""
    chromium_or_skip()
    content = render(answered, ReportKind.FULL_ASSESSMENT, tmp_path)

    text = pdf_text(content)
    assert "Contents" in text
    assert "Appendix A: every answer" in text
    assert "Steady progress" in text and "Board minutes" in text  # comments and evidence
    assert "See the platform review" in text
    assert "q = (level − 1) / 4 × 100" in text
    assert "Level 3: 1" in text  # how many chose each level
    flat = squash(text)
    for person in Respondent.objects.filter(assessment=answered):
        for said in (person.name, person.email, person.title):
            assert squash(said) not in flat, said
    assert "@" not in text
    assert CONFIDENTIAL_MARK not in text
    assert "consultant edition" not in PdfReader(io.BytesIO(content)).metadata.title


def test_the_consultant_edition_names_everyone_and_is_marked_on_every_page(answered, tmp_path):
    chromium_or_skip()
    content = render(answered, ReportKind.FULL_ASSESSMENT, tmp_path, audience="consultant")

    reader = PdfReader(io.BytesIO(content))
    pages = [page.extract_text() for page in reader.pages]
    missing = [n for n, page in enumerate(pages, 1) if CONFIDENTIAL_MARK not in page]
    assert not missing, f"no mark on pages {missing}"
    flat = squash("\n".join(pages))
    for name in ("Morgan Chen", "Priya Natarajan", "Ana Ruiz"):
        assert squash(name) in flat, name
    assert "notsubmitted" in flat
    assert "consultant edition" in reader.metadata.title


def test_the_roadmap_report_needs_a_roadmap(answered, tmp_path):
    with pytest.raises(CommandError, match="needs a roadmap"):
        render(answered, ReportKind.ROADMAP_PROGRESS, tmp_path)


def test_without_chromium_the_report_fails_with_the_reason(
    answered, tmp_path, settings, monkeypatch
):
    settings.BROWSER_PATH = str(tmp_path / "no-such-chromium")
    monkeypatch.setattr(chart_export, "_browser", None)  # as in a process without one
    monkeypatch.setattr(chart_export, "_cache", type(chart_export._cache)())

    with pytest.raises(CommandError, match="Charts cannot be exported"):
        render(answered, ReportKind.EXECUTIVE_SUMMARY, tmp_path)
    assert not (tmp_path / "executive_summary.pdf").exists()
