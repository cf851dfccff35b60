"""Assessments on bank 2026.1 and on bank 2026.2 side by side: each is scored, placed on
the roadmap with recommendations naming its own questions, shown, and exported."""

import csv
import io
import random

import openpyxl
import pytest

from assessments import services
from assessments.models import QuestionBank

from ..answering import all_levels, give, questions_of
from ..factories import AssessmentFactory, RespondentFactory

pytestmark = pytest.mark.django_db

VERSIONS = ["2026.1", "2026.2"]


@pytest.fixture
def as_alice(client, alice):
    client.force_login(alice)
    return client


def _closed_assessment(organization, alice, version: str, values=None):
    assessment = AssessmentFactory(
        organization=organization,
        bank=QuestionBank.objects.get(version=version),
        created_by=alice,
    )
    questions = questions_of(assessment)
    rng = random.Random(version)
    for index in range(3):
        respondent = RespondentFactory(assessment=assessment, email=f"exec{index}@acme.example")
        give(respondent, values or all_levels(rng, questions), questions=questions)
    return services.assessment_close(assessment=assessment), questions


@pytest.mark.parametrize("version", VERSIONS)
def test_an_assessment_answered_level_3_everywhere_scores_50_on_either_bank(
    as_alice, organization, alice, version
):
    assessment, questions = _closed_assessment(
        organization, alice, version, values=dict.fromkeys(questions_of_bank(version), 3)
    )

    scores = as_alice.get(f"/api/v1/assessments/{assessment.pk}/scores/").json()

    assert scores["overall"]["index"] == 50
    assert [d["score"] for d in scores["dimensions"]] == [50] * 7
    assert len(questions) == {"2026.1": 47, "2026.2": 45}[version]


def questions_of_bank(version: str) -> list[str]:
    bank = QuestionBank.objects.get(version=version)
    return list(bank.questions.values_list("key", flat=True))


@pytest.mark.parametrize("version", VERSIONS)
def test_placement_recommends_with_the_questions_of_the_assessments_own_bank(
    as_alice, organization, alice, version
):
    low = {key: 1 for key in questions_of_bank(version)}
    assessment, questions = _closed_assessment(organization, alice, version, values=low)

    placement = as_alice.get(f"/api/v1/assessments/{assessment.pk}/placement/").json()

    assert placement["phase"] == 1
    named = {key for r in placement["recommendations"] for key in r["questions"]}
    assert named and named <= set(questions)
    assert all(r["impact"] > 0 for r in placement["recommendations"])


@pytest.mark.parametrize("version", VERSIONS)
def test_the_results_page_and_the_exports_cover_every_question_of_the_bank(
    as_alice, organization, alice, version
):
    assessment, questions = _closed_assessment(organization, alice, version)

    results = as_alice.get(f"/assessments/{assessment.pk}/results/")
    answers = as_alice.get(f"/assessments/{assessment.pk}/exports/answers.csv")
    aggregates = as_alice.get(f"/assessments/{assessment.pk}/exports/aggregates.xlsx")

    assert results.status_code == 200
    assert version in results.content.decode()
    rows = list(csv.DictReader(io.StringIO(answers.content.decode("utf-8-sig"))))
    assert {row["Question ID"] for row in rows} == set(questions)
    sheets = openpyxl.load_workbook(io.BytesIO(aggregates.content), read_only=True)
    cells = {str(c) for sheet in sheets for row in sheet.iter_rows(values_only=True) for c in row}
    assert set(questions) <= cells
