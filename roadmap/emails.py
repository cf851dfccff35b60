"""The weekly roadmap digest email (organizations.emails sends it, HTML and text, in the
consultant firm's branding)."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from organizations.emails import absolute, send_email

from .selectors import DigestSection
from .tracking import day_label


def digest_email(user, sections: list[DigestSection], *, today: date) -> None:
    first = sections[0].organization
    names = sorted({s.organization.name for s in sections})
    entries = [
        {"section": s, "url": absolute(reverse("roadmap:page", args=[s.organization.pk]))}
        for s in sections
    ]
    send_email(
        to=[user.email],
        subject=_("Roadmap digest, week of %(date)s — %(names)s")
        % {"date": day_label(today), "names": ", ".join(names)},
        template="digest",
        context={
            "user": user,
            "name": user.get_full_name() or user.get_username(),
            "entries": entries,
            "today": today,
        },
        organization=first,
    )
