"""The perception gap (DESIGN §11): a consultant answers the questionnaire as assessor,
in the same pages; those answers are stored apart and never change the client's scores;
the results page, the reports and (for consultants) the scores API show both views."""

import random

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import perception, selectors, services
from assessments.models import Respondent
from assessments.scoring import score, summarize

from ..answering import add_respondents, bank_model, frame, give, questions_of
from ..factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _client_scores(assessment) -> dict:
    summary = selectors.assessment_scores(assessment).summary
    return {
        "index": summary["overall"]["index"],
        "dimensions": [(d["key"], d["score"], d["coverage"]) for d in summary["dimensions"]],
        "questions": summary["questions"],
        "respondents": summary["respondents"],
        "by_role": summary["by_role"],
    }


def _assessor_answers(assessment, alice, values, *, submit):
    assessor = services.assessor_start(assessment=assessment, user=alice)
    give(assessor, values, submit=submit)
    return assessor


@pytest.mark.parametrize(
    "assessor_values, submit",
    [
        ("all_5", True),
        ("all_1", True),
        ("all_5", False),
        ("na_and_dont_know", True),
        ("mixed", False),
    ],
)
def test_assessor_answers_never_change_the_client_scores(
    assessment, alice, assessor_values, submit
):
    rng = random.Random(16)
    add_respondents(assessment, 4, rng)
    before = _client_scores(assessment)
    questions = questions_of(assessment)
    values = {
        "all_5": {k: 5 for k in questions},
        "all_1": {k: 1 for k in questions},
        "na_and_dont_know": {
            k: ("na" if q.allow_na else "dont_know") for k, q in questions.items()
        },
        "mixed": {k: rng.choice([1, 3, 5, "dont_know"]) for k in questions},
    }[assessor_values]
    _assessor_answers(assessment, alice, values, submit=submit)
    assert _client_scores(assessment) == before
    # ... nor the respondents the consultant manages, nor the exports.
    assert assessment.respondents.count() == 4
    response = _client(alice).get(f"/assessments/{assessment.pk}/exports/answers.csv")
    assert b"assessor.invalid" not in response.content


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    client_seed=st.integers(0, 10_000),
    assessor_levels=st.lists(st.sampled_from([1, 2, 3, 4, 5, "dont_know", ""]), min_size=1),
)
def test_property_client_scores_are_the_client_answers_alone(
    bank, organization, alice, client_seed, assessor_levels
):
    assessment = AssessmentFactory(organization=organization, bank=bank)
    given_by_clients = add_respondents(assessment, 3, random.Random(client_seed))
    keys = list(questions_of(assessment))
    values = {keys[i % len(keys)]: v for i, v in enumerate(assessor_levels)}
    values[keys[0]] = values[keys[0]] if isinstance(values[keys[0]], int) else 3
    _assessor_answers(assessment, alice, values, submit=False)
    model = bank_model()
    expected = summarize(
        score(frame(given_by_clients), model, assessments=[assessment.pk]), assessment.pk, model
    )
    actual = selectors.assessment_scores(assessment).summary
    assert actual["overall"] == expected["overall"]
    assert actual["dimensions"] == expected["dimensions"]
    assert actual["respondents"] == 3


@pytest.mark.parametrize(
    "assessor, client, flagged",
    [(75.0, 60.0, True), (60.0, 75.0, True), (74.9, 60.0, False), (None, 50.0, False)],
)
def test_a_gap_of_15_points_either_way_is_flagged(assessor, client, flagged):
    rows = perception.gap_rows(
        [{"key": "talent", "title": "Talent", "score": client}],
        [{"key": "talent", "title": "Talent", "score": assessor}],
    )
    assert rows[0]["flagged"] is flagged
    assert rows[0]["gap"] == (None if assessor is None else pytest.approx(assessor - client))


@pytest.fixture
def answered(assessment, alice):
    questions = questions_of(assessment)
    give(Respondent.objects.create(**_executive(assessment)), {k: 2 for k in questions})
    _assessor_answers(assessment, alice, {k: 4 for k in questions}, submit=True)
    return assessment


def _executive(assessment):
    from django.utils import timezone

    return {
        "assessment": assessment,
        "name": "Morgan Chen",
        "email": "ceo@acme.example",
        "role": "ceo",
        "token_expires_at": timezone.now() + timezone.timedelta(days=5),
    }


def test_the_consultant_answers_in_the_same_questionnaire_pages(assessment, alice):
    client = _client(alice)
    response = client.post(f"/assessments/{assessment.pk}/assessor/")
    assessor = Respondent.all_kinds.get(assessment=assessment, kind="assessor")
    assert response.status_code == 302 and response["Location"] == f"/r/{assessor.token}/"
    page = client.get(response["Location"])
    assert b"Answering as assessor" in page.content
    # A second click opens the same questionnaire.
    again = client.post(f"/assessments/{assessment.pk}/assessor/")
    assert again["Location"] == response["Location"]


def test_the_results_page_shows_the_gap_to_consultants_only(answered, alice, carol):
    page = _client(alice).get(f"/assessments/{answered.pk}/results/").content.decode()
    assert 'id="perception-table"' in page
    # Client 25 (level 2), assessor 75 (level 4): every dimension is 50 points apart.
    assert page.count("⚑ Gap ≥ 15") == 7
    assert 'id="perception-table"' not in (
        _client(carol).get(f"/assessments/{answered.pk}/results/").content.decode()
    )


def test_the_scores_api_has_an_assessor_block_for_consultants_only(answered, alice, carol):
    url = f"/api/v1/assessments/{answered.pk}/scores/"
    payload = _client(alice).get(url).json()
    assert payload["overall"]["index"] == 25.0  # the client's, untouched
    block = payload["assessor"]
    assert block["overall"]["index"] == 75.0 and block["index_gap"] == 50.0
    assert {d["gap"] for d in block["dimensions"]} == {50.0}
    assert all(d["flagged"] for d in block["dimensions"])
    assert "assessor" not in _client(carol).get(url).json()


def test_no_assessor_block_before_an_assessor_answered(assessment, alice, respondent):
    give(respondent, {"di_legacy_sources": 3})
    payload = _client(alice).get(f"/api/v1/assessments/{assessment.pk}/scores/").json()
    assert "assessor" not in payload
