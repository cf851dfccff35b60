"""The executive's questionnaire in the browser, from the invitation link, with and
without JavaScript (htmx autosave versus posting a whole section)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments import services
from assessments.bank import DIMENSION_KEYS
from assessments.models import Answer, Question
from tests.factories import RespondentFactory
from tests.pages import attr, classes, find, find_all, has_attr, page, text

pytestmark = pytest.mark.django_db

FIRST, SECOND, THIRD, LAST = (
    DIMENSION_KEYS[0],
    DIMENSION_KEYS[1],
    DIMENSION_KEYS[2],
    "governance_risk",
)
HTMX = {"HTTP_HX_REQUEST": "true"}


def _questions(respondent, dimension_key: str) -> list[Question]:
    return list(
        Question.objects.filter(
            bank=respondent.assessment.bank, dimension__key=dimension_key
        ).order_by("position")
    )


def _section_data(respondent, dimension_key: str, value: str = "3", **overrides) -> dict:
    data = {f"{q.key}-value": value for q in _questions(respondent, dimension_key)}
    data.update(overrides)
    data.setdefault("go", "next")
    return data


def _section_url(respondent, dimension_key: str) -> str:
    return f"/r/{respondent.token}/s/{dimension_key}/"


def _autosave_url(respondent, question_key: str) -> str:
    return f"/r/{respondent.token}/q/{question_key}/"


def _answers(respondent) -> dict[str, tuple]:
    return {
        a.question.key: (a.kind, a.level, a.comment)
        for a in Answer.objects.filter(respondent=respondent).select_related("question")
    }


def _save(respondent, key: str, value, **extra):
    question = Question.objects.get(bank=respondent.assessment.bank, key=key)
    return services.answer_save(respondent=respondent, question=question, value=value, **extra)


# --- welcome --------------------------------------------------------------------------


def test_the_welcome_page_greets_the_respondent_and_lists_the_sections(client, respondent):
    response = client.get(f"/r/{respondent.token}/")

    assert response.status_code == 200
    html = page(response)
    assert "Welcome, Morgan Chen" in text(find(html, "h1"))
    sections = find(html, "nav", **{"aria-label": "Sections"})
    titles = [text(a) for a in find_all(sections, "a")]
    assert titles == [
        "Data infrastructure",
        "Talent acquisition and retention",
        "Integration with legacy systems",
        "Ethical and regulatory compliance",
        "Scalable infrastructure",
        "Talent and organizational readiness",
        "Governance and risk management",
        "Review and submit",
    ]
    start = find(html, "a", class_="primary")
    assert text(start) == "Start"
    assert attr(start, "href") == _section_url(respondent, FIRST)
    assert "Acme Industries" in response.content.decode()


def test_resuming_continues_at_the_first_unfinished_section(client, respondent):
    for dimension_key in (FIRST, SECOND):
        client.post(
            _section_url(respondent, dimension_key), _section_data(respondent, dimension_key)
        )

    html = page(client.get(f"/r/{respondent.token}/"))

    resume = find(html, "a", class_="primary")
    assert text(resume) == "Continue where you left off"
    assert attr(resume, "href") == _section_url(respondent, THIRD)
    answered = len(_questions(respondent, FIRST)) + len(_questions(respondent, SECOND))
    assert f"{answered} of 47 questions answered" in text(html)


# --- a section ------------------------------------------------------------------------


def test_a_section_shows_each_question_as_a_fieldset_with_five_levels_and_dont_know(
    client, respondent
):
    response = client.get(_section_url(respondent, FIRST))

    assert response.status_code == 200
    html = page(response)
    fieldsets = find_all(html, "fieldset", class_="question")
    questions = _questions(respondent, FIRST)
    assert [attr(f, "id") for f in fieldsets] == [f"q-{q.key}" for q in questions]
    for fieldset, question in zip(fieldsets, questions, strict=True):
        assert question.text in text(find(fieldset, "legend"))
        radios = find_all(fieldset, "input", type="radio")
        assert {attr(r, "name") for r in radios} == {f"{question.key}-value"}
        expected = ["1", "2", "3", "4", "5"] + (["na"] if question.allow_na else []) + ["dont_know"]
        assert [attr(r, "value") for r in radios] == expected, question.key
        assert "Don't know" in text(fieldset)
        for level_text in question.levels:
            assert level_text in text(fieldset)


def test_not_applicable_is_offered_only_where_the_question_allows_it(client, respondent):
    html = page(client.get(_section_url(respondent, FIRST)))

    offered = {
        attr(f, "id")
        for f in find_all(html, "fieldset", class_="question")
        if find_all(f, "input", value="na")
    }
    assert offered == {"q-di_realtime"}


def test_a_section_shows_saved_answers_as_chosen(client, respondent):
    _save(respondent, "di_quality", 4, comment="Finance only")
    _save(respondent, "di_realtime", "na")

    html = page(client.get(_section_url(respondent, FIRST)))

    checked = {
        attr(r, "name"): attr(r, "value")
        for r in find_all(html, "input", type="radio")
        if has_attr(r, "checked")
    }
    assert checked == {"di_quality-value": "4", "di_realtime-value": "na"}
    assert text(find(html, "textarea", name="di_quality-comment")) == "Finance only"


def test_an_unknown_section_is_404(client, respondent):
    assert client.get(_section_url(respondent, "no_such_section")).status_code == 404


# --- saving a whole section (no JavaScript) -------------------------------------------


def test_posting_a_section_saves_every_answer_and_moves_to_the_next(client, respondent):
    data = _section_data(respondent, FIRST, "2", **{"di_realtime-value": "na"})
    data["di_quality-value"] = "dont_know"
    data["di_quality-comment"] = "Nobody owns this"

    response = client.post(_section_url(respondent, FIRST), data)

    assert response.status_code == 302
    assert response["Location"] == _section_url(respondent, SECOND)
    saved = _answers(respondent)
    assert len(saved) == len(_questions(respondent, FIRST))
    assert saved["di_quality"] == ("dont_know", None, "Nobody owns this")
    assert saved["di_realtime"] == ("na", None, "")
    assert saved["di_silos"] == ("level", 2, "")


def test_posting_a_section_with_some_questions_left_blank_saves_the_rest(client, respondent):
    data = {"di_quality-value": "5", "go": "next"}

    response = client.post(_section_url(respondent, FIRST), data)

    assert response.status_code == 302
    assert _answers(respondent) == {"di_quality": ("level", 5, "")}


def test_save_and_go_back_returns_to_the_previous_section(client, respondent):
    response = client.post(
        _section_url(respondent, SECOND), _section_data(respondent, SECOND, go="previous")
    )

    assert response["Location"] == _section_url(respondent, FIRST)
    assert len(_answers(respondent)) == len(_questions(respondent, SECOND))


def test_the_last_section_leads_to_the_review(client, respondent):
    response = client.post(_section_url(respondent, LAST), _section_data(respondent, LAST))

    assert response.status_code == 302
    assert response["Location"] == f"/r/{respondent.token}/review/"


@pytest.mark.parametrize("bad", ["7", "0", "na", "²", "three"])
def test_an_invalid_value_saves_nothing_of_the_section_and_marks_the_question(
    client, respondent, bad
):
    _save(respondent, "di_silos", 1, comment="Before")
    before = _answers(respondent)
    data = _section_data(respondent, FIRST, "4", **{"di_quality-value": bad})

    response = client.post(_section_url(respondent, FIRST), data)

    assert response.status_code == 400
    assert _answers(respondent) == before
    html = page(response)
    assert "Nothing in this section was changed" in text(find(html, "div", class_="error-summary"))
    wrong = find(html, "fieldset", id="q-di_quality")
    assert "has-error" in classes(wrong)
    assert text(find(wrong, "span", class_="field-error"))
    others = [f for f in find_all(html, "fieldset", class_="question") if f is not wrong]
    assert not any("has-error" in classes(f) for f in others)
    # What the respondent chose is still chosen, so nothing has to be entered again.
    silos = find(html, "fieldset", id="q-di_silos")
    assert [attr(r, "value") for r in find_all(silos, "input") if has_attr(r, "checked")] == ["4"]


def test_not_applicable_where_not_allowed_is_explained(client, respondent):
    data = _section_data(respondent, FIRST, **{"di_quality-value": "na"})

    response = client.post(_section_url(respondent, FIRST), data)

    wrong = find(page(response), "fieldset", id="q-di_quality")
    assert '"Not applicable" is not allowed' in text(wrong)


# --- autosave (htmx) ------------------------------------------------------------------


def test_autosave_saves_one_answer_and_returns_the_progress(client, respondent):
    response = client.post(
        _autosave_url(respondent, "di_quality"),
        {"di_quality-value": "3", "di_quality-comment": "Getting there"},
        **HTMX,
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Saved" in body
    progress = find(page(response), "div", id="progress")
    assert attr(progress, "hx-swap-oob") == "true"
    assert "1 of 47 questions answered (2%)" in text(progress)
    assert _answers(respondent) == {"di_quality": ("level", 3, "Getting there")}


def test_autosave_replaces_the_earlier_answer(client, respondent):
    url = _autosave_url(respondent, "di_quality")
    client.post(url, {"di_quality-value": "2"}, **HTMX)

    client.post(url, {"di_quality-value": "5"}, **HTMX)

    assert _answers(respondent) == {"di_quality": ("level", 5, "")}


@pytest.mark.parametrize(
    ("value", "message"),
    [("9", "Level 9 is out of range"), ("na", '"Not applicable" is not allowed')],
)
def test_autosave_refuses_a_bad_value_with_the_reason(client, respondent, value, message):
    _save(respondent, "di_quality", 2)

    response = client.post(
        _autosave_url(respondent, "di_quality"), {"di_quality-value": value}, **HTMX
    )

    assert response.status_code == 400
    assert message in text(page(response))
    assert "Saved" not in text(page(response))
    assert _answers(respondent) == {"di_quality": ("level", 2, "")}


def test_autosave_of_an_unknown_question_is_404(client, respondent):
    response = client.post(_autosave_url(respondent, "nope"), {"nope-value": "3"}, **HTMX)

    assert response.status_code == 404


# --- review and submit ----------------------------------------------------------------


def test_the_review_lists_unanswered_questions_and_dont_knows(client, respondent):
    client.post(_section_url(respondent, FIRST), _section_data(respondent, FIRST, "3"))
    _save(respondent, "di_quality", "dont_know")

    html = page(client.get(f"/r/{respondent.token}/review/"))

    missing = find(html, "section", **{"aria-labelledby": "missing-h"})
    missing_titles = [text(h) for h in find_all(missing, "h3")]
    assert missing_titles[0] == "Talent acquisition and retention"
    assert "Data infrastructure" not in missing_titles
    assert len(find_all(missing, "li")) == 47 - len(_questions(respondent, FIRST))
    dont_know = find(html, "section", **{"aria-labelledby": "dk-h"})
    quality = Question.objects.get(bank=respondent.assessment.bank, key="di_quality")
    assert [text(li) for li in find_all(dont_know, "li")] == [quality.text]


def test_submitting_locks_the_answers(client, respondent):
    _save(respondent, "di_quality", 3)

    response = client.post(f"/r/{respondent.token}/submit/", {"confirm": "yes"})

    assert response.status_code == 302
    assert response["Location"] == f"/r/{respondent.token}/done/"
    done = client.get(response["Location"])
    assert "Thank you, Morgan Chen" in done.content.decode()
    assert "locked" in done.content.decode()
    respondent.refresh_from_db()
    assert respondent.is_submitted


def test_after_submitting_nothing_can_be_changed(client, respondent):
    _save(respondent, "di_quality", 3)
    client.post(f"/r/{respondent.token}/submit/", {"confirm": "yes"})
    before = _answers(respondent)

    section = client.post(
        _section_url(respondent, FIRST), _section_data(respondent, FIRST, "5"), follow=True
    )
    autosave = client.post(
        _autosave_url(respondent, "di_quality"), {"di_quality-value": "5"}, **HTMX
    )
    again = client.post(f"/r/{respondent.token}/submit/", follow=True)

    assert section.redirect_chain[-1][0] == f"/r/{respondent.token}/done/"
    assert "now locked" in section.content.decode()
    assert autosave.status_code == 409
    assert "submitted and can no longer be changed" in autosave.content.decode()
    assert "already submitted" in again.content.decode()
    assert _answers(respondent) == before
    for path in ("", "s/data_infrastructure/", "review/"):
        assert client.get(f"/r/{respondent.token}/{path}")["Location"].endswith("/done/")


def test_submitting_with_nothing_answered_is_refused_with_a_message(client, respondent):
    response = client.post(f"/r/{respondent.token}/submit/", follow=True)

    assert response.redirect_chain[-1][0] == f"/r/{respondent.token}/review/"
    assert "Answer at least one question before submitting" in response.content.decode()
    respondent.refresh_from_db()
    assert not respondent.is_submitted


def test_the_done_page_before_submitting_sends_the_respondent_to_review(client, respondent):
    response = client.get(f"/r/{respondent.token}/done/")

    assert response["Location"] == f"/r/{respondent.token}/review/"


def test_a_closed_assessment_refuses_answers_with_a_message(client, respondent, assessment):
    colleague = RespondentFactory(assessment=assessment)
    _save(colleague, "di_quality", 3)
    services.respondent_submit(respondent=colleague)
    services.assessment_close(assessment=assessment)

    section = client.post(_section_url(respondent, FIRST), _section_data(respondent, FIRST))
    autosave = client.post(
        _autosave_url(respondent, "di_quality"), {"di_quality-value": "5"}, **HTMX
    )

    assert section.status_code in (400, 409)
    assert "This assessment is closed" in section.content.decode()
    assert autosave.status_code == 409
    assert "closed" in autosave.content.decode()
    assert _answers(respondent) == {}


# --- unusable links -------------------------------------------------------------------


def _unknown(respondent) -> str:
    return "not-a-real-token-" + respondent.token[:8]


def _expired(respondent) -> str:
    respondent.token_expires_at = timezone.now() - timedelta(seconds=1)
    respondent.save()
    return respondent.token


def _revoked(respondent) -> str:
    services.respondent_revoke(respondent=respondent)
    return respondent.token


RESPONDENT_PAGES = [
    ("get", "", {}),
    ("get", f"s/{FIRST}/", {}),
    ("post", f"s/{FIRST}/", {"di_quality-value": "3"}),
    ("post", "q/di_quality/", {"di_quality-value": "3"}),
    ("get", "review/", {}),
    ("post", "submit/", {}),
    ("get", "done/", {}),
    ("get", "answers/", {}),
]


@pytest.mark.parametrize(
    "spoil", [_unknown, _expired, _revoked], ids=["unknown", "expired", "revoked"]
)
@pytest.mark.parametrize(
    ("method", "path", "data"),
    [pytest.param(m, p, d, id=f"{m}-{p or 'welcome'}") for m, p, d in RESPONDENT_PAGES],
)
def test_an_unusable_link_opens_nothing_on_any_page(client, respondent, spoil, method, path, data):
    """Unknown: 404; revoked or expired: 410 Gone (the page says why, tests below)."""
    _save(respondent, "di_quality", 1)
    token = spoil(respondent)

    response = getattr(client, method)(f"/r/{token}/{path}", data)

    assert response.status_code == (404 if spoil is _unknown else 410)
    assert "di_quality" not in response.content.decode()
    assert _answers(respondent) == {"di_quality": ("level", 1, "")}
    respondent.refresh_from_db()
    assert respondent.submitted_at is None


def test_a_submitted_respondent_whose_link_is_revoked_sees_nothing(client, respondent):
    _save(respondent, "di_quality", 1)
    services.respondent_submit(respondent=respondent)
    services.respondent_revoke(respondent=respondent)

    assert client.get(f"/r/{respondent.token}/done/").status_code == 410
    assert client.get(f"/r/{respondent.token}/answers/").status_code == 410
