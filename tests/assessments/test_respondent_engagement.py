"""Issue 13, respondents: bulk paste, email all, status labels, confirm steps (Close,
Revoke, Submit with questions unanswered), the page of an unusable invitation link
(also under production settings), the respondent's printable answers, and "Saved at" in
the browser's time zone."""

from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from assessments import services
from assessments.models import Assessment, Question, Respondent
from audit.models import AuditEntry
from config.celery_app import app as celery_app
from tests.factories import RespondentFactory
from tests.pages import attr, find, find_all, page, text

pytestmark = pytest.mark.django_db

CONFIRM = {"confirm": "yes"}


@pytest.fixture
def as_alice(client, alice):
    alice.first_name, alice.last_name, alice.email = "Alice", "Martin", "alice@advisory.example"
    alice.save()
    client.force_login(alice)
    return client


@pytest.fixture
def eager_tasks(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


def _detail(assessment) -> str:
    return f"/assessments/{assessment.pk}/"


def _messages(response) -> list[str]:
    return [text(li) for li in find_all(page(response), "li", class_="message")]


def _questions(respondent):
    return list(Question.objects.filter(bank=respondent.assessment.bank).order_by("position"))


def _answer(respondent, count: int, **extra) -> None:
    for question in _questions(respondent)[:count]:
        services.answer_save(respondent=respondent, question=question, value=3, **extra)


def _submit(respondent, count: int = 1) -> None:
    _answer(respondent, count)
    services.respondent_submit(respondent=respondent)


# --- bulk add -------------------------------------------------------------------------

PASTE = "\n".join(
    [
        "Ana Ruiz, ana@acme.example, CFO, Group CFO, Finance",
        "Ben Ode, ben@acme.example, cio",
        "Cleo Park, cleo@acme, Chief Data Officer",
        "Dev Shah\tdev@acme.example\tBusiness-unit head\tVP Retail\tRetail",
    ]
)


def test_a_paste_with_one_bad_line_adds_nothing_and_shows_the_line(as_alice, assessment):
    response = as_alice.post(f"{_detail(assessment)}respondents/paste/", {"lines": PASTE})

    assert response.status_code == 400
    assert not Respondent.objects.filter(assessment=assessment).exists()
    assert not AuditEntry.objects.filter(action="respondent.added").exists()
    html = page(response)
    form = find(html, "form", action=f"{_detail(assessment)}respondents/paste/")
    errors = [text(p) for p in find_all(form, "p", class_="field-error")]
    assert errors == ["line 3: 'cleo@acme' is not an email address"]
    # The paste is kept, as it was typed.
    assert response.context["bulk_form"]["lines"].value() == PASTE
    assert "Cleo Park, cleo@acme, Chief Data Officer" in text(find(form, "textarea", name="lines"))
    second_step = find(form, "button", name="only_valid")
    assert text(second_step) == "Add only the 3 good lines"


def test_adding_only_the_good_lines_is_the_explicit_second_step(as_alice, assessment):
    response = as_alice.post(
        f"{_detail(assessment)}respondents/paste/",
        {"lines": PASTE, "only_valid": "yes"},
        follow=True,
    )

    added = Respondent.objects.filter(assessment=assessment).order_by("name")
    assert [(r.name, r.email, r.role, r.title, r.business_unit) for r in added] == [
        ("Ana Ruiz", "ana@acme.example", "cfo", "Group CFO", "Finance"),
        ("Ben Ode", "ben@acme.example", "cio", "", ""),
        ("Dev Shah", "dev@acme.example", "bu_head", "VP Retail", "Retail"),
    ]
    assert "3 respondents added: Ana Ruiz, Ben Ode, Dev Shah" in " ".join(_messages(response))
    entries = AuditEntry.objects.filter(action="respondent.added").order_by("id")
    assert [e.changes["email"][1] for e in entries] == [r.email for r in added]
    assert {e.organization_id for e in entries} == {assessment.organization_id}
    rows = find_all(page(response), "tr")
    assert len(rows) == 4  # the head and three respondents


def test_a_good_paste_adds_everyone_and_already_added_people_are_named(
    as_alice, assessment, respondent
):
    good = "Ana Ruiz, ana@acme.example, CFO\nBen Ode, ben@acme.example, CIO"
    response = as_alice.post(f"{_detail(assessment)}respondents/paste/", {"lines": good})
    assert response.status_code == 302
    assert Respondent.objects.filter(assessment=assessment).count() == 3

    again = as_alice.post(
        f"{_detail(assessment)}respondents/paste/",
        {"lines": f"Morgan Chen, {respondent.email}, CEO\nAna Ruiz, ana@acme.example, CFO"},
    )
    assert again.status_code == 400
    errors = [text(p) for p in find_all(page(again), "p", class_="field-error")]
    assert errors == [
        "line 1: ceo@acme.example is already a respondent of this assessment",
        "line 2: ana@acme.example is already a respondent of this assessment",
    ]
    assert not find_all(page(again), "button", name="only_valid")  # no good line to add


def test_an_empty_paste_or_a_closed_assessment_adds_nothing(as_alice, assessment, respondent):
    empty = as_alice.post(f"{_detail(assessment)}respondents/paste/", {"lines": "\n# nobody\n"})
    assert empty.status_code == 400
    assert "Paste at least one line" in empty.content.decode()

    _submit(respondent)
    services.assessment_close(assessment=assessment)
    closed = as_alice.post(f"{_detail(assessment)}respondents/paste/", {"lines": PASTE})
    assert "cannot be added to a closed assessment" in " ".join(_messages(closed))
    assert Respondent.objects.filter(assessment=assessment).count() == 1


def test_the_bulk_service_is_one_transaction(assessment):
    with pytest.raises(Exception, match="line 3"):
        services.respondents_add_bulk(assessment=assessment, text=PASTE)
    assert not Respondent.objects.exists()
    added = services.respondents_add_bulk(assessment=assessment, text=PASTE, only_valid=True)
    assert len(added) == 3


# --- email all ------------------------------------------------------------------------


@pytest.fixture
def mixed(assessment):
    """One respondent in each state that matters to "email all"."""
    now = timezone.now()
    fresh = RespondentFactory(assessment=assessment, name="A Fresh", email="a@acme.example")
    invited = RespondentFactory(
        assessment=assessment, name="B Invited", email="b@acme.example", invited_at=now
    )
    revoked = RespondentFactory(
        assessment=assessment, name="C Revoked", email="c@acme.example", revoked_at=now
    )
    expired = RespondentFactory(
        assessment=assessment,
        name="D Expired",
        email="d@acme.example",
        token_expires_at=now - timedelta(days=1),
    )
    submitted = RespondentFactory(assessment=assessment, name="E Done", email="e@acme.example")
    _submit(submitted)
    return fresh, invited, revoked, expired, submitted


def _email_all(client, assessment, which, capture):
    with capture(execute=True):
        return client.post(
            f"{_detail(assessment)}respondents/email-all/", {"which": which}, follow=True
        )


def test_email_all_not_yet_invited(
    as_alice, assessment, mixed, eager_tasks, django_capture_on_commit_callbacks
):
    response = _email_all(as_alice, assessment, "not_invited", django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [["a@acme.example"]]
    assert _messages(response) == [
        "1 invitation sent; 3 skipped (1 expired, 1 revoked, 1 submitted)."
    ]
    assert AuditEntry.objects.filter(action="invitation.sent").count() == 1


def test_email_all_not_submitted(
    as_alice, assessment, mixed, eager_tasks, django_capture_on_commit_callbacks
):
    response = _email_all(as_alice, assessment, "not_submitted", django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == ["a@acme.example", "b@acme.example"]
    assert _messages(response) == ["2 invitations sent; 2 skipped (1 expired, 1 revoked)."]
    fresh, *_ = mixed
    fresh.refresh_from_db()
    assert fresh.invited_at is not None


def test_email_all_refuses_an_unknown_choice_and_a_closed_assessment(
    as_alice, assessment, mixed, eager_tasks, django_capture_on_commit_callbacks
):
    bad = _email_all(as_alice, assessment, "everyone", django_capture_on_commit_callbacks)
    assert "Choose whom to email" in " ".join(_messages(bad))
    services.assessment_close(assessment=assessment)
    closed = _email_all(as_alice, assessment, "not_submitted", django_capture_on_commit_callbacks)
    assert "closed" in " ".join(_messages(closed))
    assert mail.outbox == []


def test_the_email_all_buttons_say_how_many(as_alice, assessment, mixed):
    form = find(page(as_alice.get(_detail(assessment))), "form", class_="button-row")
    labels = [text(b) for b in find_all(form, "button", name="which")]
    assert labels == ["Email all not yet invited (4)", "Email all not submitted (4)"]


# --- status labels --------------------------------------------------------------------


def test_status_labels(as_alice, assessment, mixed):
    fresh, invited, revoked, expired, submitted = mixed
    _answer(invited, 5)
    html = page(as_alice.get(_detail(assessment)))
    total = len(_questions(invited))

    def status(respondent):
        row = find(html, "tr", **{"data-respondent": respondent.email})
        label = find_all(row, "span", class_="status")[0]
        return attr(label, "data-status"), text(label)

    assert status(fresh) == ("not_started", "Not started")
    assert status(invited) == ("in_progress", f"In progress ({round(500 / total)} %)")
    assert status(revoked) == ("revoked", "Revoked")
    assert status(expired) == ("expired", "Expired")
    assert status(submitted) == ("submitted", "Submitted")


# --- confirmations --------------------------------------------------------------------


def test_closing_asks_first(as_alice, assessment, respondent):
    colleague = RespondentFactory(assessment=assessment, name="Luca Romano")
    _submit(colleague)
    url = f"{_detail(assessment)}close/"

    shown = as_alice.get(url)
    unconfirmed = as_alice.post(url)

    for response in (shown, unconfirmed):
        assert response.status_code == 200
        html = page(response)
        assert "Close" in text(find(html, "h1"))
        assert "1 submitted respondent" in text(html)
        assert "Morgan Chen" in text(html)  # who has not submitted
        form = find(html, "form", action=url)
        assert attr(find(form, "input", name="confirm"), "value") == "yes"
    assessment.refresh_from_db()
    assert assessment.is_open
    assert not AuditEntry.objects.filter(action="assessment.closed").exists()

    as_alice.post(url, CONFIRM)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.CLOSED


def test_the_assessment_page_goes_to_the_confirmations(as_alice, assessment, respondent):
    html = page(as_alice.get(_detail(assessment)))
    close = find(html, "form", action=f"{_detail(assessment)}close/")
    revoke = find(html, "form", action=f"{_detail(assessment)}respondents/{respondent.pk}/revoke/")
    assert attr(close, "method") == attr(revoke, "method") == "get"


def test_revoking_asks_first(as_alice, client, assessment, respondent):
    url = f"{_detail(assessment)}respondents/{respondent.pk}/revoke/"

    for response in (as_alice.get(url), as_alice.post(url)):
        assert response.status_code == 200
        assert "Revoke Morgan Chen" in text(find(page(response), "h1"))
    respondent.refresh_from_db()
    assert respondent.revoked_at is None

    as_alice.post(url, CONFIRM)
    respondent.refresh_from_db()
    assert respondent.revoked_at is not None


def test_a_confirmation_that_could_not_succeed_says_why_and_offers_no_button(
    as_alice, assessment, respondent
):
    close = page(as_alice.get(f"{_detail(assessment)}close/"))
    assert "only after at least one submission" in text(close)
    assert not find_all(close, "input", name="confirm")

    _submit(respondent)
    revoke = page(as_alice.get(f"{_detail(assessment)}respondents/{respondent.pk}/revoke/"))
    assert "Morgan Chen has already submitted; there is no link to revoke." in text(revoke)
    assert not find_all(revoke, "input", name="confirm")


def test_submitting_with_questions_unanswered_asks_first(client, respondent):
    _answer(respondent, 2)
    url = f"/r/{respondent.token}/submit/"

    response = client.post(url)

    assert response.status_code == 200
    confirm = find(page(response), "section", id="confirm")
    total = len(_questions(respondent))
    assert f"Submit with {total - 2} questions unanswered?" in text(confirm)
    assert attr(find(confirm, "input", name="confirm"), "value") == "yes"
    respondent.refresh_from_db()
    assert not respondent.is_submitted

    assert client.post(url, CONFIRM)["Location"] == f"/r/{respondent.token}/done/"
    respondent.refresh_from_db()
    assert respondent.is_submitted


def test_submitting_everything_answered_needs_no_confirmation(client, respondent):
    _answer(respondent, len(_questions(respondent)))
    review = client.get(f"/r/{respondent.token}/review/")
    assert not find_all(page(review), "section", id="confirm")

    response = client.post(f"/r/{respondent.token}/submit/")

    assert response["Location"] == f"/r/{respondent.token}/done/"
    respondent.refresh_from_db()
    assert respondent.is_submitted


# --- an unusable invitation link ------------------------------------------------------


def _expire(respondent):
    respondent.token_expires_at = timezone.now() - timedelta(minutes=1)
    respondent.save()


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
@pytest.mark.parametrize("path", ["", "review/", "done/", "s/data_infrastructure/"])
def test_an_expired_link_explains_and_names_the_consultant(
    as_alice, client, respondent, debug, path
):
    _expire(respondent)
    client.logout()
    with override_settings(DEBUG=debug):
        response = client.get(f"/r/{respondent.token}/{path}")

    assert response.status_code == 410
    html = page(response)
    assert text(find(html, "h1")) == "This invitation link has expired"
    body = text(html)
    assert "Alice Martin" in body
    assert attr(find(html, "a", href="mailto:alice@advisory.example"), "href")
    assert "To get a new link, contact" in body
    assert find_all(html, "link", rel="stylesheet")  # the product's style


@override_settings(DEBUG=False)
def test_a_revoked_link_says_so_under_production_settings(as_alice, client, respondent):
    services.respondent_revoke(respondent=respondent)
    client.logout()

    response = client.get(f"/r/{respondent.token}/")

    assert response.status_code == 410
    html = page(response)
    assert text(find(html, "h1")) == "This invitation link was revoked"
    assert "alice@advisory.example" in text(html)


@override_settings(DEBUG=False)
def test_an_unknown_link_gives_general_guidance(client, as_alice, respondent):
    client.logout()
    response = client.get("/r/not-a-token-at-all/")

    assert response.status_code == 404
    html = page(response)
    assert text(find(html, "h1")) == "This link is not valid"
    assert "contact the consultant who invited you" in text(html)
    assert "alice" not in response.content.decode().lower()


def test_autosave_on_a_revoked_link_says_so_where_saved_would_be(client, as_alice, respondent):
    services.respondent_revoke(respondent=respondent)
    client.logout()

    response = client.post(
        f"/r/{respondent.token}/q/di_quality/", {"di_quality-value": "3"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 410
    assert text(page(response)).startswith("Not saved: this link was revoked.")
    assert "<html" not in response.content.decode()


@override_settings(DEBUG=False)
def test_the_404_page_is_in_the_products_style_and_the_apis_stays_json(client, respondent):
    response = client.get(f"/r/{respondent.token}/s/no_such_section/")

    assert response.status_code == 404
    html = page(response)
    assert text(find(html, "h1")) == "Page not found"
    assert find_all(html, "link", rel="stylesheet")

    api = client.get("/api/v1/no-such-thing/")
    assert api.status_code == 404
    assert api.json()["errors"][0]["code"] == "not_found"


def test_the_api_still_answers_404_json_for_a_revoked_link(client, respondent):
    services.respondent_revoke(respondent=respondent)
    response = client.get(f"/api/v1/respond/{respondent.token}/")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


# --- the respondent's printable answers -----------------------------------------------


def test_after_submitting_the_respondent_can_print_their_answers(client, assessment, respondent):
    first, second = _questions(respondent)[:2]
    services.answer_save(
        respondent=respondent,
        question=first,
        value=4,
        comment="Lakehouse since 2024",
        evidence="https://wiki.acme.example/data",
    )
    services.answer_save(respondent=respondent, question=second, value="dont_know")
    colleague = RespondentFactory(assessment=assessment, name="Luca Romano")
    services.answer_save(respondent=colleague, question=first, value=1, comment="Luca's secret")
    services.respondent_submit(respondent=respondent)
    services.respondent_submit(respondent=colleague)

    done = page(client.get(f"/r/{respondent.token}/done/"))
    link = find(done, "a", href=f"/r/{respondent.token}/answers/")
    assert "print" in text(link).lower()

    response = client.get(f"/r/{respondent.token}/answers/")

    assert response.status_code == 200
    html = page(response)
    item = find(html, "li", id=f"q-{first.key}")
    assert f"Level 4: {first.levels[3]}" in text(item)
    assert "Lakehouse since 2024" in text(item)
    assert "https://wiki.acme.example/data" in text(item)
    assert "Don't know" in text(find(html, "li", id=f"q-{second.key}"))
    assert "Not answered" in text(html)
    assert "Morgan Chen" in text(html)
    assert "Luca" not in response.content.decode()
    assert (
        find_all(html, "button", **{"data-print": ""}) or "data-print" in response.content.decode()
    )


def test_the_print_view_needs_the_token_and_a_submission(client, as_alice, assessment, respondent):
    _answer(respondent, 1)
    not_yet = client.get(f"/r/{respondent.token}/answers/")
    assert not_yet.status_code == 302  # to done, then back to review: nothing to print yet

    services.respondent_submit(respondent=respondent)
    client.logout()
    assert client.get("/r/someone-elses-guess/answers/").status_code == 404
    assert client.get(f"/r/{respondent.token[:-1]}/answers/").status_code == 404
    assert client.get(f"/r/{respondent.token}/answers/").status_code == 200


# --- "Saved at" -----------------------------------------------------------------------


@override_settings(TIME_ZONE="Europe/Berlin")
def test_saved_at_is_a_time_element_with_the_named_zone_as_fallback(client, respondent):
    response = client.post(
        f"/r/{respondent.token}/q/di_quality/", {"di_quality-value": "3"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    time = find(page(response), "time")
    answer = respondent.answers.get()
    stamp = attr(time, "datetime")
    assert abs(timezone.datetime.fromisoformat(stamp) - answer.updated_at) < timedelta(seconds=5)
    assert stamp.endswith(("+01:00", "+02:00"))
    assert (
        attr(time, "data-local-time") is not None or "data-local-time" in response.content.decode()
    )
    assert text(time).endswith("(Europe/Berlin)")


def test_the_script_converts_time_elements_without_inline_script():
    with open(finders.find("js/app.js")) as file:
        script = file.read()
    assert "time[data-local-time]" in script
    assert "toLocaleTimeString" in script
