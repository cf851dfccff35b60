"""An executive answers the whole questionnaire from their invitation link, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Answer
from assessments.selectors import bank_dimensions

from ..factories import RespondentFactory

LEVEL_CYCLE = [3, 1, 4, 2, 5]
RELOAD_AFTER_SECTION = 4  # answered by autosave only, then reload / close and reopen
COMMENT = "Our data platform team owns this; see the 2025 audit."


def _plan(dimensions) -> dict[str, str]:
    """The value to choose for every question: varied levels, one "Don't know", one N/A."""
    questions = [q for d in dimensions for q in d.question_list]
    plan = {q.key: str(LEVEL_CYCLE[i % len(LEVEL_CYCLE)]) for i, q in enumerate(questions)}
    plan[dimensions[1].question_list[2].key] = "dont_know"
    not_applicable = next(q for q in questions if q.allow_na)
    plan[not_applicable.key] = "na"
    return plan


def _level_label(page, question_key: str, value: str):
    return page.locator(f"#q-{question_key} label.level").filter(
        has=page.locator(f'input[value="{value}"]')
    )


def _autosave_response(question_key: str):
    def matches(response) -> bool:
        return response.request.method == "POST" and response.url.endswith(f"/q/{question_key}/")

    return matches


def _answer_by_clicking(page, question_key: str, value: str) -> None:
    """Click a level's label and wait for htmx's "Saved at …" under that question."""
    with page.expect_response(_autosave_response(question_key)) as saved:
        _level_label(page, question_key, value).click()
    assert saved.value.status == 200, saved.value.text()
    expect(page.locator(f"#q-{question_key} .save-status .saved")).to_have_text(
        re.compile(r"Saved at \d\d:\d\d:\d\d")
    )
    expect(page.locator(f'#q-{question_key} input[value="{value}"]')).to_be_checked()


def _add_comment(page, question_key: str, text: str) -> None:
    fieldset = page.locator(f"#q-{question_key}")
    fieldset.locator("summary").click()
    with page.expect_response(_autosave_response(question_key)) as saved:
        fieldset.get_by_label("Comment").fill(text)  # autosaves 800 ms after typing stops
    assert saved.value.status == 200, saved.value.text()


def _open_section(page, dimension) -> None:
    """Wait until the section page is there and htmx (a deferred script) has set it up.

    A click before that checks the radio but cannot autosave: "Save and continue" saves it.
    """
    expect(page).to_have_url(re.compile(rf"/s/{dimension.key}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(dimension.title)
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined")


def _db_answer(respondent, question_key: str):
    return Answer.objects.filter(respondent=respondent, question__key=question_key).first()


def _expected(value: str) -> tuple[str, int | None]:
    return ("level", int(value)) if value.isdigit() else (value, None)


@pytest.mark.browser
def test_executive_answers_everything_with_autosave_and_submits(
    live_server, respondent, context, shot, assert_no_external_requests
):
    dimensions = bank_dimensions(respondent.assessment.bank)
    plan = _plan(dimensions)
    total = len(plan)
    assert total == 47
    link = f"{live_server.url}/r/{respondent.token}/"

    page = context.new_page()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Morgan Chen")
    expect(page.locator("#progress-label")).to_have_text(f"0 of {total} questions answered (0%)")
    shot(page, "welcome")
    page.get_by_role("link", name="Start", exact=True).click()

    answered = 0
    index = 0
    commented = dimensions[RELOAD_AFTER_SECTION - 1].question_list[0].key
    while index < len(dimensions):
        dimension = dimensions[index]
        _open_section(page, dimension)
        page.evaluate("window.__samePage = true")  # gone if the page reloads

        for question in dimension.question_list:
            _answer_by_clicking(page, question.key, plan[question.key])
            answered += 1
            if answered == 1:
                # Saved by autosave alone: in the database before any form is submitted.
                answer = _db_answer(respondent, question.key)
                assert answer is not None
                assert (answer.kind, answer.level) == _expected(plan[question.key])
            if question.key == commented:
                _add_comment(page, question.key, COMMENT)
                assert _db_answer(respondent, question.key).comment == COMMENT

        assert page.evaluate("window.__samePage === true"), "autosave reloaded the page"
        expect(page.locator("#progress-label")).to_contain_text(f"{answered} of {total}")
        if index == 0:
            shot(page, "section-1-answered", full_page=True)

        if index + 1 == RELOAD_AFTER_SECTION:
            # Nothing submitted for this section: what the page shows comes from autosave.
            page.reload()
            _open_section(page, dimension)
            for question in dimension.question_list:
                expect(
                    page.locator(f'#q-{question.key} input[value="{plan[question.key]}"]')
                ).to_be_checked()
                expect(page.locator(f"#q-{question.key} .save-status .saved")).to_have_text("Saved")
            expect(page.get_by_label("Comment").first).to_have_value(COMMENT)
            shot(page, "after-reload")

            # Close the page, open the link again: resume at the next unanswered section.
            page.close()
            page = context.new_page()
            page.goto(link)
            resume = page.get_by_role("link", name="Continue where you left off")
            expect(resume).to_have_attribute(
                "href", f"/r/{respondent.token}/s/{dimensions[index + 1].key}/"
            )
            expect(page.locator("#progress-label")).to_contain_text(f"{answered} of {total}")
            shot(page, "welcome-resume")
            resume.click()
        else:
            label = "Save and continue →" if index + 1 < len(dimensions) else "Save and review →"
            page.get_by_role("button", name=label).click()
        index += 1

    expect(page).to_have_url(re.compile(r"/review/$"))
    expect(page.get_by_text("Every question has an answer.")).to_be_visible()
    dont_know = next(q for q in plan if plan[q] == "dont_know")
    expect(page.locator("#dk-h + p + ul")).to_contain_text(
        next(q.text for d in dimensions for q in d.question_list if q.key == dont_know)
    )
    shot(page, "review", full_page=True)
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, Morgan Chen")
    shot(page, "done")

    respondent.refresh_from_db()
    assert respondent.submitted_at is not None
    answers = {a.question.key: a for a in respondent.answers.select_related("question")}
    assert len(answers) == total
    assert all(a.kind for a in answers.values())
    for key, value in plan.items():
        assert (answers[key].kind, answers[key].level) == _expected(value), key
    assert answers[commented].comment == COMMENT
    assert_no_external_requests()


@pytest.mark.browser
def test_questionnaire_works_without_javascript_and_locks_after_submit(
    live_server, assessment, make_context, shot, assert_no_external_requests
):
    respondent = RespondentFactory(assessment=assessment, name="Sam Okafor")
    dimensions = bank_dimensions(assessment.bank)
    first, second = dimensions[0], dimensions[1]
    plan = _plan(dimensions)
    base = f"{live_server.url}/r/{respondent.token}"

    context = make_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Sam Okafor")
    page.get_by_role("link", name="Start", exact=True).click()
    expect(page).to_have_url(f"{base}/s/{first.key}/")
    for question in first.question_list:
        _level_label(page, question.key, plan[question.key]).click()
        expect(
            page.locator(f'#q-{question.key} input[value="{plan[question.key]}"]')
        ).to_be_checked()
    assert not respondent.answers.exists(), "nothing can autosave without JavaScript"
    shot(page, "no-js-section-1", full_page=True)
    page.get_by_role("button", name="Save and continue →").click()

    expect(page).to_have_url(f"{base}/s/{second.key}/")
    saved = {a.question.key: a for a in respondent.answers.select_related("question")}
    assert set(saved) == {q.key for q in first.question_list}
    for question in first.question_list:
        answer = saved[question.key]
        assert (answer.kind, answer.level) == _expected(plan[question.key])
    expect(page.locator("#progress-label")).to_contain_text(
        f"{len(first.question_list)} of {len(plan)}"
    )

    # A second tab keeps section 2 open while the first one submits.
    stale = context.new_page()
    stale.goto(f"{base}/s/{second.key}/")
    page.goto(f"{base}/review/")
    expect(page.get_by_role("heading", name="Not answered yet")).to_be_visible()
    page.get_by_role("button", name="Submit my answers").click()
    # Questions are unanswered: the page asks first, and nothing is submitted yet.
    expect(
        page.get_by_role("heading", name=re.compile(r"^Submit with \d+ questions"))
    ).to_be_visible()
    respondent.refresh_from_db()
    assert respondent.submitted_at is None
    page.get_by_role("button", name=re.compile(r"^Yes, submit")).click()
    expect(page).to_have_url(f"{base}/done/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, Sam Okafor")
    respondent.refresh_from_db()
    assert respondent.submitted_at is not None

    # Submitting the stale tab's answers is refused: it lands on the confirmation.
    key = second.question_list[0].key
    _level_label(stale, key, "5").click()
    stale.get_by_role("button", name="Save and continue →").click()
    expect(stale).to_have_url(f"{base}/done/")
    assert _db_answer(respondent, key) is None
    assert respondent.answers.count() == len(first.question_list)

    # Opening any section after submitting shows the confirmation, not the form.
    page.goto(f"{base}/s/{first.key}/")
    expect(page).to_have_url(f"{base}/done/")
    expect(page.get_by_text("are now locked")).to_be_visible()
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/done/")
    shot(page, "no-js-locked")
    assert_no_external_requests()
