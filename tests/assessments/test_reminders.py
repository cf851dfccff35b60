"""Reminders (DESIGN §12): at 7 and 2 days before and 1 day after the due date, to
respondents who have not submitted, each at most once per respondent and offset."""

import threading
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from assessments import services
from assessments.models import Assessment, ReminderSend
from common.errors import ConflictError, InputError
from organizations.models import Branding

from ..factories import AssessmentFactory, RespondentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

# Noon on a Wednesday, in the server's time zone (UTC in tests).
NOW = timezone.make_aware(datetime(2031, 3, 12, 12, 0))
TODAY = NOW.date()


def due_in(days: int):
    return TODAY + timedelta(days=days)


@pytest.fixture
def due_assessment(organization, bank, alice):
    """Due in 2 days: the 2-day reminder is due today (the 7-day one is past)."""
    return AssessmentFactory(
        organization=organization, bank=bank, created_by=alice, due_date=due_in(2)
    )


def expiring(days=30):
    return NOW + timedelta(days=days)


def sweep(now=NOW):
    """A beat's sweep at `now`; its tasks run at once (eager), at `now` too."""
    with time_machine.travel(now, tick=False):
        return services.reminders_sweep()


def reminders_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def test_a_sweep_run_twice_sends_one_reminder_per_respondent_and_offset(due_assessment):
    first = RespondentFactory(assessment=due_assessment, token_expires_at=expiring())
    second = RespondentFactory(assessment=due_assessment, token_expires_at=expiring())

    one, two = sweep(), sweep()

    assert (one.recorded, one.queued, two.recorded, two.queued) == (2, 2, 0, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])
    assert set(ReminderSend.objects.values_list("offset_days", "status")) == {(2, "sent")}
    # Later the same day, and the day after: nothing new until the day after the due date.
    sweep(NOW + timedelta(hours=6))
    sweep(NOW + timedelta(days=1))
    assert len(mail.outbox) == 2
    sweep(NOW + timedelta(days=3))  # 1 day after the due date
    assert len(mail.outbox) == 4
    assert "still missing" in mail.outbox[-1].subject
    sweep(NOW + timedelta(days=4))
    assert len(mail.outbox) == 4


def test_each_offset_is_sent_on_its_day(organization, bank):
    assessment = AssessmentFactory(organization=organization, bank=bank, due_date=due_in(7))
    respondent = RespondentFactory(assessment=assessment, token_expires_at=expiring(60))
    for day in range(0, 12):
        sweep(NOW + timedelta(days=day))
    sent = ReminderSend.objects.filter(respondent=respondent).order_by("-offset_days")
    assert [(r.offset_days, r.sent_at.date()) for r in sent] == [
        (7, TODAY),
        (2, due_in(5)),
        (-1, due_in(8)),
    ]
    assert len(mail.outbox) == 3


def test_no_reminder_to_submitted_revoked_or_expired_respondents_or_closed_assessments(
    due_assessment, organization, bank
):
    waiting = RespondentFactory(assessment=due_assessment, token_expires_at=expiring())
    RespondentFactory(assessment=due_assessment, token_expires_at=expiring(), submitted_at=NOW)
    RespondentFactory(assessment=due_assessment, token_expires_at=expiring(), revoked_at=NOW)
    RespondentFactory(assessment=due_assessment, token_expires_at=NOW - timedelta(minutes=1))
    closed = AssessmentFactory(
        organization=organization,
        bank=bank,
        due_date=due_in(2),
        status=Assessment.Status.CLOSED,
    )
    RespondentFactory(assessment=closed, token_expires_at=expiring())
    no_due_date = AssessmentFactory(organization=organization, bank=bank)
    RespondentFactory(assessment=no_due_date, token_expires_at=expiring())

    sweep()

    assert [m.to for m in mail.outbox] == [[waiting.email]]
    assert ReminderSend.objects.count() == 1


def test_a_respondent_who_submits_after_the_claim_is_skipped(due_assessment):
    respondent = RespondentFactory(assessment=due_assessment, token_expires_at=expiring())
    claimed = []
    result = services.reminders_sweep(now=NOW, publish=lambda pk, claim: claimed.append(pk))
    respondent.submitted_at = NOW
    respondent.save()

    assert services.reminder_send(reminder_id=claimed[0], claim=result.claim, now=NOW) == (
        "skipped"
    )
    assert mail.outbox == []
    assert ReminderSend.objects.get().status == ReminderSend.Status.SKIPPED


def test_a_stale_or_repeated_task_sends_nothing(due_assessment):
    RespondentFactory(assessment=due_assessment, token_expires_at=expiring())
    claimed = []
    result = services.reminders_sweep(now=NOW, publish=lambda pk, claim: claimed.append(pk))
    (reminder_id,) = claimed

    assert services.reminder_send(reminder_id=reminder_id, claim="not-the-claim") == "not-claimed"
    assert services.reminder_send(reminder_id=reminder_id, claim=result.claim, now=NOW) == "sent"
    # The task delivered twice (acks_late, a lost worker): the second does nothing.
    assert services.reminder_send(reminder_id=reminder_id, claim=result.claim, now=NOW) == (
        "not-claimed"
    )
    assert len(mail.outbox) == 1


def test_a_failed_send_is_retried_by_the_next_sweep_without_a_duplicate(
    due_assessment, monkeypatch
):
    respondent = RespondentFactory(assessment=due_assessment, token_expires_at=expiring())

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    with monkeypatch.context() as patched:  # only this patch: eager tasks stay on
        patched.setattr(services, "reminder_email", refuse)
        sweep()
    reminder = ReminderSend.objects.get()
    assert (reminder.status, reminder.attempts) == (ReminderSend.Status.PENDING, 1)
    assert "mail server down" in reminder.error

    sweep(NOW + timedelta(minutes=15))
    sweep(NOW + timedelta(minutes=30))

    assert [m.to for m in mail.outbox] == [[respondent.email]]
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (ReminderSend.Status.SENT, 2)


def test_a_reminder_whose_task_was_lost_is_claimed_again_after_its_lease(due_assessment):
    RespondentFactory(assessment=due_assessment, token_expires_at=expiring())
    services.reminders_sweep(now=NOW, publish=lambda pk, claim: True)  # the message is lost
    assert sweep(NOW + timedelta(minutes=5)).claimed == 0
    later = sweep(NOW + timedelta(hours=2))
    assert (later.claimed, later.queued) == (1, 1)
    assert len(mail.outbox) == 1


def test_the_sweep_query_count_does_not_depend_on_the_number_of_assessments(organization, bank):
    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            services.reminders_sweep(now=NOW, publish=lambda pk, claim: True)
        return len(queries)

    def add(count):
        for _ in range(count):
            assessment = AssessmentFactory(organization=organization, bank=bank, due_date=due_in(2))
            RespondentFactory.create_batch(3, assessment=assessment, token_expires_at=expiring())

    add(2)
    few = counted()
    ReminderSend.objects.all().delete()
    add(20)
    many = counted()
    assert few == many


def test_the_reminder_is_html_and_text_names_the_firm_and_links_to_the_site(
    due_assessment, settings
):
    settings.SITE_URL = "https://maturity.example"
    Branding.objects.create(
        organization=due_assessment.organization, firm_name="Northwind Advisory", color="#aa3300"
    )
    respondent = RespondentFactory(assessment=due_assessment, token_expires_at=expiring())

    sweep()

    (message,) = mail.outbox
    html, mimetype = message.alternatives[0]
    link = f"https://maturity.example/r/{respondent.token}/"
    assert mimetype == "text/html"
    assert link in message.body and f'href="{link}"' in html
    assert "Northwind Advisory" in message.body and "Northwind Advisory" in html
    assert "#aa3300" in html
    assert "due in 2 days" in message.body
    assert "Friday, 14 Mar 2031" in message.body


def test_moving_the_due_date_drops_what_was_recorded_for_the_old_one(due_assessment, alice):
    RespondentFactory(assessment=due_assessment, token_expires_at=expiring())
    claimed = []
    result = services.reminders_sweep(now=NOW, publish=lambda pk, claim: claimed.append(pk))
    # Moved to 10 days after "now" (the service checks against the real today).
    due_assessment.due_date = due_in(10)
    due_assessment.save()

    assert services.reminder_send(reminder_id=claimed[0], claim=result.claim, now=NOW) == (
        "skipped"
    )
    assert not ReminderSend.objects.exists()
    assert mail.outbox == []


# --- the due date ---------------------------------------------------------------------


def test_the_due_date_is_never_set_in_the_past(assessment, alice):
    with pytest.raises(InputError):
        services.assessment_set_due_date(
            assessment=assessment, due_date=timezone.localdate() - timedelta(days=1), user=alice
        )
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.assessment_set_due_date(assessment=assessment, due_date=tomorrow, user=alice)
    assessment.refresh_from_db()
    assert assessment.due_date == tomorrow
    services.assessment_set_due_date(assessment=assessment, due_date=None, user=alice)
    assessment.refresh_from_db()
    assert assessment.due_date is None


def test_a_closed_assessment_keeps_its_due_date(assessment, alice):
    assessment.status = Assessment.Status.CLOSED
    assessment.save()
    with pytest.raises(ConflictError):
        services.assessment_set_due_date(
            assessment=assessment, due_date=timezone.localdate(), user=alice
        )


def test_consultants_set_the_due_date_on_the_assessment_page(client, assessment, alice):
    client.force_login(alice)
    url = f"/assessments/{assessment.pk}/due-date/"
    past = client.post(url, {"due_date": "2000-01-01"})
    assert past.status_code == 400
    assert "cannot be in the past" in past.content.decode()
    day = timezone.localdate() + timedelta(days=9)
    assert client.post(url, {"due_date": day.isoformat()}).status_code == 302
    page = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert f"Due {date_format(day)}" in page


def test_an_executive_member_cannot_set_the_due_date(client, assessment, erin):
    client.force_login(erin)
    day = timezone.localdate() + timedelta(days=9)
    response = client.post(f"/assessments/{assessment.pk}/due-date/", {"due_date": day})
    assert response.status_code == 403


def test_the_due_date_is_set_when_the_assessment_is_created(client, organization, bank, alice):
    client.force_login(alice)
    day = timezone.localdate() + timedelta(days=14)
    response = client.post(
        f"/organizations/{organization.pk}/assessments/new/",
        {"title": "Spring 2031", "bank": bank.version, "due_date": day.isoformat()},
    )
    assert response.status_code == 302
    assert Assessment.objects.get(title="Spring 2031").due_date == day
    refused = client.post(
        f"/organizations/{organization.pk}/assessments/new/",
        {"title": "Late", "bank": bank.version, "due_date": "2001-01-01"},
    )
    assert refused.status_code == 400


def test_respondents_see_the_due_date_on_the_welcome_page(client, due_assessment):
    respondent = RespondentFactory(assessment=due_assessment)
    page = client.get(f"/r/{respondent.token}/").content.decode()
    day = date_format(due_assessment.due_date, "l")
    assert f"Please answer by {day}, {date_format(due_assessment.due_date)}" in page


# --- two sweeps at the same moment, on PostgreSQL ---------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_reminder_once(organization, bank):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent sweeps need PostgreSQL (SQLite serializes every writer)")
    for _ in range(5):
        assessment = AssessmentFactory(organization=organization, bank=bank, due_date=due_in(2))
        RespondentFactory.create_batch(20, assessment=assessment, token_expires_at=expiring())
    barrier = threading.Barrier(2)
    published: list[tuple[int, str]] = []
    errors = []

    def run():
        try:
            barrier.wait()
            services.reminders_sweep(
                now=NOW, publish=lambda pk, claim: published.append((pk, claim))
            )
        except Exception as exc:  # pragma: no cover - shown by the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # Each published (the two sweeps' tasks) runs, twice over, as a redelivery would.
    for pk, claim in published * 2:
        services.reminder_send(reminder_id=pk, claim=claim, now=NOW)

    assert len(published) == 100 == len({pk for pk, _ in published})
    assert len(mail.outbox) == 100 == len({m.to[0] for m in mail.outbox})
    assert ReminderSend.objects.filter(status="sent").count() == 100
