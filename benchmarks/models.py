from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from organizations.models import Organization


class BenchmarkReferenceData(models.Model):
    """A published version of the ROI bands, case studies and market figures (immutable)."""

    version = models.CharField(max_length=32, unique=True)
    checksum = models.CharField(max_length=64)
    source = models.CharField(max_length=300, help_text="File the data was loaded from.")
    definition = models.JSONField(help_text="The whole file as loaded.")
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text="Translation files by language code (texts only, laid over the definition).",
    )
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        verbose_name_plural = "benchmark reference data"

    def __str__(self) -> str:
        return f"Benchmark reference data {self.version}"


class Currency(models.TextChoices):
    EUR = "EUR", "Euro (EUR)"
    USD = "USD", "US dollar (USD)"
    GBP = "GBP", "Pound sterling (GBP)"
    CHF = "CHF", "Swiss franc (CHF)"
    JPY = "JPY", "Japanese yen (JPY)"
    CAD = "CAD", "Canadian dollar (CAD)"
    AUD = "AUD", "Australian dollar (AUD)"
    SEK = "SEK", "Swedish krona (SEK)"
    NOK = "NOK", "Norwegian krone (NOK)"
    DKK = "DKK", "Danish krone (DKK)"
    INR = "INR", "Indian rupee (INR)"
    CNY = "CNY", "Chinese yuan (CNY)"
    BRL = "BRL", "Brazilian real (BRL)"
    SGD = "SGD", "Singapore dollar (SGD)"


NON_NEGATIVE = [MinValueValidator(0)]
AMOUNT_DIGITS = 18  # up to 10^16 with cents: any company's annual figures
DECIMAL_PLACES = 2


class OrganizationBaseline(models.Model):
    """What the ROI bands are applied to (DESIGN §7, ROI projection). Empty fields
    leave the metric that needs them out of the projection."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="baseline"
    )
    annual_operating_cost = models.DecimalField(
        max_digits=AMOUNT_DIGITS,
        decimal_places=DECIMAL_PLACES,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    annual_revenue = models.DecimalField(
        max_digits=AMOUNT_DIGITS,
        decimal_places=DECIMAL_PLACES,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    process_hours_per_year = models.DecimalField(
        max_digits=14,
        decimal_places=DECIMAL_PLACES,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text="Hours a year spent on the processes AI is meant to accelerate.",
    )
    cost_per_hour = models.DecimalField(
        max_digits=12,
        decimal_places=DECIMAL_PLACES,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text="Fully loaded cost of one of those hours.",
    )
    operating_cost_addressable_share = models.DecimalField(
        max_digits=5,
        decimal_places=DECIMAL_PLACES,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="% of the operating cost in the processes the AI use cases touch.",
    )
    revenue_addressable_share = models.DecimalField(
        max_digits=5,
        decimal_places=DECIMAL_PLACES,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="% of the revenue the AI use cases can influence.",
    )
    planned_ai_investment = models.DecimalField(
        max_digits=AMOUNT_DIGITS,
        decimal_places=DECIMAL_PLACES,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text="What the organization plans to invest in AI; gives the payback months.",
    )
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.EUR)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(annual_operating_cost__gte=0)
                & models.Q(annual_revenue__gte=0)
                & models.Q(process_hours_per_year__gte=0)
                & models.Q(cost_per_hour__gte=0),
                name="baseline_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_ai_investment__gte=0)
                & models.Q(operating_cost_addressable_share__gte=0)
                & models.Q(operating_cost_addressable_share__lte=100)
                & models.Q(revenue_addressable_share__gte=0)
                & models.Q(revenue_addressable_share__lte=100),
                name="baseline_shares_are_percentages",
            ),
        ]

    def __str__(self) -> str:
        return f"Baselines of {self.organization}"
