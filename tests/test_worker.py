"""A real Celery worker against Redis and PostgreSQL: what the web process queues on
commit is picked up by a separate worker process, which sends the email and records it.

Needs REDIS_URL and a PostgreSQL DATABASE_URL; skips without them, unless
REQUIRE_WORKER_TESTS=1 (as in .ci/run), when it fails.
"""

import email
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone

from assessments import services
from assessments.models import ReminderSend, Respondent
from config.celery_app import app as celery_app

from .worker import Worker, require_worker_services, running_worker, with_database_name

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

DELIVERY_TIMEOUT = 30.0


@pytest.fixture
def outbox(tmp_path) -> Path:
    path = tmp_path / "outbox"
    path.mkdir()
    return path


@pytest.fixture
def worker_process(transactional_db, outbox, tmp_path) -> Worker:
    """A worker on the pytest test database, sending email to files in `outbox`."""
    redis_url, database_url = require_worker_services()
    env = {
        # Committed rows of this test are visible to the worker through this database.
        "DATABASE_URL": with_database_name(database_url, connection.settings_dict["NAME"]),
        "REDIS_URL": redis_url,
        "DJANGO_DEBUG": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(outbox),
    }
    with running_worker(env=env, log_path=tmp_path / "worker.log") as worker:
        yield worker


@pytest.fixture
def tasks_go_to(worker_process):
    """Make this process publish tasks to Redis (never eagerly), on the worker's queue."""
    conf = celery_app.conf
    assert conf.broker_url == os.environ["REDIS_URL"], (
        f"the test process's Celery broker is {conf.broker_url!r}, not REDIS_URL"
    )
    saved = conf.task_always_eager, conf.task_default_queue
    conf.task_always_eager = False
    conf.task_default_queue = worker_process.queue
    try:
        yield worker_process
    finally:
        conf.task_always_eager, conf.task_default_queue = saved


def _email_bodies(outbox: Path) -> list[str]:
    """Each email written by the file-based backend, decoded (the backend separates
    messages with a line of dashes)."""
    bodies = []
    for path in sorted(outbox.glob("*.log")):
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if not raw.strip():
                continue
            message = email.message_from_bytes(raw)
            part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
            body = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
            bodies.append(f"To: {message['To']}\n\n{body}")
    return bodies


def test_a_worker_emails_the_invitation_queued_on_commit(tasks_go_to, outbox, respondent):
    link = f"/r/{respondent.token}/"

    with transaction.atomic():
        services.invitation_send(respondent=respondent)

    sent = tasks_go_to.wait_for(
        lambda: [body for body in _email_bodies(outbox) if link in body],
        timeout=DELIVERY_TIMEOUT,
        what=f"an email containing {link}",
    )
    assert len(sent) == 1
    assert f"To: {respondent.email}" in sent[0]
    tasks_go_to.wait_for(
        lambda: Respondent.objects.filter(pk=respondent.pk, invited_at__isnull=False).exists(),
        timeout=DELIVERY_TIMEOUT,
        what="invited_at to be set",
    )


def test_a_worker_sends_each_due_reminder_once_from_two_beats(tasks_go_to, outbox, respondent):
    """The beat's task, published twice to Redis (two beats at the same moment): the
    worker runs both sweeps, and the respondent gets one reminder."""
    assessment = respondent.assessment
    assessment.due_date = timezone.localdate() + timedelta(days=2)
    assessment.save(update_fields=["due_date"])
    sweep = celery_app.tasks["assessments.tasks.sweep_reminders"]

    # To the worker's periodic queue, as its beat would (settings.CELERY_TASK_ROUTES).
    periodic = f"{tasks_go_to.queue}.periodic"
    sweep.apply_async(queue=periodic)
    sweep.apply_async(queue=periodic)

    tasks_go_to.wait_for(
        lambda: ReminderSend.objects.filter(respondent=respondent, status="sent").exists(),
        timeout=DELIVERY_TIMEOUT,
        what="the reminder to be marked sent",
    )
    link = f"/r/{respondent.token}/"
    sent = [body for body in _email_bodies(outbox) if link in body]
    assert len(sent) == 1 and "due in 2 days" in sent[0]
    assert ReminderSend.objects.filter(respondent=respondent).count() == 1
