"""The demo organization: one user per role and an assessment half way through,
loaded by a command that is safe to run again."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import Answer, Assessment, Question, Respondent
from organizations.models import Membership, Organization, Role

pytestmark = pytest.mark.django_db

DEMO_NAME = "Northwind Manufacturing (demo)"


def _run(command: str) -> str:
    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    models = [get_user_model(), Organization, Membership, Assessment, Respondent, Answer]
    return {m.__name__: m.objects.count() for m in models}


@pytest.fixture
def demo():
    _run("load_reference_data")
    _run("load_demo_data")
    return Organization.objects.get(name=DEMO_NAME)


def test_it_creates_one_demo_organization_with_a_user_per_role(demo):
    assert demo.is_demo
    assert get_user_model().objects.count() == 3
    roles = {m.user.username: m.role for m in demo.memberships.select_related("user")}
    assert roles == {
        "consultant": Role.CONSULTANT,
        "coe": Role.COE_LEAD,
        "executive": Role.EXECUTIVE,
    }


def test_the_demo_users_can_log_in(client, demo):
    response = client.post(
        "/accounts/login/", {"username": "coe", "password": "demo-password"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/organizations/"
    assert DEMO_NAME in response.content.decode()


def test_the_demo_baseline_has_two_submissions_and_one_half_way(demo):
    assessment = Assessment.objects.get(organization=demo, title="2026 baseline")
    total = Question.objects.filter(bank=assessment.bank).count()
    answered = {
        r.name: (r.is_submitted, r.answers.exclude(kind="").count())
        for r in assessment.respondents.all()
    }

    assert assessment.bank.version == "2026.1"
    assert assessment.is_open
    assert len(answered) == 3
    complete = [name for name, (done, count) in answered.items() if done and count == total]
    assert len(complete) == 2
    [(in_progress, count)] = [(done, n) for done, n in answered.values() if not done]
    assert in_progress is False
    assert total * 0.4 <= count <= total * 0.6


def test_the_demo_is_re_assessed_on_bank_2026_2_by_all_three_executives(client, demo):
    reassessment = Assessment.objects.get(organization=demo, bank__version="2026.2")
    total = Question.objects.filter(bank=reassessment.bank).count()

    assert total == 45
    assert sorted(r.name for r in reassessment.respondents.all()) == [
        "Luca Romano",
        "Morgan Chen",
        "Priya Natarajan",
    ]
    assert all(r.is_submitted for r in reassessment.respondents.all())
    assert all(r.answers.count() == total for r in reassessment.respondents.all())
    client.login(username="consultant", password="demo-password")
    scores = client.get(f"/api/v1/assessments/{reassessment.pk}/scores/").json()
    placement = client.get(f"/api/v1/assessments/{reassessment.pk}/placement/").json()
    assert scores["overall"]["index"] is not None
    assert len(scores["dimensions"]) == 7
    assert 1 <= placement["phase"] <= 4
    # The recommendations name questions of the bank it was answered on.
    named = {q for r in placement["recommendations"] for q in r["questions"]}
    assert named and named <= set(
        Question.objects.filter(bank=reassessment.bank).values_list("key", flat=True)
    )


def test_the_demo_answers_respect_each_questions_rules(demo):
    answers = Answer.objects.filter(respondent__assessment__organization=demo)

    assert not answers.filter(kind="na", question__allow_na=False).exists()
    assert set(answers.values_list("kind", flat=True)) <= {"level", "na", "dont_know"}
    levels = set(answers.filter(kind="level").values_list("level", flat=True))
    assert levels <= {1, 2, 3, 4, 5}
    assert len(levels) > 1


def test_running_it_again_changes_nothing(demo):
    before = _counts()
    tokens = set(Respondent.objects.values_list("token", flat=True))

    output = _run("load_demo_data")

    assert _counts() == before
    assert Organization.objects.filter(name=DEMO_NAME).count() == 1
    assert set(Respondent.objects.values_list("token", flat=True)) == tokens
    assert DEMO_NAME in output


@pytest.mark.usefixtures("no_reference_data")
def test_it_asks_for_the_reference_data_first():
    with pytest.raises(CommandError, match="load_reference_data"):
        _run("load_demo_data")


def test_the_demo_has_a_use_case_portfolio_and_a_roadmap_for_the_coe_lead(demo):
    from roadmap.models import Roadmap, UseCase

    live = demo.use_cases.filter(stage__in=UseCase.LIVE_STAGES)
    assert live.count() == 2
    assert all(u.cost_reduction_actual is not None for u in live)
    roadmap = Roadmap.objects.get(organization=demo)
    assert roadmap.milestones.count() >= 3
    _run("load_demo_data")
    assert demo.use_cases.count() == 4
    assert Roadmap.objects.filter(organization=demo).count() == 1
