from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from assessments.models import Assessment
from common.outbox import ClaimedSend
from organizations.models import Organization

from .portfolio import PERCENT_MAX, PERCENT_MESSAGE, PERCENT_MIN, effective_actual

PERCENT_VALIDATORS = [
    MinValueValidator(PERCENT_MIN, message=PERCENT_MESSAGE),
    MaxValueValidator(PERCENT_MAX, message=PERCENT_MESSAGE),
]


class RoadmapReferenceData(models.Model):
    """A published version of the phases, gates and recommendations file (immutable)."""

    version = models.CharField(max_length=32, unique=True)
    checksum = models.CharField(max_length=64)
    source = models.CharField(max_length=300)
    definition = models.JSONField()
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text="Translation files by language code (texts only, laid over the definition).",
    )
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        verbose_name_plural = "roadmap reference data"

    def __str__(self) -> str:
        return f"Roadmap reference data {self.version}"


class Roadmap(models.Model):
    """One per organization; it starts from an assessment and re-places itself as the
    organization is re-assessed."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="roadmap"
    )
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.PROTECT,
        related_name="roadmaps",
        help_text="The assessment the roadmap started from.",
    )
    reference = models.ForeignKey(RoadmapReferenceData, on_delete=models.PROTECT)
    start_date = models.DateField()
    starting_phase = models.PositiveSmallIntegerField(
        help_text="The phase the organization was placed in when the roadmap started."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Roadmap of {self.organization}"


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("milestone status", "Not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("milestone status", "In progress")
    DONE = "done", pgettext_lazy("milestone status", "Done")
    BLOCKED = "blocked", pgettext_lazy("milestone status", "Blocked")


class Milestone(models.Model):
    class Source(models.TextChoices):
        TEMPLATE = "template", gettext_lazy("Phase template")
        RECOMMENDATION = "recommendation", gettext_lazy("Accepted recommendation")
        CUSTOM = "custom", gettext_lazy("Added by hand")

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="milestones")
    phase = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    title = models.CharField(max_length=200)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_milestones",
        verbose_name=gettext_lazy("owner (member)"),
        help_text=gettext_lazy(
            "A member of the organization; gets the weekly digest of this milestone."
        ),
    )
    owner = models.CharField(
        max_length=200,
        blank=True,
        help_text=gettext_lazy(
            "Free text, for an owner without an account (shown when no member is set)."
        ),
    )
    start_date = models.DateField(
        null=True,
        blank=True,
        help_text=gettext_lazy("When work should begin (not started after it: at risk)."),
    )
    due_date = models.DateField(null=True, blank=True)
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="dependents",
        verbose_name=gettext_lazy("depends on"),
        help_text=gettext_lazy("Milestones of this roadmap that must be done first."),
    )
    status = models.CharField(
        max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.NOT_STARTED
    )
    notes = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.CUSTOM)
    recommendation_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["roadmap_id", "phase", "position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_label(self) -> str:
        """Who owns it, in words: the member's name, else the free text."""
        if self.owner_user_id is not None:
            user = self.owner_user
            return user.get_full_name() or user.get_username()
        return self.owner


class DigestSend(ClaimedSend):
    """One weekly digest email to one user (DESIGN §12): at most one row per (user, ISO
    week), inserted before anything is sent and claimed like a reminder
    (`assessments.models.ReminderSend`), so two beats or workers never send it twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roadmap_digests"
    )
    week = models.CharField(max_length=8, help_text="ISO week, e.g. 2031-W11.")
    milestones = models.PositiveIntegerField(
        default=0, help_text="Overdue and at-risk milestones it listed."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="one_digest_per_user_and_week")
        ]

    def __str__(self) -> str:
        return f"Digest {self.week} to {self.user_id} ({self.status})"


class UseCase(models.Model):
    class Stage(models.TextChoices):
        IDEA = "idea", pgettext_lazy("use case stage", "Idea")
        PILOT = "pilot", pgettext_lazy("use case stage", "Pilot")
        PRODUCTION = "production", pgettext_lazy("use case stage", "Production")
        SCALED = "scaled", pgettext_lazy("use case stage", "Scaled")

    LIVE_STAGES = (Stage.PRODUCTION, Stage.SCALED)

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="use_cases"
    )
    name = models.CharField(max_length=200)
    business_unit = models.CharField(max_length=200, blank=True)
    unit = models.ForeignKey(
        "organizations.BusinessUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="use_cases",
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.IDEA)
    owner = models.CharField(max_length=200, blank=True)
    cost_reduction_baseline = models.FloatField(
        null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    cost_reduction_target = models.FloatField(null=True, blank=True, validators=PERCENT_VALIDATORS)
    cost_reduction_actual = models.FloatField(null=True, blank=True, validators=PERCENT_VALIDATORS)
    revenue_increase_baseline = models.FloatField(
        null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    revenue_increase_target = models.FloatField(
        null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    revenue_increase_actual = models.FloatField(
        null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    efficiency_gain_baseline = models.FloatField(
        null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    efficiency_gain_target = models.FloatField(null=True, blank=True, validators=PERCENT_VALIDATORS)
    efficiency_gain_actual = models.FloatField(null=True, blank=True, validators=PERCENT_VALIDATORS)
    # Values in units (hours, €, error rate…): the actual percentage is computed from them
    # when both are given (`portfolio.effective_actual`).
    cost_reduction_unit = models.CharField(max_length=40, blank=True)
    cost_reduction_baseline_value = models.FloatField(null=True, blank=True)
    cost_reduction_actual_value = models.FloatField(null=True, blank=True)
    revenue_increase_unit = models.CharField(max_length=40, blank=True)
    revenue_increase_baseline_value = models.FloatField(null=True, blank=True)
    revenue_increase_actual_value = models.FloatField(null=True, blank=True)
    efficiency_gain_unit = models.CharField(max_length=40, blank=True)
    efficiency_gain_baseline_value = models.FloatField(null=True, blank=True)
    efficiency_gain_actual_value = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization_id", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def actual_percents(self) -> dict[str, tuple[float | None, str]]:
        """`actual_percent` of every metric, for the templates."""
        return {
            m: self.actual_percent(m)
            for m in ("cost_reduction", "revenue_increase", "efficiency_gain")
        }

    def actual_percent(self, metric: str) -> tuple[float | None, str]:
        """(percent, basis "values" or "percent") of one metric (`effective_actual`)."""
        return effective_actual(
            metric,
            getattr(self, f"{metric}_actual"),
            getattr(self, f"{metric}_baseline_value"),
            getattr(self, f"{metric}_actual_value"),
        )


class WhatIfScenario(models.Model):
    """A named what-if (DESIGN §10): question values changed on one assessment. Only the
    changes are stored; the projection is recomputed whenever it is shown."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="what_if_scenarios"
    )
    name = models.CharField(max_length=120)
    changes = models.JSONField(help_text="Question key → organization value (1–5).")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "name"], name="one_scenario_name_per_assessment"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """A target score (0–100) for one dimension, of the organization or of one of its
    business units, by a date (DESIGN §10). Gap = target − score."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(
        "organizations.BusinessUnit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
        help_text="None: the whole organization.",
    )
    dimension = models.CharField(max_length=64)
    score = models.FloatField(
        validators=[
            MinValueValidator(0, message=gettext_lazy("Enter a score from 0 to 100.")),
            MaxValueValidator(100, message=gettext_lazy("Enter a score from 0 to 100.")),
        ]
    )
    due_date = models.DateField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization_id", "unit_id", "dimension", "id"]

    def __str__(self) -> str:
        return f"{self.dimension} ≥ {self.score:g} by {self.due_date}"
