"""Consultants set up organizations and assessments, invite executives and close the
assessment; CoE leads and executives of the organization may look but not act."""

import json

import pytest
from django.conf import settings
from django.core import mail

from assessments import services
from assessments.models import Answer, Assessment, Question, Respondent
from organizations.models import Membership, Organization, Role
from tests.factories import AssessmentFactory, OrganizationFactory, RespondentFactory
from tests.pages import attr, find, find_all, has_attr, page, text

pytestmark = pytest.mark.django_db

NEW_RESPONDENT = {
    "name": "Priya Natarajan",
    "email": "Priya.Natarajan@Acme.example",
    "role": "cio",
    "title": "Chief Information Officer",
    "business_unit": "Group IT",
}

CONFIRM = {"confirm": "yes"}


@pytest.fixture
def as_alice(client, alice):
    client.force_login(alice)
    return client


def _detail(assessment) -> str:
    return f"/assessments/{assessment.pk}/"


def _action(assessment, respondent, action: str) -> str:
    return f"/assessments/{assessment.pk}/respondents/{respondent.pk}/{action}/"


def _row(html, respondent):
    return find(html, "tr", **{"data-respondent": respondent.email})


def _answer_questions(respondent, count: int) -> None:
    questions = Question.objects.filter(bank=respondent.assessment.bank).order_by("position")
    for question in questions[:count]:
        services.answer_save(respondent=respondent, question=question, value=3)


def _messages(response) -> list[str]:
    return [text(li) for li in find_all(page(response), "li", class_="message")]


# --- login required -------------------------------------------------------------------


def test_every_consultant_page_and_action_asks_an_anonymous_visitor_to_log_in(
    client, assessment, respondent, organization
):
    pages = [
        ("get", "/organizations/"),
        ("get", "/organizations/new/"),
        ("post", "/organizations/new/"),
        ("get", f"/organizations/{organization.pk}/"),
        ("post", f"/organizations/{organization.pk}/assessments/new/"),
        ("get", _detail(assessment)),
        ("post", f"/assessments/{assessment.pk}/close/"),
        ("post", f"/assessments/{assessment.pk}/respondents/"),
        ("post", _action(assessment, respondent, "revoke")),
        ("post", _action(assessment, respondent, "reissue")),
        ("post", _action(assessment, respondent, "send")),
    ]

    for method, url in pages:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"/accounts/login/?next={url}"), url


# --- organizations --------------------------------------------------------------------


def test_a_consultant_creates_an_organization_and_becomes_its_consultant(client, bob):
    client.force_login(bob)

    response = client.post(
        "/organizations/new/",
        {
            "name": "Initech",
            "industry": "financial_services",
            "size_band": "1000_4999",
            "region": "north_america",
        },
    )

    organization = Organization.objects.get(name="Initech")
    assert response.status_code == 302
    assert response["Location"] == f"/organizations/{organization.pk}/"
    assert Membership.objects.get(organization=organization).user == bob
    assert Membership.objects.get(organization=organization).role == Role.CONSULTANT
    detail = client.get(response["Location"])
    assert "Financial services" in text(page(detail))


def test_an_incomplete_organization_form_shows_what_is_missing(as_alice):
    response = as_alice.post("/organizations/new/", {"name": "", "industry": "retail"})

    assert response.status_code == 400
    html = page(response)
    assert "This field is required" in text(find(html, "p", id="id_name_error"))
    assert not Organization.objects.filter(industry="retail").exists()


def test_the_organization_list_shows_only_the_users_organizations(as_alice, bob):
    OrganizationFactory(name="Umbrella Corporation")

    html = page(as_alice.get("/organizations/"))

    names = [text(a) for a in find_all(find(html, "table"), "a")]
    assert names == ["Acme Industries"]


# --- assessments ----------------------------------------------------------------------


def test_a_consultant_starts_an_assessment_on_the_bank_2026_1(as_alice, organization, bank):
    detail = page(as_alice.get(f"/organizations/{organization.pk}/"))
    options = find_all(find(detail, "select", name="bank"), "option")
    # 2026.2 is offered first, and preselected; the previous bank stays available.
    assert [attr(o, "value") for o in options] == ["2026.2", "2026.1"]
    assert has_attr(options[0], "selected")

    response = as_alice.post(
        f"/organizations/{organization.pk}/assessments/new/",
        {"title": "2026 baseline", "bank": "2026.1"},
    )

    assessment = Assessment.objects.get(title="2026 baseline")
    assert response["Location"] == _detail(assessment)
    assert assessment.organization == organization
    assert assessment.bank.version == "2026.1"
    assert assessment.is_open
    assert "Question bank 2026.1" in text(page(as_alice.get(_detail(assessment))))


@pytest.mark.parametrize(
    ("data", "field"),
    [({"title": "", "bank": "2026.1"}, "title"), ({"title": "Q3", "bank": "1999.9"}, "bank")],
    ids=["no-title", "unknown-bank"],
)
def test_an_invalid_assessment_is_refused_with_the_field_error(
    as_alice, organization, bank, data, field
):
    response = as_alice.post(f"/organizations/{organization.pk}/assessments/new/", data)

    assert response.status_code == 400
    html = page(response)
    assert text(find(html, "p", id=f"id_{field}_error"))
    assert not Assessment.objects.exists()
    # The same organization page, whole: the members and their controls are still there.
    assert find(html, "form", id="invite-form")
    assert find(html, "table", id="member-list")


# --- respondents ----------------------------------------------------------------------


def test_a_consultant_adds_a_respondent_and_sees_their_link(as_alice, assessment):
    response = as_alice.post(f"/assessments/{assessment.pk}/respondents/", NEW_RESPONDENT)

    assert response["Location"] == _detail(assessment)
    respondent = Respondent.objects.get(assessment=assessment)
    assert respondent.email == "priya.natarajan@acme.example"
    assert respondent.name == "Priya Natarajan"
    assert respondent.link_is_usable(respondent.created_at)
    detail = as_alice.get(response["Location"])
    row = _row(page(detail), respondent)
    link = attr(find(row, "input", class_="link-input"), "value")
    assert link == f"http://testserver/r/{respondent.token}/"
    assert "0% answered" in text(row)
    assert "Priya Natarajan added" in " ".join(_messages(detail))
    assert as_alice.get(link).status_code == 200


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required"),
        ({"email": "not-an-email"}, "email", "Enter a valid email address"),
        ({"email": "CEO@acme.example"}, "email", "already a respondent"),
        ({"role": "chief_vibes_officer"}, "role", "Select a valid choice"),
    ],
    ids=["missing-name", "bad-email", "duplicate-email", "unknown-role"],
)
def test_a_bad_respondent_is_refused_with_the_field_error(
    as_alice, assessment, respondent, change, field, message
):
    response = as_alice.post(
        f"/assessments/{assessment.pk}/respondents/", {**NEW_RESPONDENT, **change}
    )

    assert response.status_code == 400
    assert message in text(find(page(response), "p", id=f"id_{field}_error"))
    assert list(Respondent.objects.filter(assessment=assessment)) == [respondent]


def test_the_assessment_page_shows_each_respondents_progress(as_alice, assessment, respondent):
    colleague = RespondentFactory(assessment=assessment, name="Luca Romano")
    _answer_questions(respondent, 10)
    _answer_questions(colleague, 47)
    services.respondent_submit(respondent=colleague)

    html = page(as_alice.get(_detail(assessment)))

    assert "21% answered" in text(_row(html, respondent))
    assert "100% answered" in text(_row(html, colleague))
    assert "Submitted" in text(_row(html, colleague))
    assert "1 of 2 respondents submitted" in text(html)


def test_revoking_a_link_stops_it_opening_the_questionnaire(as_alice, assessment, respondent):
    response = as_alice.post(_action(assessment, respondent, "revoke"), CONFIRM, follow=True)

    assert "link is revoked" in " ".join(_messages(response))
    assert "Revoked" in text(_row(page(response), respondent))
    assert as_alice.get(f"/r/{respondent.token}/").status_code == 410


def test_reissuing_replaces_the_link_and_keeps_the_answers(as_alice, assessment, respondent):
    _answer_questions(respondent, 5)
    old_token = respondent.token
    as_alice.post(_action(assessment, respondent, "revoke"), CONFIRM)

    response = as_alice.post(_action(assessment, respondent, "reissue"), follow=True)

    respondent.refresh_from_db()
    assert respondent.token != old_token
    assert "has a new link" in " ".join(_messages(response))
    row = _row(page(response), respondent)
    assert attr(find(row, "input", class_="link-input"), "value").endswith(
        f"/r/{respondent.token}/"
    )
    assert as_alice.get(f"/r/{old_token}/").status_code == 404
    assert as_alice.get(f"/r/{respondent.token}/").status_code == 200
    assert Answer.objects.filter(respondent=respondent).count() == 5
    assert "5 of 47 questions answered" in text(page(as_alice.get(f"/r/{respondent.token}/")))


def test_a_submitted_respondent_cannot_be_reissued(as_alice, assessment, respondent):
    _answer_questions(respondent, 1)
    services.respondent_submit(respondent=respondent)
    token = respondent.token

    response = as_alice.post(_action(assessment, respondent, "reissue"), follow=True)

    assert "already submitted" in " ".join(_messages(response))
    respondent.refresh_from_db()
    assert respondent.token == token


def test_emailing_the_link_sends_it_to_the_respondent(
    as_alice, assessment, respondent, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(_action(assessment, respondent, "send"), follow=True)

    assert "on its way" in " ".join(_messages(response))
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["ceo@acme.example"]
    assert "Acme Industries" in email.subject
    assert f"{settings.SITE_URL}/r/{respondent.token}/" in email.body
    assert "Dear Morgan Chen" in email.body
    respondent.refresh_from_db()
    assert respondent.invited_at is not None


def test_an_organization_name_with_a_line_break_does_not_break_the_email(
    as_alice, organization, assessment, respondent, eager_tasks, django_capture_on_commit_callbacks
):
    organization.name = "Acme\nBcc: everyone@example.com"
    organization.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(_action(assessment, respondent, "send"))

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["ceo@acme.example"]]
    assert "\n" not in mail.outbox[0].subject
    assert mail.outbox[0].bcc == []


def test_emailing_a_revoked_link_is_refused(
    as_alice, assessment, respondent, eager_tasks, django_capture_on_commit_callbacks
):
    services.respondent_revoke(respondent=respondent)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_alice.post(_action(assessment, respondent, "send"), follow=True)

    assert "reissue it before sending" in " ".join(_messages(response))
    assert callbacks == []
    assert mail.outbox == []


# --- closing --------------------------------------------------------------------------


def test_closing_is_refused_until_someone_has_submitted(as_alice, assessment, respondent):
    _answer_questions(respondent, 3)

    response = as_alice.post(f"/assessments/{assessment.pk}/close/", CONFIRM, follow=True)

    assert "only after at least one submission" in " ".join(_messages(response))
    assessment.refresh_from_db()
    assert assessment.is_open


def test_closing_after_a_submission_stops_further_answers(as_alice, client, assessment, respondent):
    colleague = RespondentFactory(assessment=assessment)
    _answer_questions(colleague, 2)
    services.respondent_submit(respondent=colleague)

    response = as_alice.post(f"/assessments/{assessment.pk}/close/", CONFIRM, follow=True)

    assert "The assessment is closed" in " ".join(_messages(response))
    assessment.refresh_from_db()
    assert not assessment.is_open
    assert assessment.closed_at is not None
    html = page(response)
    assert "Closed" in text(html)
    assert not find_all(html, "form", action=f"/assessments/{assessment.pk}/respondents/")
    put = client.put(
        f"/api/v1/respond/{respondent.token}/answers/di_quality/",
        json.dumps({"value": 3}),
        content_type="application/json",
    )
    assert put.status_code == 409
    assert not Answer.objects.filter(respondent=respondent).exists()


def test_adding_a_respondent_to_a_closed_assessment_is_refused_with_a_message(as_alice, assessment):
    colleague = RespondentFactory(assessment=assessment)
    _answer_questions(colleague, 1)
    services.respondent_submit(respondent=colleague)
    services.assessment_close(assessment=assessment)

    response = as_alice.post(f"/assessments/{assessment.pk}/respondents/", NEW_RESPONDENT)

    assert response.status_code == 400
    assert "cannot be added to a closed assessment" in " ".join(_messages(response))
    assert list(Respondent.objects.all()) == [colleague]


def test_closing_twice_says_it_is_already_closed(as_alice, assessment):
    colleague = RespondentFactory(assessment=assessment)
    _answer_questions(colleague, 1)
    services.respondent_submit(respondent=colleague)
    as_alice.post(f"/assessments/{assessment.pk}/close/", CONFIRM)

    response = as_alice.post(f"/assessments/{assessment.pk}/close/", CONFIRM, follow=True)

    assert "already closed" in " ".join(_messages(response))


# --- CoE leads and executives: read only ----------------------------------------------


@pytest.fixture(params=["carol", "erin"])
def reader(request, client, assessment, respondent):
    """A CoE lead or an executive member of the organization, logged in."""
    user = request.getfixturevalue(request.param)
    client.force_login(user)
    return client


def test_readers_see_the_organization_and_assessment_but_no_links_or_actions(
    reader, organization, assessment, respondent
):
    org_page = reader.get(f"/organizations/{organization.pk}/")
    detail = reader.get(_detail(assessment))

    assert org_page.status_code == 200
    assert assessment.title in text(page(org_page))
    assert not find_all(
        page(org_page), "form", action=f"/organizations/{organization.pk}/assessments/new/"
    )
    assert detail.status_code == 200
    html = page(detail)
    assert "Morgan Chen" in text(_row(html, respondent))
    assert respondent.token not in detail.content.decode()
    assert not find_all(html, "input", class_="link-input")
    assert [attr(f, "method") for f in find_all(find(html, "main"), "form")] == []


def test_readers_cannot_act_on_the_assessment(reader, organization, assessment, respondent):
    _answer_questions(respondent, 1)
    services.respondent_submit(respondent=respondent)
    token = respondent.token
    actions = [
        (f"/organizations/{organization.pk}/assessments/new/", {"title": "X", "bank": "2026.1"}),
        (f"/assessments/{assessment.pk}/respondents/", NEW_RESPONDENT),
        (_action(assessment, respondent, "revoke"), CONFIRM),
        (_action(assessment, respondent, "reissue"), {}),
        (_action(assessment, respondent, "send"), {}),
        (f"/assessments/{assessment.pk}/close/", CONFIRM),
    ]

    statuses = [reader.post(url, data).status_code for url, data in actions]

    assert statuses == [403] * len(actions)  # members: refused, saying who may (policy)
    respondent.refresh_from_db()
    assert (respondent.token, respondent.revoked_at, respondent.invited_at) == (token, None, None)
    assert Respondent.objects.count() == 1
    assert Assessment.objects.get().is_open
    assert mail.outbox == []


def test_another_organizations_assessment_is_not_in_the_list(as_alice, other_organization, bank):
    AssessmentFactory(organization=other_organization, bank=bank, title="Globex secret")

    html = page(as_alice.get("/organizations/"))

    assert "Globex" not in text(html)
