"""Each respondent answers in their own language: chosen when they are invited (by
default the inviter's), kept on the respondent, used for their emails and their
questionnaire pages, and changed with the questionnaire's language switch. German and
English answers count in the same scores."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation

from assessments import selectors, services
from assessments.models import Question, Respondent
from common.errors import InputError
from tests.api.helpers import errors, fields, send
from tests.bank_translation import FIRST_QUESTION_DE, write_files
from tests.factories import AssessmentFactory, RespondentFactory
from tests.pages import attr, find, find_all, has_attr, page, text

pytestmark = pytest.mark.django_db

NEW = {"name": "Priya Natarajan", "email": "priya@acme.example", "role": "cio"}


@pytest.fixture
def as_alice(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def german_bank(tmp_path, bank):
    """The assessment's bank (2026.1) with the fixture's German translation."""
    call_command("load_reference_data", bank=[write_files(tmp_path)], stdout=StringIO())
    bank.refresh_from_db()
    return bank


def _selected(html, id_: str) -> str:
    select = find(html, "select", id=id_)
    options = find_all(select, "option")
    return next(attr(o, "value") for o in options if has_attr(o, "selected"))


# --- inviting -------------------------------------------------------------------------


def test_the_invitation_form_offers_the_inviters_language(as_alice, assessment):
    english = page(as_alice.get(f"/assessments/{assessment.pk}/"))
    german = page(as_alice.get(f"/assessments/{assessment.pk}/", HTTP_ACCEPT_LANGUAGE="de"))

    assert _selected(english, "id_language") == "en"
    assert _selected(german, "id_language") == "de"
    assert _selected(german, "bulk_language") == "de"
    assert "Befragte Person hinzufügen" in text(german)


@pytest.mark.parametrize(
    ("posted", "browser", "stored"),
    [({"language": "de"}, "en", "de"), ({}, "de", "de"), ({}, "en", "en")],
    ids=["chosen", "inviter-german", "inviter-english"],
)
def test_a_respondent_is_invited_in_a_language(as_alice, assessment, posted, browser, stored):
    response = as_alice.post(
        f"/assessments/{assessment.pk}/respondents/",
        {**NEW, **posted},
        HTTP_ACCEPT_LANGUAGE=browser,
    )

    assert response.status_code == 302
    assert Respondent.objects.get(email="priya@acme.example").language == stored


def test_an_unknown_language_on_the_form_is_a_field_error(as_alice, assessment):
    response = as_alice.post(
        f"/assessments/{assessment.pk}/respondents/", {**NEW, "language": "fr"}
    )

    assert response.status_code == 400
    assert text(find(page(response), "p", id="id_language_error"))
    assert not Respondent.objects.filter(email="priya@acme.example").exists()


def test_pasted_respondents_get_the_chosen_language(as_alice, assessment):
    as_alice.post(
        f"/assessments/{assessment.pk}/respondents/paste/",
        {"lines": "Ana Ruiz, ana@acme.example, ceo\nBo Li, bo@acme.example, cfo", "language": "de"},
    )

    assert set(assessment.respondents.values_list("language", flat=True)) == {"de"}


def test_the_respondents_api_takes_the_language(client, alice, assessment):
    client.force_login(alice)
    url = f"/api/v1/assessments/{assessment.pk}/respondents/"

    german = send(client, "post", url, {**NEW, "language": "de"})
    default = client.post(
        url,
        {**NEW, "email": "bo@acme.example"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="de",
    )
    unknown = send(client, "post", url, {**NEW, "email": "cy@acme.example", "language": "fr"})

    assert german.status_code == 201 and german.json()["language"] == "de"
    assert default.status_code == 201 and default.json()["language"] == "de"
    assert unknown.status_code == 400
    assert fields(unknown) == ["language"]
    assert "fr" in errors(unknown)[0]["message"]
    assert not Respondent.objects.filter(email="cy@acme.example").exists()
    listed = client.get(url).json()["results"]
    assert {r["email"]: r["language"] for r in listed} == {
        "priya@acme.example": "de",
        "bo@acme.example": "de",
    }


def test_the_service_refuses_an_unknown_language(assessment):
    with pytest.raises(InputError) as caught:
        services.respondent_add(assessment=assessment, **NEW, language="xx")
    assert caught.value.errors[0].field == "language"


# --- emails ---------------------------------------------------------------------------


def _invite(as_alice, assessment, respondent, capture):
    with capture(execute=True):
        as_alice.post(f"/assessments/{assessment.pk}/respondents/{respondent.pk}/send/")
    return mail.outbox[-1]


def test_the_invitation_is_in_the_respondents_language(
    as_alice, assessment, eager_tasks, django_capture_on_commit_callbacks
):
    german = RespondentFactory(assessment=assessment, name="Jonas Weber", language="de")
    english = RespondentFactory(assessment=assessment, name="Morgan Chen", language="en")

    to_german = _invite(as_alice, assessment, german, django_capture_on_commit_callbacks)
    to_english = _invite(as_alice, assessment, english, django_capture_on_commit_callbacks)

    assert to_german.subject == "Ihr Fragebogen zur KI-Skalierungsreife — Acme Industries"
    assert "Guten Tag Jonas Weber," in to_german.body
    assert "Der Fragebogen dauert 15–25 Minuten." in to_german.body
    assert "bitte leiten Sie ihn nicht weiter" in to_german.body
    html = to_german.alternatives[0][0]
    assert "Fragebogen öffnen" in html
    assert "Dear" not in to_german.body and "Open the questionnaire" not in html
    assert to_english.subject == "Your AI scaling maturity questionnaire — Acme Industries"
    assert "Dear Morgan Chen," in to_english.body
    assert "Fragebogen" not in to_english.body


def test_the_reminder_is_in_the_respondents_language(assessment):
    import datetime

    german = RespondentFactory(assessment=assessment, name="Jonas Weber", language="de")
    due = datetime.date(2031, 3, 14)
    with translation.override("en"):
        from assessments.emails import reminder_email

        reminder_email(german, due_date=due, today=datetime.date(2031, 3, 12))

    message = mail.outbox[-1]
    assert message.subject == (
        "Erinnerung: Ihr Fragebogen zur KI-Skalierungsreife — Acme Industries"
    )
    assert "ist in 2 Tagen fällig, am Freitag, 14. März 2031." in message.body
    assert "Reminder" not in message.body and "due in" not in message.body


# --- the questionnaire ----------------------------------------------------------------


def test_the_questionnaire_is_in_the_respondents_language_whatever_the_browser(
    client, german_bank, assessment
):
    german = RespondentFactory(assessment=assessment, name="Jonas Weber", language="de")
    english = RespondentFactory(assessment=assessment, name="Morgan Chen", language="en")

    welcome = client.get(f"/r/{german.token}/")
    section = client.get(f"/r/{german.token}/s/data_infrastructure/")
    english_section = client.get(
        f"/r/{english.token}/s/data_infrastructure/", HTTP_ACCEPT_LANGUAGE="de"
    )

    assert welcome["Content-Language"] == "de"
    assert "Willkommen, Jonas Weber" in text(page(welcome))
    html = page(section)
    assert text(find(html, "h1")).startswith("Dateninfrastruktur")
    assert FIRST_QUESTION_DE in text(html)
    assert "Weiß nicht" in text(html) and "Speichern und weiter →" in text(html)
    assert "Don't know" not in text(html) and "Save and continue" not in text(html)
    english_html = page(english_section)
    assert english_section["Content-Language"] == "en"
    assert "Data infrastructure" in text(find(english_html, "h1"))
    assert "Don't know" in text(english_html) and FIRST_QUESTION_DE not in text(english_html)


def test_the_language_switch_stores_the_respondents_choice(client, assessment):
    respondent = RespondentFactory(assessment=assessment, language="en")
    section = f"/r/{respondent.token}/s/talent/"
    switch = find(page(client.get(section)), "form", id="language-switch")
    assert attr(switch, "action") == f"/r/{respondent.token}/language/"

    response = client.post(f"/r/{respondent.token}/language/", {"language": "de", "next": section})

    assert response.status_code == 302 and response["Location"] == section
    respondent.refresh_from_db()
    assert respondent.language == "de"
    assert "Abschnitt 2 von 7" in text(page(client.get(section)))
    # Elsewhere than this questionnaire: back to its welcome page.
    away = client.post(
        f"/r/{respondent.token}/language/", {"language": "en", "next": "https://evil.example/"}
    )
    assert away["Location"] == f"/r/{respondent.token}/"
    bad = client.post(f"/r/{respondent.token}/language/", {"language": "klingon"}, follow=True)
    respondent.refresh_from_db()
    assert respondent.language == "en"
    assert "klingon" in text(page(bad))


# --- scores ---------------------------------------------------------------------------


def _answer(respondent, values):
    for question, value in zip(
        Question.objects.filter(bank=respondent.assessment.bank).order_by("position"),
        values,
        strict=False,
    ):
        services.answer_save(respondent=respondent, question=question, value=value)
    services.respondent_submit(respondent=respondent)


def test_german_and_english_respondents_count_in_the_same_medians(organization, german_bank):
    first = [1, 2, 3, 4, 5, 3, "dont_know", 2] * 10
    second = [5, 4, 3, 2, 1, 4, 3, "dont_know"] * 10
    mixed = AssessmentFactory(organization=organization, bank=german_bank)
    _answer(RespondentFactory(assessment=mixed, language="de", email="a@x.example"), first)
    _answer(RespondentFactory(assessment=mixed, language="en", email="b@x.example"), second)
    english = AssessmentFactory(organization=organization, bank=german_bank)
    _answer(RespondentFactory(assessment=english, language="en", email="a@x.example"), first)
    _answer(RespondentFactory(assessment=english, language="en", email="b@x.example"), second)

    def numbers(assessment, language):
        with translation.override(language):
            summary = selectors.assessment_scores(assessment).summary
        return (
            summary["respondents"],
            summary["overall"]["index"],
            summary["overall"]["level"],
            [(d["key"], d["score"], d["coverage"], d["alignment"]) for d in summary["dimensions"]],
            {k: q["value"] for k, q in summary["questions"].items()},
        ), summary

    mixed_en, summary_en = numbers(mixed, "en")
    mixed_de, summary_de = numbers(mixed, "de")
    both_english, _summary = numbers(english, "en")
    assert mixed_en == both_english == mixed_de
    assert mixed_en[0] == 2
    # Only the words change with the language.
    assert summary_de["dimensions"][0]["title"] == "Dateninfrastruktur"
    assert summary_en["dimensions"][0]["title"] == "Data infrastructure"


def test_the_scores_api_answers_in_the_callers_language(client, alice, german_bank, organization):
    assessment = AssessmentFactory(organization=organization, bank=german_bank)
    _answer(RespondentFactory(assessment=assessment), [1] * 80)
    client.force_login(alice)
    url = f"/api/v1/assessments/{assessment.pk}/scores/"

    english = client.get(url).json()
    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de").json()
    english_again = client.get(url).json()

    assert english["overall"]["level_name"] == "Exploring" == english_again["overall"]["level_name"]
    assert german["overall"]["level_name"] == "Erkunden"
    assert german["overall"]["index"] == english["overall"]["index"]
    assert german["dimensions"] == english["dimensions"]
