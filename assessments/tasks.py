"""Celery entry points for assessments: thin, they receive ids and call one service or
send one email."""

from celery import shared_task
from django.utils import timezone

from . import services
from .emails import invitation_email
from .models import Respondent


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation(respondent_id: int) -> None:
    """Email a respondent their personal link (re-runnable: it only sends the current link)."""
    respondent = (
        Respondent.objects.select_related("assessment__organization")
        .filter(pk=respondent_id)
        .first()
    )
    if respondent is None or not respondent.link_is_usable(timezone.now()):
        return
    invitation_email(respondent)
    Respondent.objects.filter(pk=respondent.pk).update(invited_at=timezone.now())


@shared_task(acks_late=True)
def send_reminder(reminder_id: int, claim: str) -> str:
    """Send one claimed reminder; safe to run twice (only the holder of the claim sends)."""
    return services.reminder_send(reminder_id=reminder_id, claim=claim)


@shared_task
def sweep_reminders() -> dict:
    """Beat, every REMINDER_SWEEP_INTERVAL_SECONDS: record and claim the reminders due,
    and queue one send task for each."""
    result = services.reminders_sweep()
    return {"recorded": result.recorded, "queued": result.queued}
