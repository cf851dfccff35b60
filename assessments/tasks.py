from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

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
    context = {
        "respondent": respondent,
        "organization": respondent.assessment.organization,
        "link": f"{settings.SITE_URL}/r/{respondent.token}/",
    }
    # A line break in a header is refused (BadHeaderError); names may contain one.
    organization_name = " ".join(context["organization"].name.split())
    send_mail(
        subject=f"Your AI scaling maturity questionnaire — {organization_name}",
        message=render_to_string("emails/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[respondent.email],
    )
    Respondent.objects.filter(pk=respondent.pk).update(invited_at=timezone.now())
