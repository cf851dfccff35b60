"""Issue 13, members and passwords: the organization page's member forms (invite, change
a role, remove after a confirmation; the last consultant kept), the invitation email and
its "set your password" link, "Forgot password?", the account page and password change.

Who may use the member forms (consultants; 403 for the client members, 404 for
outsiders, both recorded) is checked from the policy table in tests/test_policy.py.
"""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail

from audit.models import AuditEntry
from organizations.members import _set_password_url
from organizations.models import Branding, Membership, Role

from .factories import MembershipFactory, UserFactory
from .pages import attr, find, find_all, page, text

pytestmark = pytest.mark.django_db

SITE = "https://aism.example"
PASSWORD = "correct horse battery staple"  # tests/factories.py
NEW_PASSWORD = "a brand new passphrase 42"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def _org_url(organization) -> str:
    return f"/organizations/{organization.pk}/"


def _membership(organization, user) -> Membership:
    return Membership.objects.get(organization=organization, user=user)


def _links(message) -> list[str]:
    return re.findall(rf"{re.escape(SITE)}/[^\s\"<>]+", message.body)


def _invitation_link(message) -> str:
    [link] = [link for link in _links(message) if "/invitation/" in link]
    return link


def _html(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def _path(url: str) -> str:
    assert url.startswith(SITE), url
    return url[len(SITE) :]


def _invite(client, organization, email, role="executive"):
    return client.post(f"{_org_url(organization)}members/", {"email": email, "role": role})


# --- invite ---------------------------------------------------------------------------


def test_a_consultant_invites_a_new_person_who_gets_a_set_password_link(
    client, alice, organization, django_capture_on_commit_callbacks
):
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, organization, "New.Person@Client.example", "coe_lead")

    assert response.status_code == 302
    assert response["Location"] == f"{_org_url(organization)}#members"
    user = get_user_model().objects.get(email="new.person@client.example")
    assert not user.has_usable_password()
    assert _membership(organization, user).role == Role.COE_LEAD
    entry = AuditEntry.objects.get(action="membership.invited")
    assert entry.user == alice and entry.organization_id == organization.pk

    [message] = mail.outbox
    assert message.to == ["new.person@client.example"]
    assert "Acme Industries" in message.subject
    link = _invitation_link(message)
    assert link.startswith(f"{SITE}/accounts/invitation/")
    assert f"{SITE}/accounts/password/reset/" in _links(message)  # when it has expired
    assert "AI CoE lead" in message.body and "expires in 3 days" in message.body
    assert f'href="{link}"' in _html(message)
    assert "Set your password" in _html(message)

    page_after = client.get(response["Location"])
    assert "new.person@client.example invited as AI CoE lead" in page_after.content.decode()
    assert "(invited, no password yet)" in page_after.content.decode()


def test_an_existing_user_gets_a_you_were_added_email_with_the_login_link(
    client, alice, bob, organization, django_capture_on_commit_callbacks
):
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, organization, bob.email)

    assert response.status_code == 302
    assert _membership(organization, bob).role == Role.EXECUTIVE
    [message] = mail.outbox
    assert f"{SITE}/accounts/login/" in _links(message)
    assert not any("/invitation/" in link for link in _links(message))
    assert "Sign in as bob" in message.body
    assert f'href="{SITE}/accounts/login/"' in _html(message)


def test_inviting_a_member_again_shows_the_refusal_on_the_form(
    client, alice, erin, organization, django_capture_on_commit_callbacks
):
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, organization, erin.email.upper(), "consultant")

    assert response.status_code == 409
    form = find(page(response), "form", id="invite-form")
    summary = find(form, "div", class_="error-summary")
    assert f"{erin.email} is already a member of Acme Industries." in text(summary)
    assert attr(find(form, "input", name="email"), "value") == erin.email.upper()
    assert _membership(organization, erin).role == Role.EXECUTIVE
    assert mail.outbox == []


@pytest.mark.parametrize("email", ["not-an-email", ""])
def test_a_bad_email_is_an_error_next_to_the_field(client, alice, organization, email):
    client.force_login(alice)
    members_before = Membership.objects.count()

    response = _invite(client, organization, email)

    assert response.status_code == 400
    form = find(page(response), "form", id="invite-form")
    assert find_all(form, "p", class_="field-error", id="id_email_error")
    assert Membership.objects.count() == members_before
    # The rest of the organization page is still there.
    assert "Assessments" in response.content.decode()


# --- roles ----------------------------------------------------------------------------


def test_a_consultant_changes_a_role(client, alice, erin, organization):
    client.force_login(alice)
    membership = _membership(organization, erin)

    response = client.post(
        f"{_org_url(organization)}members/{membership.pk}/role/", {"role": "coe_lead"}
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.COE_LEAD
    assert AuditEntry.objects.filter(action="membership.updated", object_id=membership.pk)
    assert "erin is now AI CoE lead." in client.get(response["Location"]).content.decode()


def test_the_last_consultant_cannot_be_demoted(client, alice, erin, organization):
    client.force_login(alice)
    mine = _membership(organization, alice)

    response = client.post(
        f"{_org_url(organization)}members/{mine.pk}/role/", {"role": "executive"}
    )

    assert response.status_code == 409
    row = find(page(response), "tr", id=f"member-{mine.pk}")
    assert "An organization needs at least one consultant." in text(row)
    mine.refresh_from_db()
    assert mine.role == Role.CONSULTANT


def test_a_consultant_may_step_down_when_another_remains(client, alice, organization):
    other = MembershipFactory(organization=organization, role=Role.CONSULTANT)
    client.force_login(alice)
    mine = _membership(organization, alice)

    response = client.post(f"{_org_url(organization)}members/{mine.pk}/role/", {"role": "coe_lead"})

    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.role == Role.COE_LEAD
    assert _membership(organization, other.user).role == Role.CONSULTANT


# --- remove, after a confirmation -----------------------------------------------------


def test_remove_asks_first_then_removes(client, alice, erin, organization):
    client.force_login(alice)
    membership = _membership(organization, erin)
    remove_url = f"{_org_url(organization)}members/{membership.pk}/remove/"

    # The organization page links to the confirmation; following it changes nothing.
    home = page(client.get(_org_url(organization)))
    row = find(home, "tr", id=f"member-{membership.pk}")
    assert attr(find(row, "a", class_="danger"), "href") == remove_url
    confirm = client.get(remove_url)
    assert confirm.status_code == 200
    assert "Remove erin?" in text(find(page(confirm), "h1"))
    form = find(find(page(confirm), "main"), "form", method="post")
    assert text(find(form, "button")) == "Remove erin"
    assert Membership.objects.filter(pk=membership.pk).exists()

    response = client.post(remove_url)

    assert response.status_code == 302
    assert response["Location"] == f"{_org_url(organization)}#members"
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.filter(action="membership.removed", object_id=membership.pk)
    assert (
        "erin removed from Acme Industries." in client.get(_org_url(organization)).content.decode()
    )
    assert client.get(_org_url(organization), follow=False).status_code == 200
    erin_client = type(client)()
    erin_client.force_login(erin)
    assert erin_client.get(_org_url(organization)).status_code == 404


def test_the_last_consultant_cannot_be_removed(client, alice, erin, organization):
    client.force_login(alice)
    mine = _membership(organization, alice)
    remove_url = f"{_org_url(organization)}members/{mine.pk}/remove/"

    confirm = page(client.get(remove_url))
    assert "An organization needs at least one consultant." in text(
        find(confirm, "div", class_="error-summary")
    )
    assert not find_all(find(confirm, "main"), "form")

    response = client.post(remove_url)

    assert response.status_code == 409
    assert "An organization needs at least one consultant." in response.content.decode()
    assert Membership.objects.filter(pk=mine.pk).exists()


def test_a_consultant_who_removes_themself_goes_to_their_organizations(client, alice, organization):
    MembershipFactory(organization=organization, role=Role.CONSULTANT)
    client.force_login(alice)
    mine = _membership(organization, alice)

    confirm = client.get(f"{_org_url(organization)}members/{mine.pk}/remove/")
    assert "This is you" in confirm.content.decode()
    response = client.post(f"{_org_url(organization)}members/{mine.pk}/remove/")

    assert response.status_code == 302
    assert response["Location"] == "/organizations/"


def test_a_member_of_another_organization_cannot_be_reached(
    client, alice, bob, organization, other_organization
):
    client.force_login(alice)
    theirs = _membership(other_organization, bob)

    for method, suffix in (("get", "remove/"), ("post", "remove/"), ("post", "role/")):
        url = f"{_org_url(organization)}members/{theirs.pk}/{suffix}"
        assert getattr(client, method)(url, {"role": "executive"}).status_code == 404
    assert _membership(other_organization, bob).role == Role.CONSULTANT


# --- what client members see ----------------------------------------------------------


@pytest.mark.parametrize("who", ["carol", "erin"])
def test_client_members_see_the_members_without_controls(request, alice, organization, client, who):
    request.getfixturevalue("carol")
    request.getfixturevalue("erin")
    user = get_user_model().objects.get(username=who)
    client.force_login(user)

    root = page(client.get(_org_url(organization)))

    members = find(root, "table", id="member-list")
    assert {text(row.children[0]) for row in find_all(find(members, "tbody"), "tr")} == {
        "alice",
        "carol",
        "erin",
    }
    assert "AI CoE lead" in text(members)
    assert not find_all(root, "form", id="invite-form")
    assert not find_all(members, "form") and not find_all(members, "select")
    assert "@" not in text(members), "emails are for the consultants"

    response = _invite(client, organization, "someone@client.example")
    assert response.status_code == 403
    assert "Only consultants can manage members." in response.content.decode()


# --- the account page and password change ---------------------------------------------


def test_the_account_page_lists_my_organizations_and_roles(
    client, alice, organization, other_organization
):
    MembershipFactory(organization=other_organization, user=alice, role=Role.EXECUTIVE)
    client.force_login(alice)

    response = client.get("/accounts/")

    assert response.status_code == 200
    root = page(response)
    rows = find_all(find(find(root, "table", id="my-organizations"), "tbody"), "tr")
    assert [[text(cell) for cell in row.children if not isinstance(cell, str)] for row in rows] == [
        ["Acme Industries", "Consultant"],
        ["Globex Corporation", "Executive"],
    ]
    assert attr(find(rows[0], "a"), "href") == _org_url(organization)
    nav = find(root, "nav")
    assert attr(find(nav, "a", href="/accounts/"), "href") == "/accounts/"
    assert find(root, "a", href="/accounts/password/")


def test_the_account_page_asks_to_log_in(client, db):
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_changes_their_password_and_stays_signed_in(client, alice):
    client.force_login(alice)

    wrong = client.post(
        "/accounts/password/",
        {"old_password": "not it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    assert "Your old password was entered incorrectly" in wrong.content.decode()

    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    followed = client.get("/accounts/")
    assert followed.status_code == 200
    assert "Your password was changed." in followed.content.decode()
    [entry] = AuditEntry.objects.filter(action="password.changed")
    assert entry.user == alice


# --- forgot password, and the invitation's link ---------------------------------------


def _ask_for_reset(client, email):
    return client.post("/accounts/password/reset/", {"email": email})


def _choose_password(client, link_path, password=NEW_PASSWORD):
    """Follow an emailed link and set the password: the final response."""
    opened = client.get(link_path)
    if opened.status_code != 302:
        return opened  # the "no longer works" page
    return client.post(opened["Location"], {"new_password1": password, "new_password2": password})


def test_password_reset_end_to_end_and_the_link_works_once(client, alice):
    login_page = client.get("/accounts/login/")
    assert find(page(login_page), "a", href="/accounts/password/reset/")

    response = _ask_for_reset(client, alice.email.upper())

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    [message] = mail.outbox
    assert message.to == [alice.email]
    assert message.subject == "Reset your password for AI Scaling Maturity"
    [link] = _links(message)
    assert link.startswith(f"{SITE}/accounts/reset/")
    assert f'href="{link}"' in _html(message)

    done = _choose_password(client, _path(link))

    assert done.status_code == 302
    assert done["Location"] == "/accounts/password/done/"
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert client.login(username="alice", password=NEW_PASSWORD)
    client.logout()

    again = _choose_password(client, _path(link), "yet another passphrase 7")
    assert again.status_code == 200
    assert "This link no longer works" in again.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    [entry] = AuditEntry.objects.filter(action="password.reset")  # once: the link worked once
    assert entry.user == alice


def test_the_reset_page_says_the_same_for_an_unknown_email(client, alice):
    known = _ask_for_reset(client, alice.email)
    unknown = _ask_for_reset(client, "nobody@nowhere.example")

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert [m.to for m in mail.outbox] == [[alice.email]]
    sent = client.get(known["Location"])
    assert "If the address you entered belongs to an account" in sent.content.decode()


def test_the_invitation_link_sets_the_first_password_once(
    client, alice, organization, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, organization, "cdo@client.example")
    client.logout()
    link = _invitation_link(mail.outbox[0])

    opened = client.get(_path(link))
    form_page = client.get(opened["Location"])
    assert "Set your password" in text(find(page(form_page), "h1"))
    assert "cdo@client.example" in form_page.content.decode()  # the username to log in with
    done = _choose_password(client, _path(link))

    assert done["Location"] == "/accounts/password/done/"
    assert client.login(username="cdo@client.example", password=NEW_PASSWORD)
    client.logout()
    assert "This link no longer works" in _choose_password(client, _path(link)).content.decode()


def test_the_invitation_link_expires(client, alice, organization, settings, monkeypatch):
    invited = UserFactory(username="late", email="late@client.example")
    invited.set_unusable_password()
    invited.save()
    MembershipFactory(organization=organization, user=invited, role=Role.EXECUTIVE)
    link = _set_password_url(invited)
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)

    response = _choose_password(client, _path(link))

    assert "This link no longer works" in response.content.decode()
    assert find(page(response), "a", href="/accounts/password/reset/")


def test_an_invited_member_whose_link_expired_can_ask_for_a_new_one(client, organization):
    invited = UserFactory(username="late", email="late@client.example")
    invited.set_unusable_password()
    invited.save()
    MembershipFactory(organization=organization, user=invited, role=Role.EXECUTIVE)
    stranger = UserFactory(username="noone", email="noone@client.example")
    stranger.set_unusable_password()
    stranger.save()

    _ask_for_reset(client, "late@client.example")
    _ask_for_reset(client, "noone@client.example")

    assert [m.to for m in mail.outbox] == [["late@client.example"]]
    done = _choose_password(client, _path(_links(mail.outbox[0])[0]))
    assert done.status_code == 302
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)


def test_the_member_invitation_carries_the_consultant_firms_branding(
    client, alice, bob, organization, django_capture_on_commit_callbacks
):
    Branding.objects.create(organization=organization, firm_name="Northwind Advisory")
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, organization, bob.email)

    [message] = mail.outbox
    html = _html(message)
    assert "Northwind Advisory" in html  # the header names the firm (DESIGN §12)
    assert "Sign in as bob" in message.body  # and the plain-text part stays
