"""Issue 17, the language of each user: chosen on the account page (it wins over the
browser's Accept-Language), the language switch of every page (a cookie for visitors, the
preference for a signed-in user), the API's messages (keys and codes stay English) and the
members' emails, subject and body, in the recipient's language."""

import json
import re

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from rest_framework.authtoken.models import Token

from organizations.language import language_of, set_language_of
from organizations.models import UserPreferences

from .factories import MembershipFactory, OrganizationFactory, UserFactory
from .pages import find, page, text

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}
NEW_ORGANIZATION = {
    "name": "Initech",
    "industry": "mining",  # not a choice
    "size_band": "lt_250",
    "region": "europe",
}


def _h1(response) -> str:
    return text(find(page(response), "h1"))


# --- the account page -------------------------------------------------------------------


def test_the_account_page_stores_the_language_and_the_next_page_is_german(client, alice):
    client.force_login(alice)
    assert _h1(client.get("/accounts/", **ENGLISH)) == "Your account"

    response = client.post("/accounts/", {"language": "de"}, **ENGLISH)

    assert response.status_code == 302 and response["Location"] == "/accounts/"
    assert UserPreferences.objects.get(user=alice).language == "de"
    account = client.get("/accounts/", **ENGLISH)
    assert _h1(account) == "Ihr Konto"
    content = account.content.decode()
    assert "Ihre Sprache wurde gespeichert." in content
    assert '<html lang="de">' in content
    assert "Your account" not in content
    organizations = client.get("/organizations/", **ENGLISH)
    assert _h1(organizations) == "Organisationen"
    assert "Neue Organisation" in organizations.content.decode()


def test_the_choice_survives_a_new_login_and_blank_is_the_browsers(client, alice):
    set_language_of(alice, "de")
    client.force_login(alice)
    assert _h1(client.get("/accounts/", **ENGLISH)) == "Ihr Konto"

    client.cookies.load({"django_language": "de"})  # an earlier switch in this browser
    client.post("/accounts/", {"language": ""}, **ENGLISH)

    assert UserPreferences.objects.get(user=alice).language == ""
    assert _h1(client.get("/accounts/", **ENGLISH)) == "Your account"
    assert _h1(client.get("/accounts/", **GERMAN)) == "Ihr Konto"


def test_a_language_that_is_not_offered_is_refused(client, alice):
    client.force_login(alice)

    response = client.post("/accounts/", {"language": "fr"})

    assert response.status_code == 400
    assert not UserPreferences.objects.filter(user=alice, language="fr").exists()


# --- the language switch of every page ---------------------------------------------------


def test_the_switch_sets_a_cookie_for_a_visitor(client):
    login = client.get("/accounts/login/", **ENGLISH)
    switch = find(page(login), "form", **{"class": "inline language-switch"})
    assert "Deutsch" in text(switch)

    response = client.post(
        "/i18n/setlang/", {"language": "de", "next": "/accounts/login/"}, **ENGLISH
    )

    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.cookies["django_language"].value == "de"
    assert _h1(client.get("/accounts/login/", **ENGLISH)) == "Anmelden"


def test_the_switch_needs_a_csrf_token(alice):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)

    response = strict.post("/i18n/setlang/", {"language": "de", "next": "/"})

    assert response.status_code == 403


def test_the_switch_keeps_a_signed_in_users_choice(client, alice):
    client.force_login(alice)

    client.post("/i18n/setlang/", {"language": "de", "next": "/organizations/"})

    assert language_of(alice) == "de"
    client.cookies.pop("django_language", None)  # another browser: the choice is the user's
    assert _h1(client.get("/organizations/", **ENGLISH)) == "Organisationen"


# --- pages in German ----------------------------------------------------------------------


def test_the_login_page_in_german(client):
    response = client.get("/accounts/login/", **GERMAN)

    content = response.content.decode()
    assert _h1(response) == "Anmelden"
    assert "Passwort vergessen?" in content
    assert "Führungskräfte, die einen Fragebogen beantworten, brauchen kein Konto" in content
    assert "Forgot password?" not in content and "Log in" not in content


def test_the_organization_list_and_page_in_german(client, alice, organization, assessment):
    client.force_login(alice)
    with translation.override("de"):
        created = date_format(timezone.localtime(assessment.created_at), "DATE_FORMAT")
    assert re.fullmatch(r"\d{1,2}\. \w+ \d{4}", created), created  # "2. Dezember 2026"

    listing = client.get("/organizations/", **GERMAN).content.decode()
    detail = client.get(f"/organizations/{organization.pk}/", **GERMAN).content.decode()

    assert "Branche" in listing and "Region" in listing and "Industry" not in listing
    assert "Acme Industries" in listing  # the organization's own name stays as it is
    for german in ("Mitglieder", "Mitglied einladen", "Assessments", "Berater/in", created):
        assert german in detail, german
    for english in ("Invite a member", "Change role", ">Consultant<"):
        assert english not in detail, english


def test_a_refusal_names_who_may_in_german(client, erin, organization):
    client.force_login(erin)

    response = client.get(f"/organizations/{organization.pk}/audit/", **GERMAN)

    assert response.status_code == 403
    assert "Nur Berater/innen dürfen das Audit-Protokoll lesen." in response.content.decode()


def test_english_stays_english(client, alice, organization):
    client.force_login(alice)

    detail = client.get(f"/organizations/{organization.pk}/", **ENGLISH).content.decode()

    assert "Invite a member" in detail and "Mitglied einladen" not in detail
    assert '<html lang="en">' in detail


# --- the API ------------------------------------------------------------------------------


def test_an_api_400_for_a_german_user_is_german_with_english_keys(client, alice):
    set_language_of(alice, "de")
    token = Token.objects.create(user=alice)

    response = client.post(
        "/api/v1/organizations/",
        json.dumps(NEW_ORGANIZATION),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
        **ENGLISH,
    )

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("industry", "invalid_choice")
    assert error["message"] == '"mining" ist keine gültige Option.'  # DRF's own German


def test_an_api_400_in_a_session_follows_the_choice_too(client, alice):
    client.force_login(alice)
    client.post("/accounts/", {"language": "de"})

    response = client.post(
        "/api/v1/organizations/",
        json.dumps({**NEW_ORGANIZATION, "industry": "technology", "extra": 1}),
        content_type="application/json",
        **ENGLISH,
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "extra", "code": "unknown_field", "message": "Unbekanntes Feld."}
    ]


def test_the_api_404_and_a_refused_input_in_german(client, alice):
    client.force_login(alice)

    missing = client.get("/api/v1/nothing-here/", **GERMAN)
    nul = client.get("/api/v1/organizations/?name=a%00b", **GERMAN)

    assert missing.json()["errors"] == [
        {"field": None, "code": "not_found", "message": "Nicht gefunden."}
    ]
    [error] = nul.json()["errors"]
    assert (error["code"], error["message"]) == (
        "null_characters",
        "Darf keine NUL-Zeichen enthalten.",
    )


# --- emails -----------------------------------------------------------------------------


def test_a_membership_email_to_a_german_member_is_german(
    client, alice, organization, django_capture_on_commit_callbacks
):
    member = UserFactory(username="greta", email="greta@client.example")
    set_language_of(member, "de")
    client.force_login(alice)  # alice herself reads English

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/organizations/{organization.pk}/members/",
            {"email": "greta@client.example", "role": "executive"},
            **ENGLISH,
        )

    [message] = mail.outbox
    assert message.subject == "Sie wurden bei AI Scaling Maturity zu Acme Industries hinzugefügt"
    [(html, _mimetype)] = message.alternatives
    for body in (message.body, html):
        assert "Guten Tag," in body
        assert "als Führungskraft" in body
        assert "You were added" not in body and "Hello," not in body
    assert "Melden Sie sich als" in message.body
    assert '<html lang="de">' in html


def test_a_membership_email_without_a_choice_is_english(
    client, alice, organization, django_capture_on_commit_callbacks
):
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/organizations/{organization.pk}/members/",
            {"email": "new@client.example", "role": "executive"},
            **GERMAN,  # the inviting consultant's browser does not decide
        )

    [message] = mail.outbox
    assert message.subject == "You were added to Acme Industries on AI Scaling Maturity"
    assert "Set your password to sign in:" in message.body


def test_a_password_reset_email_is_in_the_members_language(client):
    member = UserFactory(username="greta", email="greta@client.example")
    MembershipFactory(organization=OrganizationFactory(), user=member)
    set_language_of(member, "de")

    client.post("/accounts/password/reset/", {"email": "greta@client.example"}, **ENGLISH)

    [message] = mail.outbox
    assert message.subject == "Setzen Sie Ihr Passwort für AI Scaling Maturity zurück"
    assert "Jemand (hoffentlich Sie) hat angefordert" in message.body
    assert "läuft in 3 Tagen ab" in message.body


# --- the question bank editor -------------------------------------------------------------


def test_the_bank_editor_compares_versions_in_german(client):
    from django.contrib.auth.models import Permission

    from assessments.models import QuestionBank

    editor = UserFactory(username="methodologist")
    editor.user_permissions.add(Permission.objects.get(codename="edit_question_banks"))
    versions = list(QuestionBank.objects.order_by("published_at").values_list("version", flat=True))
    client.force_login(editor)

    banks = client.get("/methodology/", **GERMAN).content.decode()
    compare = client.get(
        "/methodology/compare/", {"old": versions[0], "new": versions[-1]}, **GERMAN
    ).content.decode()

    assert "Veröffentlichte Versionen" in banks and "Published versions" not in banks
    assert f"Von {versions[0]} zu {versions[-1]}" in compare
    assert "hinzugefügt" in compare and "entfernt" in compare and "Änderungen." in compare
    assert ">added<" not in compare
