"""Every email the product sends (DESIGN §12): HTML with a plain-text part, naming the
consultant firm from the organization's branding (name, colour, logo) and linking to
SITE_URL.

    send_email(to=[...], subject=..., template="reminder", context={...}, organization=org)

renders `templates/emails/<template>.txt` and `.html` with the context plus `brand` (the
firm's name, colour and absolute logo URL) and `site_url`. The HTML templates extend
`emails/_base.html`, which carries the branding.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from .models import DEFAULT_COLOR, Branding, Organization

PRODUCT_NAME = "AI Scaling Maturity"


@dataclass(frozen=True)
class Brand:
    firm_name: str  # empty: the consultants set no firm name
    color: str
    logo_url: str  # absolute, or empty

    @property
    def sender(self) -> str:
        """Who the email is from, in words: the firm, or the product."""
        return self.firm_name or PRODUCT_NAME


def absolute(path: str) -> str:
    """SITE_URL + an absolute path ("/r/abc/")."""
    return f"{settings.SITE_URL}{path}"


def brand_of(organization: Organization | int | None, branding: Branding | None = None) -> Brand:
    """The branding an organization's emails carry (defaults when none is set)."""
    if branding is None and organization is not None:
        organization_id = organization if isinstance(organization, int) else organization.pk
        branding = Branding.objects.filter(organization_id=organization_id).first()
    if branding is None:
        return Brand(firm_name="", color=DEFAULT_COLOR, logo_url="")
    logo_url = ""
    if branding.logo:
        name = branding.logo.name.rsplit("/", 1)[-1]
        logo_url = absolute(reverse("organizations:branding-logo", args=[name]))
    return Brand(
        firm_name=" ".join(branding.firm_name.split()),
        color=branding.safe_color,
        logo_url=logo_url,
    )


def header_safe(text: str) -> str:
    """One line: a line break in a header is refused (BadHeaderError); names may hold one."""
    return " ".join(str(text).split())


def render_email(*, template: str, context: dict, brand: Brand) -> tuple[str, str]:
    """(text, html) of `emails/<template>`."""
    full = {**context, "brand": brand, "site_url": settings.SITE_URL}
    text = render_to_string(f"emails/{template}.txt", full)
    html = render_to_string(f"emails/{template}.html", full)
    return text, html


def send_email(
    *,
    to: list[str],
    subject: str,
    template: str,
    context: dict,
    organization: Organization | int | None = None,
    brand: Brand | None = None,
) -> None:
    """Send one email (HTML and text) from DEFAULT_FROM_EMAIL; errors are the caller's
    (an OSError from the mail server is what tasks retry on)."""
    brand = brand or brand_of(organization)
    text, html = render_email(template=template, context=context, brand=brand)
    message = EmailMultiAlternatives(
        subject=header_safe(subject),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    message.attach_alternative(html, "text/html")
    message.send()
