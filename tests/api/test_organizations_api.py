"""Organizations and memberships API: members read, consultants write (403 for other
members), non-members 404 with nothing changed, anonymous 401; bad input is a 400
naming the field."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from audit.models import AuditEntry
from organizations.models import Membership, Role
from tests.factories import MembershipFactory, OrganizationFactory

from .helpers import database, errors, fields, send

pytestmark = pytest.mark.django_db

ORGS = "/api/v1/organizations/"
NEW = {"name": "Initech", "industry": "technology", "size_band": "lt_250", "region": "europe"}


def org_url(organization) -> str:
    return f"{ORGS}{organization.pk}/"


def members_url(organization) -> str:
    return f"{org_url(organization)}memberships/"


def member_url(membership) -> str:
    return f"{members_url(membership.organization)}{membership.pk}/"


# --- organizations --------------------------------------------------------------------


def test_a_user_lists_only_their_organizations_with_their_role(client, alice, bob):
    client.force_login(alice)

    response = client.get(ORGS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [(o["name"], o["role"]) for o in body["results"]] == [("Acme Industries", "consultant")]


def test_creating_an_organization_makes_the_creator_its_consultant(client, erin):
    client.force_login(erin)

    response = send(client, "post", ORGS, NEW)

    assert response.status_code == 201, response.content
    assert response.json()["role"] == "consultant"
    membership = Membership.objects.get(organization_id=response.json()["id"])
    assert (membership.user, membership.role) == (erin, Role.CONSULTANT)


@pytest.mark.parametrize(
    "body, field",
    [
        ({**NEW, "industry": "mining"}, "industry"),
        ({**NEW, "name": ""}, "name"),
        ({k: v for k, v in NEW.items() if k != "region"}, "region"),
        ({**NEW, "name": "x" * 201}, "name"),
    ],
)
def test_a_bad_organization_is_a_400_naming_the_field(client, alice, body, field):
    client.force_login(alice)
    before = database()

    response = send(client, "post", ORGS, body)

    assert response.status_code == 400
    assert fields(response) == [field]
    assert database() == before


def test_a_body_that_is_not_json_is_a_400(client, alice):
    client.force_login(alice)

    response = send(client, "post", ORGS, "{not json")

    assert response.status_code == 400
    assert errors(response)[0]["code"] == "parse_error"


def test_members_retrieve_and_consultants_update(client, alice, carol, erin, organization):
    for user in (alice, carol, erin):
        client.force_login(user)
        assert client.get(org_url(organization)).json()["name"] == "Acme Industries"

    client.force_login(alice)
    response = send(client, "patch", org_url(organization), {"name": "Acme Group"})

    assert response.status_code == 200
    organization.refresh_from_db()
    assert organization.name == "Acme Group"


@pytest.mark.parametrize("who", ["carol", "erin"])
def test_other_members_cannot_update_the_organization(client, organization, who, request):
    client.force_login(request.getfixturevalue(who))
    before = database()

    response = send(client, "patch", org_url(organization), {"name": "Mine now"})

    assert response.status_code == 403
    assert database() == before


def test_a_bad_update_is_a_400_naming_the_field(client, alice, organization):
    client.force_login(alice)

    response = send(client, "patch", org_url(organization), {"size_band": "huge"})

    assert response.status_code == 400
    assert fields(response) == ["size_band"]


def test_another_organizations_consultant_gets_404_and_changes_nothing(
    client, bob, alice, erin, organization
):
    erin_membership = Membership.objects.get(user=erin)
    client.force_login(bob)
    before = database()

    responses = [
        client.get(org_url(organization)),
        send(client, "patch", org_url(organization), {"name": "Hijacked"}),
        client.get(members_url(organization)),
        send(
            client, "post", members_url(organization), {"email": "x@y.example", "role": "executive"}
        ),
        send(client, "patch", member_url(erin_membership), {"role": "consultant"}),
        send(client, "delete", member_url(erin_membership)),
    ]

    assert [r.status_code for r in responses] == [404] * 6
    for response in responses:
        errors(response)
    assert database() == before
    assert mail.outbox == []


def test_anonymous_callers_get_401_with_a_challenge(client, organization, alice):
    membership = Membership.objects.get(user=alice)
    responses = [
        client.get(ORGS),
        send(client, "post", ORGS, NEW),
        client.get(org_url(organization)),
        client.get(members_url(organization)),
        send(client, "delete", member_url(membership)),
    ]

    assert [r.status_code for r in responses] == [401] * 5
    assert all(r["WWW-Authenticate"] == "Token" for r in responses)
    errors(responses[0])


def test_organizations_are_paginated(client, alice):
    for n in range(60):
        MembershipFactory(user=alice, organization=OrganizationFactory(name=f"Org {n:02}"))
    client.force_login(alice)

    first = client.get(ORGS).json()
    second = client.get(ORGS, {"page": 2}).json()
    big = client.get(ORGS, {"page_size": 200}).json()

    assert first["count"] == 61
    assert len(first["results"]) == 50
    assert first["next"] and first["previous"] is None
    assert len(second["results"]) == 11
    assert len(big["results"]) == 61
    assert client.get(ORGS, {"page": 9}).status_code == 404


@pytest.mark.parametrize("page_size", ["0", "201", "abc", "-5", "2.5", "١٢"])
def test_a_bad_page_size_is_a_400_naming_it(client, alice, page_size):
    client.force_login(alice)

    response = client.get(ORGS, {"page_size": page_size})

    assert response.status_code == 400
    assert errors(response) == [
        {"field": "page_size", "code": "invalid", "message": "Enter a whole number from 1 to 200."}
    ]


# --- memberships ----------------------------------------------------------------------


def test_members_list_the_memberships(client, alice, carol, erin, organization):
    client.force_login(erin)

    response = client.get(members_url(organization))

    assert response.status_code == 200
    assert sorted((m["username"], m["role"]) for m in response.json()["results"]) == [
        ("alice", "consultant"),
        ("carol", "coe_lead"),
        ("erin", "executive"),
    ]


def test_inviting_an_unknown_email_creates_a_user_without_password_and_emails_them(
    client, alice, organization, django_capture_on_commit_callbacks
):
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            client,
            "post",
            members_url(organization),
            {"email": "New.Person@Client.example", "role": "executive"},
        )

    assert response.status_code == 201, response.content
    user = get_user_model().objects.get(email="new.person@client.example")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user, organization=organization).role == Role.EXECUTIVE
    assert [m.to for m in mail.outbox] == [["new.person@client.example"]]
    assert "Acme Industries" in mail.outbox[0].subject


def test_inviting_an_existing_user_reuses_them(client, alice, bob, organization):
    client.force_login(alice)

    response = send(
        client, "post", members_url(organization), {"email": bob.email.upper(), "role": "coe_lead"}
    )

    assert response.status_code == 201
    assert response.json()["user"] == bob.pk
    assert get_user_model().objects.filter(email__iexact=bob.email).count() == 1


def test_inviting_a_member_again_is_a_409(client, alice, erin, organization):
    client.force_login(alice)
    before = database()

    response = send(
        client, "post", members_url(organization), {"email": erin.email, "role": "coe_lead"}
    )

    assert response.status_code == 409
    assert errors(response)[0]["code"] == "conflict"
    assert database() == before


@pytest.mark.parametrize(
    "body, field",
    [
        ({"email": "not-an-email", "role": "executive"}, "email"),
        ({"email": "a@b.example", "role": "owner"}, "role"),
        ({"role": "executive"}, "email"),
        ({"email": "a@b.example"}, "role"),
    ],
)
def test_a_bad_invitation_is_a_400_naming_the_field(client, alice, organization, body, field):
    client.force_login(alice)
    before = database()

    response = send(client, "post", members_url(organization), body)

    assert response.status_code == 400
    assert fields(response) == [field]
    assert database() == before


def test_a_consultant_changes_a_role_and_removes_a_member(client, alice, erin, organization):
    membership = Membership.objects.get(user=erin)
    client.force_login(alice)

    changed = send(client, "patch", member_url(membership), {"role": "coe_lead"})
    bad = send(client, "patch", member_url(membership), {"role": "boss"})
    removed = send(client, "delete", member_url(membership))

    assert changed.status_code == 200 and changed.json()["role"] == "coe_lead"
    assert bad.status_code == 400 and fields(bad) == ["role"]
    assert removed.status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_consultant_cannot_leave_or_be_demoted(client, alice, organization):
    membership = Membership.objects.get(user=alice)
    client.force_login(alice)

    demoted = send(client, "patch", member_url(membership), {"role": "executive"})
    removed = send(client, "delete", member_url(membership))

    assert (demoted.status_code, removed.status_code) == (409, 409)
    membership.refresh_from_db()
    assert membership.role == Role.CONSULTANT


@pytest.mark.parametrize("who", ["carol", "erin"])
def test_only_consultants_manage_memberships(client, alice, organization, who, request):
    client.force_login(request.getfixturevalue(who))
    alice_membership = Membership.objects.get(user=alice)
    before = database()

    responses = [
        send(
            client, "post", members_url(organization), {"email": "z@z.example", "role": "executive"}
        ),
        send(client, "patch", member_url(alice_membership), {"role": "executive"}),
        send(client, "delete", member_url(alice_membership)),
    ]

    assert [r.status_code for r in responses] == [403] * 3
    assert database() == before
    refusals = AuditEntry.objects.filter(action="access.denied", user__username=who)
    assert [e.organization_id for e in refusals] == [organization.pk] * 3


def test_a_membership_of_another_organization_is_404(client, alice, bob):
    bob_membership = Membership.objects.get(user=bob)
    client.force_login(alice)

    response = send(
        client,
        "delete",
        f"{ORGS}{alice.memberships.get().organization_id}/memberships/{bob_membership.pk}/",
    )

    assert response.status_code == 404
    assert Membership.objects.filter(pk=bob_membership.pk).exists()


def test_removing_a_membership_takes_effect_on_the_next_request(client, alice, erin, organization):
    erin_client = client
    erin_client.force_login(erin)
    assert erin_client.get(org_url(organization)).status_code == 200

    membership = Membership.objects.get(user=erin)
    from django.test import Client

    alice_client = Client()
    alice_client.force_login(alice)
    assert send(alice_client, "delete", member_url(membership)).status_code == 204

    assert erin_client.get(org_url(organization)).status_code == 404
    assert erin_client.get(ORGS).json()["count"] == 0
