import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

COLOR_RE = r"^#[0-9a-fA-F]{6}$"
DEFAULT_COLOR = "#1f4e8c"


class Industry(models.TextChoices):
    HEALTHCARE = "healthcare", _("Healthcare")
    RETAIL = "retail", _("Retail")
    FINANCIAL_SERVICES = "financial_services", _("Financial services")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    TRANSPORTATION = "transportation", _("Transportation and logistics")
    TECHNOLOGY = "technology", _("Technology")
    TELECOMMUNICATIONS = "telecommunications", _("Telecommunications")
    ENERGY = "energy", _("Energy and utilities")
    PUBLIC_SECTOR = "public_sector", _("Public sector")
    PROFESSIONAL_SERVICES = "professional_services", _("Professional services")
    OTHER = "other", _("Other")


class SizeBand(models.TextChoices):
    UNDER_250 = "lt_250", _("Fewer than 250 employees")
    FROM_250 = "250_999", _("250–999 employees")
    FROM_1000 = "1000_4999", _("1,000–4,999 employees")
    FROM_5000 = "5000_19999", _("5,000–19,999 employees")
    OVER_20000 = "20000_plus", _("20,000 employees or more")


class Region(models.TextChoices):
    NORTH_AMERICA = "north_america", _("North America")
    LATIN_AMERICA = "latin_america", _("Latin America")
    EUROPE = "europe", _("Europe")
    MIDDLE_EAST_AFRICA = "middle_east_africa", _("Middle East and Africa")
    ASIA_PACIFIC = "asia_pacific", _("Asia-Pacific")


class Organization(models.Model):
    name = models.CharField(max_length=200)
    industry = models.CharField(max_length=40, choices=Industry.choices)
    size_band = models.CharField(max_length=20, choices=SizeBand.choices)
    region = models.CharField(max_length=30, choices=Region.choices)
    is_demo = models.BooleanField(
        default=False, help_text="Synthetic organization loaded by the demo data command."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CONSULTANT = "consultant", _("Consultant")
    COE_LEAD = "coe_lead", _("AI CoE lead")
    EXECUTIVE = "executive", _("Executive")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_org")
        ]
        ordering = ["organization_id", "role", "user_id"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.organization}"


class Branding(models.Model):
    """The consultant firm's look for one client organization: the firm name, colour and
    logo its reports and emails carry. (A consultant working for several clients sets it
    once per client; per-organization branding keeps every document's look, and who may
    change it, inside the organization's own access rules.)

    Moved here from the reports app (the table keeps its name, `reports_branding`) so
    that the emails of assessments and roadmap can read it too.
    """

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="report_branding"
    )
    firm_name = models.CharField(max_length=100, blank=True)
    color = models.CharField(
        max_length=7,
        default=DEFAULT_COLOR,
        validators=[RegexValidator(COLOR_RE, _("Use a colour like #1f4e8c."))],
    )
    logo = models.FileField(upload_to="branding/", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "reports_branding"
        verbose_name_plural = "branding"

    def __str__(self) -> str:
        return f"Branding of {self.organization}"

    @property
    def safe_color(self) -> str:
        """The colour to draw with: the stored one when it is a #rrggbb colour (it is
        written into CSS and emails), the product's own otherwise."""
        return self.color if re.fullmatch(COLOR_RE, self.color or "") else DEFAULT_COLOR


class BusinessUnit(models.Model):
    """A unit of an organization (DESIGN §10): a tree by `parent`. Respondents and use
    cases may belong to one; a unit's scores re-score its whole subtree's answers."""

    organization = models.ForeignKey(
        "Organization", on_delete=models.CASCADE, related_name="business_units"
    )
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="one_business_unit_name_per_organization"
            )
        ]

    def __str__(self) -> str:
        return self.name


class UserPreferences(models.Model):
    """A user's own settings: the language of their pages, API answers and emails
    (blank: the browser's for pages, the site's default for emails)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    language = models.CharField(max_length=10, blank=True, choices=settings.LANGUAGES)

    class Meta:
        verbose_name_plural = "user preferences"

    def __str__(self) -> str:
        return f"Preferences of {self.user}"
