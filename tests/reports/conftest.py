"""Report fixtures on top of tests/conftest.py: an assessment answered by three
executives (with comments and evidence), a roadmap with milestones, use cases, and the
media folder in a temporary directory. `pdf_text` reads a PDF back with pypdf."""

import io
import os
import re
import shutil
from datetime import date

import pytest
from pypdf import PdfReader

from assessments import services as assessment_services
from assessments.models import Question
from roadmap import services as roadmap_services
from tests.factories import RespondentFactory

START = date(2026, 1, 1)
DIMENSION_TITLES = [
    "Data infrastructure",
    "Talent acquisition and retention",
    "Integration with legacy systems",
    "Ethical and regulatory compliance",
    "Scalable infrastructure",
    "Talent and organizational readiness",
    "Governance and risk management",
]
ROI_BANDS = ["Cost reduction", "Revenue increase", "15–30 %", "10–20 %", "25–40 %"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def chromium_or_skip() -> None:
    """Rendering exports charts with Chromium: skip without it, unless CI requires it."""
    if os.environ.get("BROWSER_PATH") or shutil.which("chromium"):
        return
    message = "Chromium is not installed: reports cannot export their charts"
    if "1" in (os.environ.get("REQUIRE_BROWSER_TESTS"), os.environ.get("REQUIRE_WORKER_TESTS")):
        pytest.fail(f"CI requires it: {message}", pytrace=False)
    pytest.skip(message)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    """Without any whitespace: line wrapping cannot break a comparison."""
    return re.sub(r"\s+", "", text)


def answer_all(respondent, levels, *, comment="", evidence="", submit=True) -> None:
    """Answer every question, cycling through `levels`, with the comment and evidence."""
    questions = Question.objects.filter(bank=respondent.assessment.bank).order_by("position")
    for index, question in enumerate(questions):
        assessment_services.answer_save(
            respondent=respondent,
            question=question,
            value=levels[index % len(levels)],
            comment=comment,
            evidence=evidence,
        )
    if submit:
        assessment_services.respondent_submit(respondent=respondent)


@pytest.fixture
def answered(assessment, respondent):
    """Three executives: the CEO at 3, the CIO alternating 2 and 5 (misalignments), and
    a CFO who is half way and has not submitted."""
    answer_all(respondent, [3], comment="Steady progress", evidence="Board minutes")
    cio = RespondentFactory(assessment=assessment, name="Priya Natarajan", role="cio")
    answer_all(cio, [2, 5, 3], comment="See the platform review")
    cfo = RespondentFactory(assessment=assessment, name="Ana Ruiz", role="cfo")
    answer_all(cfo, [1], submit=False)
    return assessment


@pytest.fixture
def roadmap(answered, carol):
    return roadmap_services.roadmap_create(assessment=answered, start_date=START, user=carol)


@pytest.fixture
def milestone(roadmap, carol):
    return roadmap_services.milestone_create(
        roadmap=roadmap,
        user=carol,
        data={
            "phase": 2,
            "title": "Feature store in production",
            "owner": "Data platform team",
            "due_date": date(2026, 6, 30),
            "notes": "Waiting on the cloud landing zone",
        },
    )


@pytest.fixture
def use_cases(organization, carol):
    return [
        roadmap_services.use_case_create(
            organization=organization,
            user=carol,
            data={
                "name": "Predictive maintenance",
                "stage": "production",
                "cost_reduction_actual": 18,
                "efficiency_gain_target": 30,
            },
        ),
        roadmap_services.use_case_create(
            organization=organization,
            user=carol,
            data={"name": "Demand forecasting", "stage": "pilot", "revenue_increase_target": 12},
        ),
    ]
