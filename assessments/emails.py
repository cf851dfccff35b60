"""The emails respondents get: the invitation and the reminders (organizations.emails
sends them, HTML and text, in the consultant firm's branding), each in the respondent's
language (Respondent.language)."""

from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from organizations.emails import absolute, send_email

from .models import Respondent


def respondent_link(respondent: Respondent) -> str:
    return absolute(reverse("respond:welcome", args=[respondent.token]))


def invitation_email(respondent: Respondent) -> None:
    with translation.override(respondent.language):
        _invitation_email(respondent)


def _invitation_email(respondent: Respondent) -> None:
    assessment = respondent.assessment
    organization = assessment.organization
    send_email(
        to=[respondent.email],
        subject=_("Your AI scaling maturity questionnaire — %(organization)s")
        % {"organization": organization.name},
        template="invitation",
        context={
            "respondent": respondent,
            "assessment": assessment,
            "organization": organization,
            "link": respondent_link(respondent),
        },
        organization=organization,
    )


def reminder_email(respondent: Respondent, *, due_date: date, today: date) -> None:
    with translation.override(respondent.language):
        _reminder_email(respondent, due_date=due_date, today=today)


def _reminder_email(respondent: Respondent, *, due_date: date, today: date) -> None:
    assessment = respondent.assessment
    organization = assessment.organization
    answered = (
        Respondent.objects.filter(pk=respondent.pk)
        .annotate(n=Count("answers", filter=~Q(answers__kind="")))
        .values_list("n", flat=True)
        .get()
    )
    days_left = (due_date - today).days
    send_email(
        to=[respondent.email],
        subject=(
            _("Reminder: your AI scaling maturity questionnaire — %(organization)s")
            if days_left >= 0
            else _("Your answers are still missing — %(organization)s")
        )
        % {"organization": organization.name},
        template="reminder",
        context={
            "respondent": respondent,
            "assessment": assessment,
            "organization": organization,
            "due_date": due_date,
            "days_left": days_left,
            "answered": answered,
            "total": assessment.bank.questions.count(),
            "link": respondent_link(respondent),
        },
        organization=organization,
    )
