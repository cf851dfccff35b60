"""Who may reach what (DESIGN §9): every page and endpoint of the foundation, for an
outsider consultant (bob), an anonymous visitor and an invitation link holder."""

import json

import pytest

from assessments import services
from assessments.models import Answer, Assessment, Question, QuestionBank, Respondent
from organizations.models import Membership, Organization

pytestmark = pytest.mark.django_db

# (method, url template, form data); {org}, {assessment}, {respondent} are alice's.
ENDPOINTS = [
    ("get", "/organizations/{org}/", {}),
    ("post", "/organizations/{org}/assessments/new/", {"title": "Hijack", "bank": "2026.1"}),
    ("get", "/assessments/{assessment}/", {}),
    ("post", "/assessments/{assessment}/close/", {}),
    (
        "post",
        "/assessments/{assessment}/respondents/",
        {"name": "Mallory", "email": "mallory@evil.example", "role": "ceo"},
    ),
    ("post", "/assessments/{assessment}/respondents/{respondent}/revoke/", {}),
    ("post", "/assessments/{assessment}/respondents/{respondent}/reissue/", {}),
    ("post", "/assessments/{assessment}/respondents/{respondent}/send/", {}),
]
ENDPOINT_PARAMS = [
    pytest.param(method, url, data, id=f"{method}-{url}") for method, url, data in ENDPOINTS
]


@pytest.fixture
def submitted(assessment, respondent):
    """Alice's assessment with one submission, so that closing it would succeed."""
    colleague = Respondent.objects.create(
        assessment=assessment,
        name="Luca Romano",
        email="ops@acme.example",
        role="bu_head",
        token_expires_at=respondent.token_expires_at,
    )
    question = Question.objects.get(bank=assessment.bank, key="di_quality")
    services.answer_save(respondent=colleague, question=question, value=3)
    services.respondent_submit(respondent=colleague)
    return colleague


def _url(template: str, assessment, respondent) -> str:
    return template.format(
        org=assessment.organization_id, assessment=assessment.pk, respondent=respondent.pk
    )


def _database() -> dict:
    """Everything these endpoints could change, to compare before and after."""
    models = [Organization, Membership, QuestionBank, Assessment, Respondent, Answer]
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models}


@pytest.mark.parametrize(("method", "template", "data"), ENDPOINT_PARAMS)
def test_a_consultant_of_another_organization_gets_404_and_changes_nothing(
    client, bob, alice, assessment, respondent, submitted, method, template, data
):
    client.force_login(bob)
    before = _database()

    response = getattr(client, method)(_url(template, assessment, respondent), data)

    assert response.status_code == 404
    assert respondent.token not in response.content.decode()
    assert _database() == before


@pytest.mark.parametrize(("method", "template", "data"), ENDPOINT_PARAMS)
def test_an_anonymous_visitor_is_sent_to_log_in_and_changes_nothing(
    client, assessment, respondent, submitted, method, template, data
):
    before = _database()
    url = _url(template, assessment, respondent)

    response = getattr(client, method)(url, data)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    assert _database() == before


@pytest.mark.parametrize(
    "template",
    [
        "/assessments/{assessment}/respondents/{respondent}/revoke/",
        "/assessments/{assessment}/respondents/{respondent}/reissue/",
        "/assessments/{assessment}/respondents/{respondent}/send/",
    ],
)
def test_a_consultant_cannot_reach_a_respondent_through_their_own_assessment(
    client, bob, other_organization, respondent, template
):
    """bob's own assessment id with alice's respondent id is still 404."""
    bobs = Assessment.objects.create(
        organization=other_organization, bank=respondent.assessment.bank, title="Bob's"
    )
    client.force_login(bob)
    before = _database()

    response = client.post(_url(template, bobs, respondent))

    assert response.status_code == 404
    assert _database() == before


def test_the_organization_pages_bob_may_see_show_nothing_of_alices(client, bob, assessment):
    client.force_login(bob)

    listing = client.get("/organizations/").content.decode()

    assert "Acme Industries" not in listing
    assert "Globex Corporation" in listing


# --- invitation links -----------------------------------------------------------------


def test_a_link_reaches_only_its_own_questionnaire(client, respondent, other_respondent):
    """Token A only ever shows and changes assessment A, whatever else is in the URL."""
    question = Question.objects.get(bank=other_respondent.assessment.bank, key="di_quality")
    services.answer_save(respondent=other_respondent, question=question, value=1, comment="B")
    before = list(Answer.objects.filter(respondent=other_respondent).values())

    welcome = client.get(f"/r/{respondent.token}/")
    api = client.get(f"/api/v1/respond/{respondent.token}/").json()
    client.put(
        f"/api/v1/respond/{respondent.token}/answers/di_quality/",
        json.dumps({"value": 5}),
        content_type="application/json",
    )

    assert "Acme Industries" in welcome.content.decode()
    assert "Globex" not in welcome.content.decode()
    assert api["assessment"] == respondent.assessment_id
    assert api["organization"] == "Acme Industries"
    assert list(Answer.objects.filter(respondent=other_respondent).values()) == before
    assert Answer.objects.get(respondent=respondent).level == 5


@pytest.mark.parametrize(("method", "template", "data"), ENDPOINT_PARAMS)
def test_holding_a_link_gives_no_access_to_consultant_pages(
    client, assessment, respondent, other_respondent, method, template, data
):
    """A respondent who opened their questionnaire is still anonymous elsewhere."""
    client.get(f"/r/{respondent.token}/")
    client.get(f"/r/{other_respondent.token}/")
    before = _database()

    for target, who in ((assessment, respondent), (other_respondent.assessment, other_respondent)):
        url = _url(template, target, who)
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"] == f"/accounts/login/?next={url}"
    assert _database() == before


def test_a_token_is_not_a_login(client, respondent):
    """Using the token where an id or a session is expected reaches nothing."""
    for url in (
        f"/assessments/{respondent.token}/",
        f"/organizations/{respondent.token}/",
        f"/api/v1/respond/{respondent.token}x/",
    ):
        assert client.get(url).status_code == 404, url
