"""A respondent invited in German answers in German, whatever their browser's language:
the questionnaire's words and the bank's texts (its German translation) are German, and
the language switch turns the page to English, in Chromium."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments import services
from assessments.selectors import bank_dimensions

from ..bank_translation import FIRST_QUESTION_DE, write_files


@pytest.fixture
def german_respondent(tmp_path, assessment):
    """Invited in German to an assessment whose bank (2026.1) has a German translation
    (the test fixture's, not the shipped one)."""
    call_command("load_reference_data", bank=[write_files(tmp_path)], stdout=StringIO())
    return services.respondent_add(
        assessment=assessment,
        name="Jonas Weber",
        email="jonas.weber@acme.example",
        role="cfo",
        language="de",
    )


@pytest.mark.browser
def test_a_respondent_invited_in_german_answers_in_german(
    live_server, german_respondent, make_context, shot, assert_no_external_requests
):
    respondent = german_respondent
    first = bank_dimensions(respondent.assessment.bank)[0]
    page = make_context(locale="en-US").new_page()  # an English browser
    page.goto(f"{live_server.url}/r/{respondent.token}/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Willkommen, Jonas Weber")
    expect(page.locator("#who-sees-what-h")).to_have_text("Wer Ihre Antworten sieht")
    expect(page.get_by_role("link", name="Dateninfrastruktur")).to_be_visible()
    shot(page, "welcome-de")
    page.get_by_role("link", name="Starten", exact=True).click()

    expect(page).to_have_url(re.compile(rf"/s/{first.key}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dateninfrastruktur")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Abschnitt 1 von 7")
    question = first.question_list[0]
    fieldset = page.locator(f"#q-{question.key}")
    expect(fieldset.locator("legend")).to_contain_text(FIRST_QUESTION_DE)
    expect(fieldset.locator(".level-text").first).to_contain_text("[de] ")
    expect(fieldset.get_by_text("Weiß nicht")).to_be_visible()
    expect(page.get_by_role("button", name="Speichern und weiter →")).to_be_visible()
    expect(page.get_by_text("Don't know")).to_have_count(0)
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined")

    # Every question of the first section: one by autosave, the others with the form.
    with page.expect_response(lambda r: r.url.endswith(f"/q/{question.key}/")) as saved:
        fieldset.locator("label.level").filter(has=page.locator('input[value="3"]')).click()
    assert saved.value.status == 200
    expect(fieldset.locator(".save-status .saved")).to_have_text(
        re.compile(r"Gespeichert um \d\d:\d\d:\d\d")
    )
    for other in first.question_list[1:]:
        page.locator(f"#q-{other.key} label.level").filter(
            has=page.locator('input[value="dont_know"]')
        ).click()
    shot(page, "section-de", full_page=True)
    page.get_by_role("button", name="Speichern und weiter →").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Abschnitt 2 von 7")

    page.goto(f"{live_server.url}/r/{respondent.token}/review/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Prüfen und absenden")
    page.get_by_role("button", name="Meine Antworten absenden").click()
    confirm = page.get_by_role("button", name=re.compile(r"^Ja, mit \d+ unbeantworteten absenden$"))
    expect(confirm).to_be_visible()
    confirm.click()

    expect(page).to_have_url(re.compile(r"/done/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vielen Dank, Jonas Weber")
    expect(page.get_by_role("link", name="Ihre Antworten ansehen und drucken")).to_be_visible()
    expect(page.get_by_text("Thank you")).to_have_count(0)
    shot(page, "done-de")
    respondent.refresh_from_db()
    assert respondent.is_submitted
    assert respondent.answers.exclude(kind="").count() == len(first.question_list)

    # The switch: English from now on, for this respondent.
    page.locator("#language-switch").get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, Jonas Weber")
    respondent.refresh_from_db()
    assert respondent.language == "en"
