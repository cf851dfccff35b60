"""Roadmap fixtures on top of tests/conftest.py: an assessment answered and submitted
through the assessment services, and a roadmap started from it by carol (CoE lead)."""

from datetime import date

import pytest

from assessments import services as assessment_services
from assessments.models import Question
from roadmap import services

START = date(2026, 1, 1)


def answer_all(respondent, level: int, *, submit: bool = True) -> None:
    """Every question of the bank at `level`, through the same service the questionnaire
    uses; all at 3 (score 50) places an organization in phase 2, all at 1 in phase 1."""
    for question in Question.objects.filter(bank=respondent.assessment.bank):
        assessment_services.answer_save(respondent=respondent, question=question, value=level)
    if submit:
        assessment_services.respondent_submit(respondent=respondent)


@pytest.fixture
def submitted(assessment, respondent):
    """Alice's assessment, with its one respondent's answers (all level 3) submitted."""
    answer_all(respondent, 3)
    return assessment


@pytest.fixture
def roadmap(submitted, carol):
    """Started by carol on 1 Jan 2026 from the submitted assessment (phase 2)."""
    return services.roadmap_create(assessment=submitted, start_date=START, user=carol)
