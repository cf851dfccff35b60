"""Emails that must go out at most once (reminders, weekly digests; DESIGN §12), even with
two beats, several workers or a retried task.

Each email is a row (a `ClaimedSend`) inserted before anything is sent, unique on what
it is for (respondent and offset, user and week). Then:

    pending ──sweep claims──▶ queued ──task takes it──▶ sending ──▶ sent
       ▲                         │                         ├──────▶ skipped (no longer due)
       └── send failed, or lease passed (retried) ◀────────┴──────▶ failed (attempts used up)

A sweep claims every pending row (or one whose lease has passed) under a new token with
one conditional UPDATE, and queues each id with that token; a task acts only while the
row is still held under its token. REMINDER_LEASE_SECONDS is how long a claim holds,
REMINDER_MAX_ATTEMPTS how many sends are tried.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.db import models
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

logger = logging.getLogger("outbox")
BROKER_ERRORS = (KombuOperationalError, ConnectionError)


class SendStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Skipped"
    FAILED = "failed", "Failed"


class ClaimedSend(models.Model):
    Status = SendStatus

    status = models.CharField(max_length=10, choices=SendStatus.choices, default=SendStatus.PENDING)
    claim = models.CharField(max_length=32, blank=True, help_text="Token of the current claim.")
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


def _lease(now: datetime) -> datetime:
    return now + timedelta(seconds=settings.REMINDER_LEASE_SECONDS)


def claim(rows: QuerySet, *, now: datetime) -> tuple[str, int, int]:
    """(token, claimed, failed) over `rows`: those out of attempts become failed; the
    others pending, or past their lease, are taken under one new token."""
    lapsed = Q(status__in=[SendStatus.QUEUED, SendStatus.SENDING], lease_expires_at__lt=now)
    claimable = rows.filter(lapsed | Q(status=SendStatus.PENDING))
    limit = settings.REMINDER_MAX_ATTEMPTS
    failed = claimable.filter(attempts__gte=limit).update(
        status=SendStatus.FAILED,
        claim="",
        lease_expires_at=None,
        error=f"Not sent after {limit} attempts.",
    )
    token = uuid.uuid4().hex
    claimed = claimable.filter(attempts__lt=limit).update(
        status=SendStatus.QUEUED, claim=token, lease_expires_at=_lease(now)
    )
    return token, claimed, failed


def claimed_ids(model: type[ClaimedSend], token: str) -> Iterator[int]:
    """The ids a sweep claimed under `token`, streamed (never all in memory)."""
    rows = model.objects.filter(claim=token, status=SendStatus.QUEUED)
    yield from rows.values_list("pk", flat=True).iterator(chunk_size=2000)


def publish(task_name: str, pk: int, token: str) -> bool:
    """Queue the send task by name (the task modules import the services that call this).
    With the broker down the row stays queued and is claimed again once its lease passes."""
    try:
        current_app.tasks[task_name].apply_async(args=[pk, token])
    except BROKER_ERRORS as exc:
        logger.warning("%s %s not queued: the broker is unreachable (%s)", task_name, pk, exc)
        return False
    return True


def take(model: type[ClaimedSend], pk: int, token: str, *, now: datetime) -> QuerySet | None:
    """The row, as a queryset the task may update, when it is still held under `token`
    (counting an attempt); None when another sweep holds it now: do nothing."""
    taken = model.objects.filter(pk=pk, claim=token, status=SendStatus.QUEUED).update(
        status=SendStatus.SENDING, attempts=F("attempts") + 1, lease_expires_at=_lease(now)
    )
    if not taken:
        return None
    return model.objects.filter(pk=pk, claim=token, status=SendStatus.SENDING)


def skip(ours: QuerySet, reason: str) -> str:
    ours.update(status=SendStatus.SKIPPED, error=reason, lease_expires_at=None)
    return "skipped"


def deliver(ours: QuerySet, *, attempts: int, send: Callable[[], None], **sent_fields) -> str:
    """Send; "sent", or on a mail server error "retry" (back to pending) or "failed"
    (attempts used up)."""
    try:
        send()
    except OSError as exc:  # smtplib.SMTPException is one
        exhausted = attempts >= settings.REMINDER_MAX_ATTEMPTS
        ours.update(
            status=SendStatus.FAILED if exhausted else SendStatus.PENDING,
            claim="",
            lease_expires_at=None,
            error=f"{type(exc).__name__}: {exc}"[:1000],
        )
        logger.warning("%s not sent: %s", ours.model.__name__, exc)
        return "failed" if exhausted else "retry"
    ours.update(
        status=SendStatus.SENT,
        sent_at=timezone.now(),
        lease_expires_at=None,
        error="",
        **sent_fields,
    )
    return "sent"
