"""Who may read results (DESIGN §9): the results page, the scores API and every export,
from the page and from the API. Members of the organization in any role read them, but
the named answers export is the consultants' (client members get 403); a consultant of
another organization gets 404; an anonymous visitor is sent to log in (pages) or refused
(API), and never sees any of the data."""

import pytest

from assessments import services

from .factories import RespondentFactory

pytestmark = pytest.mark.django_db

RESPONDENT = "Zelda Quartermaine"
COMMENT = "Confidential: the plant data lake is a mess"
EXPORTS = [f"{d}.{f}" for d in ("answers", "aggregates", "scores") for f in ("csv", "xlsx")]
PAGES = [
    "/assessments/{id}/results/",
    *[f"/assessments/{{id}}/exports/{name}" for name in EXPORTS],
]
API = [
    "/api/v1/assessments/{id}/scores/",
    *[f"/api/v1/assessments/{{id}}/exports/{name}" for name in EXPORTS],
]
ALL = [pytest.param(url, id=url.replace("{id}", "N")) for url in PAGES + API]
MEMBERS = ["alice", "carol", "erin"]  # consultant, CoE lead, executive


@pytest.fixture
def answered(assessment):
    """One submitted executive, with a name and a comment that must not leak."""
    respondent = RespondentFactory(
        assessment=assessment, name=RESPONDENT, title="Chief Data Officer", business_unit="Plants"
    )
    question = assessment.bank.questions.get(key="di_quality")
    services.answer_save(respondent=respondent, question=question, value=2, comment=COMMENT)
    services.respondent_submit(respondent=respondent)
    return assessment


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _leaks(response) -> list[str]:
    body = _body(response).decode(errors="replace")
    secrets = [RESPONDENT, COMMENT, "Acme Industries", "di_quality", "Data infrastructure"]
    return [s for s in secrets if s in body]


@pytest.mark.parametrize("member", MEMBERS)
@pytest.mark.parametrize("template", ALL)
def test_every_member_of_the_organization_reads_results(
    request, client, answered, alice, carol, erin, member, template
):
    client.force_login(request.getfixturevalue(member))

    response = client.get(template.format(id=answered.pk))

    if "/answers." in template and member != "alice":
        assert response.status_code == 403  # names and emails: consultants only
        assert _leaks(response) == []
        return
    assert response.status_code == 200
    body = _body(response)
    if template.endswith("/results/"):
        assert "Acme Industries" in body.decode()
        assert "Data infrastructure" in body.decode()
    elif template.endswith("/scores/"):
        assert response.json()["assessment"] == answered.pk
    elif template.endswith(("answers.csv", "aggregates.csv")):
        assert COMMENT in body.decode("utf-8-sig")
    elif template.endswith("scores.csv"):
        assert "Data infrastructure" in body.decode("utf-8-sig")
    else:
        assert body.startswith(b"PK\x03\x04")  # an XLSX workbook


@pytest.mark.parametrize("template", ALL)
def test_a_consultant_of_another_organization_gets_404(client, answered, bob, template):
    client.force_login(bob)

    response = client.get(template.format(id=answered.pk))

    assert response.status_code == 404
    assert _leaks(response) == []


@pytest.mark.parametrize("template", ALL)
def test_an_unknown_assessment_is_404_like_another_organizations(client, answered, alice, template):
    client.force_login(alice)

    response = client.get(template.format(id=answered.pk + 1000))

    assert response.status_code == 404


@pytest.mark.parametrize("template", [pytest.param(u, id=u.replace("{id}", "N")) for u in PAGES])
def test_an_anonymous_visitor_is_sent_to_log_in_from_pages_and_exports(client, answered, template):
    url = template.format(id=answered.pk)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    assert _leaks(response) == []


@pytest.mark.parametrize("template", [pytest.param(u, id=u.replace("{id}", "N")) for u in API])
def test_an_anonymous_api_client_is_refused_without_data(client, answered, template):
    response = client.get(template.format(id=answered.pk))

    # TokenAuthentication comes first, so the refusal is a 401 with its challenge.
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"errors"}
    assert body["errors"][0]["code"] == "not_authenticated"
    assert _leaks(response) == []


def test_a_member_of_both_organizations_reads_each_one(client, answered, bob, organization):
    """Membership is per organization: bob, once a member here too, reads these results."""
    from organizations.models import Membership, Role

    Membership.objects.create(user=bob, organization=organization, role=Role.EXECUTIVE)
    client.force_login(bob)

    assert client.get(f"/assessments/{answered.pk}/results/").status_code == 200
    assert client.get(f"/api/v1/assessments/{answered.pk}/scores/").status_code == 200
