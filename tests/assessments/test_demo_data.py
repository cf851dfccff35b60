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


def test_the_demo_assessment_has_two_submissions_and_one_half_way(demo):
    assessment = Assessment.objects.get(organization=demo)
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
