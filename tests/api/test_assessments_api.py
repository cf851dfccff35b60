"""Assessments, respondents and answers API: members read, consultants write (403 for
other members), non-members 404 with nothing changed, anonymous 401; filters and
pagination; 409 when the state forbids the action."""

import pytest

from assessments import services
from assessments.models import Assessment, Question, Respondent
from tests.factories import AssessmentFactory, RespondentFactory

from .helpers import database, errors, fields, send

pytestmark = pytest.mark.django_db

LIST = "/api/v1/assessments/"


def url(assessment, tail: str = "") -> str:
    return f"{LIST}{assessment.pk}/{tail}"


def answer(respondent, count: int, level: int = 3) -> None:
    for question in Question.objects.filter(bank=respondent.assessment.bank)[:count]:
        services.answer_save(respondent=respondent, question=question, value=level)


# --- assessments ----------------------------------------------------------------------


def test_a_consultant_creates_an_assessment_on_the_latest_bank(client, alice, organization):
    client.force_login(alice)

    response = send(
        client, "post", LIST, {"organization": organization.pk, "title": "2026 baseline"}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    # Without a bank version, the newest published bank: 2026.2.
    assert (body["title"], body["bank"], body["status"]) == ("2026 baseline", "2026.2", "open")
    assert Assessment.objects.get(pk=body["id"]).created_by == alice


@pytest.mark.parametrize(
    "body, field",
    [
        ({"title": "No organization"}, "organization"),
        ({"organization": "abc", "title": "x"}, "organization"),
        ({"organization": None, "title": "x"}, "organization"),
        ({"organization": "ORG", "title": ""}, "title"),
        ({"organization": "ORG", "title": "x", "bank": "1999.9"}, "bank"),
    ],
)
def test_a_bad_assessment_is_a_400_naming_the_field(client, alice, organization, bank, body, field):
    body = {k: organization.pk if v == "ORG" else v for k, v in body.items()}
    client.force_login(alice)
    before = database()

    response = send(client, "post", LIST, body)

    assert response.status_code == 400
    assert fields(response) == [field]
    assert database() == before


def test_an_assessment_for_another_organization_is_refused_as_unknown(
    client, bob, organization, bank
):
    client.force_login(bob)
    before = database()

    response = send(client, "post", LIST, {"organization": organization.pk, "title": "x"})

    assert response.status_code == 400
    assert errors(response)[0]["field"] == "organization"
    assert database() == before


@pytest.mark.parametrize("who", ["carol", "erin"])
def test_other_members_read_but_cannot_create_or_close(
    client, assessment, organization, who, request
):
    client.force_login(request.getfixturevalue(who))
    before = database()

    assert client.get(url(assessment)).status_code == 200
    assert client.get(LIST).json()["count"] == 1
    created = send(client, "post", LIST, {"organization": organization.pk, "title": "x"})
    closed = send(client, "post", url(assessment, "close/"))

    assert (created.status_code, closed.status_code) == (403, 403)
    assert database() == before


def test_listing_filters_by_organization_and_status(client, alice, bob, organization, bank):
    from organizations.models import Membership, Role

    Membership.objects.create(
        user=alice, organization=bob.memberships.get().organization, role=Role.EXECUTIVE
    )
    acme_open = AssessmentFactory(organization=organization, bank=bank)
    acme_closed = AssessmentFactory(organization=organization, bank=bank, status="closed")
    globex = AssessmentFactory(organization=bob.memberships.get().organization, bank=bank)
    AssessmentFactory(bank=bank)  # nobody's
    client.force_login(alice)

    def ids(**params):
        response = client.get(LIST, params)
        assert response.status_code == 200
        return {a["id"] for a in response.json()["results"]}

    assert ids() == {acme_open.pk, acme_closed.pk, globex.pk}
    assert ids(organization=organization.pk) == {acme_open.pk, acme_closed.pk}
    assert ids(status="closed") == {acme_closed.pk}
    assert ids(organization=organization.pk, status="open") == {acme_open.pk}

    bad = client.get(LIST, {"status": "archived"})
    assert bad.status_code == 400 and fields(bad) == ["status"]
    bad = client.get(LIST, {"organization": "x"})
    assert bad.status_code == 400 and fields(bad) == ["organization"]


def test_assessments_are_paginated(client, alice, organization, bank):
    for _ in range(55):
        AssessmentFactory(organization=organization, bank=bank)
    client.force_login(alice)

    first = client.get(LIST).json()
    small = client.get(LIST, {"page_size": 10, "page": 6}).json()

    assert (first["count"], len(first["results"])) == (55, 50)
    assert len(small["results"]) == 5 and small["next"] is None


def test_closing_needs_a_submission_and_happens_once(client, alice, assessment, respondent):
    client.force_login(alice)

    early = send(client, "post", url(assessment, "close/"))
    answer(respondent, 3)
    services.respondent_submit(respondent=respondent)
    closed = send(client, "post", url(assessment, "close/"))
    again = send(client, "post", url(assessment, "close/"))

    assert early.status_code == 409 and errors(early)[0]["code"] == "conflict"
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert again.status_code == 409


def test_another_organizations_consultant_gets_404_and_changes_nothing(
    client, bob, assessment, respondent
):
    client.force_login(bob)
    before = database()

    responses = [
        client.get(url(assessment)),
        send(client, "post", url(assessment, "close/")),
        client.get(url(assessment, "respondents/")),
        send(
            client,
            "post",
            url(assessment, "respondents/"),
            {"name": "X", "email": "x@x.example", "role": "ceo"},
        ),
        send(client, "post", url(assessment, f"respondents/{respondent.pk}/revoke/")),
        send(client, "post", url(assessment, f"respondents/{respondent.pk}/reissue/")),
        client.get(url(assessment, "answers/")),
    ]

    assert [r.status_code for r in responses] == [404] * 7
    assert database() == before
    assert client.get(LIST).json()["count"] == 0


def test_anonymous_callers_get_401(client, assessment, respondent):
    responses = [
        client.get(LIST),
        client.get(url(assessment)),
        send(client, "post", url(assessment, "close/")),
        client.get(url(assessment, "respondents/")),
        send(client, "post", url(assessment, f"respondents/{respondent.pk}/revoke/")),
        client.get(url(assessment, "answers/")),
    ]

    assert [r.status_code for r in responses] == [401] * 6
    assert all("WWW-Authenticate" in r for r in responses)


# --- respondents ----------------------------------------------------------------------


def test_respondents_are_listed_with_their_progress(
    client, alice, erin, assessment, respondent, bank
):
    total = Question.objects.filter(bank=bank).count()
    answer(respondent, 10)
    RespondentFactory(assessment=assessment, name="Zed")

    client.force_login(alice)
    body = client.get(url(assessment, "respondents/")).json()
    client.force_login(erin)
    as_executive = client.get(url(assessment, "respondents/")).json()

    first = body["results"][0]
    assert (first["name"], first["answered"], first["total"]) == ("Morgan Chen", 10, total)
    assert first["progress_percent"] == round(100 * 10 / total)
    assert body["results"][1]["progress_percent"] == 0
    assert first["link"].endswith(f"/r/{respondent.token}/")
    assert as_executive["results"][0]["link"] is None  # only consultants see the links


def test_a_consultant_adds_a_respondent(client, alice, assessment):
    client.force_login(alice)

    response = send(
        client,
        "post",
        url(assessment, "respondents/"),
        {"name": "Dana Ruiz", "email": "CFO@acme.example", "role": "cfo", "title": "CFO"},
    )

    assert response.status_code == 201, response.content
    assert response.json()["email"] == "cfo@acme.example"
    assert response.json()["link_usable"] is True
    duplicate = send(
        client,
        "post",
        url(assessment, "respondents/"),
        {"name": "Dana again", "email": "cfo@acme.example", "role": "cfo"},
    )
    assert duplicate.status_code == 409


@pytest.mark.parametrize(
    "body, field",
    [
        ({"email": "a@b.example", "role": "ceo"}, "name"),
        ({"name": "A", "email": "nope", "role": "ceo"}, "email"),
        ({"name": "A", "email": "a@b.example", "role": "king"}, "role"),
        ({"name": "A" * 201, "email": "a@b.example", "role": "ceo"}, "name"),
    ],
)
def test_a_bad_respondent_is_a_400_naming_the_field(client, alice, assessment, body, field):
    client.force_login(alice)
    before = database()

    response = send(client, "post", url(assessment, "respondents/"), body)

    assert response.status_code == 400
    assert fields(response) == [field]
    assert database() == before


def test_revoke_and_reissue_a_link(client, alice, assessment, respondent):
    old_token = respondent.token
    client.force_login(alice)

    revoked = send(client, "post", url(assessment, f"respondents/{respondent.pk}/revoke/"))
    reissued = send(client, "post", url(assessment, f"respondents/{respondent.pk}/reissue/"))

    assert revoked.status_code == 200 and revoked.json()["link_usable"] is False
    assert reissued.status_code == 200 and reissued.json()["link_usable"] is True
    respondent.refresh_from_db()
    assert respondent.token != old_token and respondent.revoked_at is None


def test_a_submitted_respondents_link_cannot_change(client, alice, assessment, respondent):
    answer(respondent, 1)
    services.respondent_submit(respondent=respondent)
    client.force_login(alice)
    before = database()

    revoked = send(client, "post", url(assessment, f"respondents/{respondent.pk}/revoke/"))
    reissued = send(client, "post", url(assessment, f"respondents/{respondent.pk}/reissue/"))

    assert (revoked.status_code, reissued.status_code) == (409, 409)
    assert database() == before


@pytest.mark.parametrize("who", ["carol", "erin"])
def test_only_consultants_manage_respondents(client, assessment, respondent, who, request):
    client.force_login(request.getfixturevalue(who))
    before = database()

    responses = [
        send(
            client,
            "post",
            url(assessment, "respondents/"),
            {"name": "X", "email": "x@x.example", "role": "ceo"},
        ),
        send(client, "post", url(assessment, f"respondents/{respondent.pk}/revoke/")),
        send(client, "post", url(assessment, f"respondents/{respondent.pk}/reissue/")),
    ]

    assert [r.status_code for r in responses] == [403] * 3
    assert database() == before


def test_a_respondent_of_another_assessment_is_404(client, alice, assessment, other_respondent):
    client.force_login(alice)

    response = send(client, "post", url(assessment, f"respondents/{other_respondent.pk}/revoke/"))

    assert response.status_code == 404
    assert Respondent.objects.get(pk=other_respondent.pk).revoked_at is None


# --- answers --------------------------------------------------------------------------


def test_consultants_read_named_answers_with_filters(client, alice, assessment, respondent, bank):
    other = RespondentFactory(assessment=assessment)
    answer(respondent, 5, level=4)
    answer(other, 2, level=2)
    first = Question.objects.filter(bank=bank).select_related("dimension").first()
    client.force_login(alice)

    def get(**params):
        response = client.get(url(assessment, "answers/"), params)
        assert response.status_code == 200, response.content
        return response.json()

    everything = get()
    assert everything["count"] == 7
    assert {a["value"] for a in get(respondent=respondent.pk)["results"]} == {4}
    assert get(respondent=respondent.pk)["count"] == 5
    by_question = get(question=first.key)["results"]
    assert sorted(a["respondent"] for a in by_question) == sorted([respondent.pk, other.pk])
    assert all(
        a["dimension"] == first.dimension.key for a in get(dimension=first.dimension.key)["results"]
    )
    assert get(question="no-such-question")["count"] == 0
    assert len(get(page_size=3)["results"]) == 3

    bad = client.get(url(assessment, "answers/"), {"respondent": "abc"})
    assert bad.status_code == 400 and fields(bad) == ["respondent"]


@pytest.mark.parametrize("member", ["carol", "erin"])
def test_client_members_may_not_read_who_answered_what(
    client, member, request, assessment, respondent
):
    """Named answers are the consultants' (DESIGN §9): a CoE lead or an executive is refused."""
    answer(respondent, 5, level=4)
    client.force_login(request.getfixturevalue(member))
    response = client.get(url(assessment, "answers/"))
    assert response.status_code == 403
    assert "Only consultants can read who answered what" in response.json()["errors"][0]["message"]
