import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from common.outbox import ClaimedSend
from organizations.models import Organization


class QuestionBank(models.Model):
    """A published question bank: immutable; a change is a new version."""

    version = models.CharField(max_length=32, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    checksum = models.CharField(max_length=64)
    source = models.CharField(max_length=300, help_text="File the bank was loaded from.")
    definition = models.JSONField(help_text="The whole bank as loaded, for scoring and display.")
    document = models.JSONField(
        default=dict,
        blank=True,
        help_text="The bank's file content (assessments.bank_files.bank_document), for "
        "export, diff and drafting the next version.",
    )
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text="The bank's texts in other languages: {language: assessments.bank.bank_texts}. "
        "Texts only; added or corrected by loading the translation files again.",
    )
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    def texts_in(self, language: str | None = None) -> dict | None:
        """The bank's texts in `language` (default: the active one), or None when they are
        those of the English file (English, or a language the bank has no translation for)."""
        code = (language or translation.get_language() or "en").split("-")[0].lower()
        return (self.translations or {}).get(code)

    def definition_in(self, language: str | None = None) -> dict:
        """`definition` in `language` (default: the active one): dimension titles, maturity
        level names and descriptions, pitfall titles, mitigations and descriptions
        translated; keys, weights and bands are the English file's, so scores are equal in
        every language. English when the bank has no translation for that language."""
        texts = self.texts_in(language)
        if texts is None:
            return self.definition
        definition = dict(self.definition)
        levels = texts.get("maturity_levels", {})
        definition["maturity_levels"] = [
            {**level, **levels.get(str(level["level"]), {})}
            for level in self.definition.get("maturity_levels", [])
        ]
        pitfalls = texts.get("pitfalls", {})
        definition["pitfalls"] = [
            {**pitfall, **pitfalls.get(pitfall["key"], {})}
            for pitfall in self.definition.get("pitfalls", [])
        ]
        dimensions = texts.get("dimensions", {})
        definition["dimensions"] = [
            {
                **dimension,
                "title": dimensions.get(dimension["key"], {}).get("title", dimension["title"]),
            }
            for dimension in self.definition.get("dimensions", [])
        ]
        return definition

    def title_in(self, language: str | None = None) -> str:
        texts = self.texts_in(language)
        return texts["title"] if texts else self.title

    def description_in(self, language: str | None = None) -> str:
        texts = self.texts_in(language)
        return texts["description"] if texts else self.description

    def localize(self, rows, language: str | None = None):
        """Dimension and Question rows of this bank with their texts in `language`
        (default: the active one), changed in place and never saved; returns them."""
        texts = self.texts_in(language)
        if texts is None:
            return rows
        for row in rows:
            if isinstance(row, Question):
                found = texts.get("questions", {}).get(row.key)
                fields = ("text", "help", "levels")
            else:
                found = texts.get("dimensions", {}).get(row.key)
                fields = ("title", "description")
            for name in fields if found else ():
                setattr(row, name, found[name])
        return rows


class BankDraft(models.Model):
    """A question bank version being edited: no assessment uses it until it is published,
    after which it is an immutable `QuestionBank` and the draft is gone."""

    version = models.CharField(max_length=32, unique=True)
    document = models.JSONField(help_text="The bank's file content, as edited so far.")
    based_on = models.ForeignKey(
        QuestionBank, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        permissions = [
            ("edit_question_banks", "Can draft, import, edit and publish question bank versions"),
        ]

    def __str__(self) -> str:
        return f"Draft {self.version}"


class Dimension(models.Model):
    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="dimensions")
    key = models.CharField(max_length=64)
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.FloatField(default=1)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["bank_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "key"], name="dimension_key_per_bank"),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="questions")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="questions")
    key = models.CharField(max_length=64)
    text = models.TextField()
    help = models.TextField(blank=True)
    weight = models.FloatField(default=1)
    allow_na = models.BooleanField(default=False)
    tags = models.JSONField(default=list, blank=True)
    levels = models.JSONField(help_text="Five anchored level descriptors, level 1 first.")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["bank_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "key"], name="question_key_per_bank"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def level_choices(self) -> list[tuple[int, str]]:
        return list(enumerate(self.levels, start=1))


class Assessment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="assessments"
    )
    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="assessments")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    due_date = models.DateField(
        null=True,
        blank=True,
        help_text="Respondents are asked to answer by this day; reminders count from it.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "due_date"], name="assessment_open_due")]

    def __str__(self) -> str:
        return f"{self.title} — {self.organization}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class ExecutiveRole(models.TextChoices):
    CEO = "ceo", _("CEO")
    CIO = "cio", _("CIO")
    CTO = "cto", _("CTO")
    CDO = "cdo", _("Chief Data Officer")
    CFO = "cfo", _("CFO")
    CHRO = "chro", _("CHRO")
    COO = "coo", _("COO")
    BU_HEAD = "bu_head", _("Business-unit head")
    OTHER = "other", _("Other executive")


class ClientRespondentManager(models.Manager):
    """The client's respondents only. The default manager (and so `assessment.respondents`)
    because every list, count, reminder, export and score is about the client's
    executives; an assessor's row is reached through `Respondent.all_kinds`."""

    def get_queryset(self):
        return super().get_queryset().filter(kind=Respondent.Kind.CLIENT)


class AnswerQuerySet(models.QuerySet):
    def of_clients(self):
        """Answers of the client's respondents: never an assessor's (DESIGN §11)."""
        return self.filter(respondent__kind=Respondent.Kind.CLIENT)


class Respondent(models.Model):
    class Kind(models.TextChoices):
        # The client's executives: their answers make the organization's scores.
        CLIENT = "client", _("Client executive")
        # A consultant answering as assessor (DESIGN §11): compared with the client's
        # scores, never part of them.
        ASSESSOR = "assessor", _("Assessor")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="respondents")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CLIENT)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The consultant who answers as assessor (assessors only).",
    )
    name = models.CharField(max_length=200)
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=ExecutiveRole.choices)
    title = models.CharField(max_length=200, blank=True, help_text="Job title as they use it.")
    business_unit = models.CharField(
        max_length=200, blank=True, help_text="As typed; linked to `unit` by name."
    )
    unit = models.ForeignKey(
        "organizations.BusinessUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="respondents",
    )
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text="The language of the respondent's emails and questionnaire.",
    )
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    token_expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True, help_text="Last invitation email.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    first_answer_at = models.DateTimeField(null=True, blank=True)
    last_answer_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    all_kinds = models.Manager()
    objects = ClientRespondentManager()

    class Meta:
        default_manager_name = "objects"
        base_manager_name = "all_kinds"
        ordering = ["assessment_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "email"], name="one_respondent_per_email"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def is_assessor(self) -> bool:
        return self.kind == self.Kind.ASSESSOR

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    def link_is_usable(self, now) -> bool:
        return self.revoked_at is None and self.token_expires_at > now


class ReminderSend(ClaimedSend):
    """One reminder email to one respondent at one offset from the assessment's due date
    (DESIGN §12): at most one row per (respondent, offset), inserted by the sweep before
    anything is sent and claimed (common.outbox), so two beats or workers, or a retried
    task, never send it twice."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="reminders")
    offset_days = models.SmallIntegerField(
        help_text="Days before the due date (negative: after it)."
    )
    due_date = models.DateField(help_text="The assessment's due date when it was claimed.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "offset_days"], name="one_reminder_per_offset"
            ),
        ]
        indexes = [models.Index(fields=["status", "lease_expires_at"])]

    def __str__(self) -> str:
        return f"Reminder {self.offset_days:+d} d to {self.respondent_id} ({self.status})"


class Answer(models.Model):
    class Kind(models.TextChoices):
        NONE = "", _("No choice yet")
        LEVEL = "level", _("Level")
        NOT_APPLICABLE = "na", _("Not applicable")
        DONT_KNOW = "dont_know", _("Don't know")

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    kind = models.CharField(max_length=10, choices=Kind.choices, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    evidence = models.TextField(blank=True, help_text="A note or a link to evidence.")
    answered_at = models.DateTimeField(
        null=True, blank=True, help_text="When a choice was first given (speeder detection)."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["respondent_id", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["respondent", "question"], name="one_answer_each"),
            models.CheckConstraint(
                condition=(models.Q(kind="level", level__gte=1, level__lte=5))
                | (~models.Q(kind="level") & models.Q(level__isnull=True)),
                name="level_only_with_kind_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent} · {self.question.key}: {self.value}"

    @property
    def value(self) -> int | str | None:
        """The API representation: 1..5, "na", "dont_know", or None for no choice."""
        if self.kind == self.Kind.LEVEL:
            return self.level
        return self.kind or None


class ScoreSnapshot(models.Model):
    """The scores of a closed assessment, frozen when it closes (its answers can no longer
    change), so peer comparison reads one row per organization instead of rescoring."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="snapshot")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="score_snapshots"
    )
    closed_at = models.DateTimeField(db_index=True)
    index = models.FloatField(null=True)
    level = models.PositiveSmallIntegerField(null=True)
    data_infrastructure = models.FloatField(null=True)
    talent = models.FloatField(null=True)
    legacy_integration = models.FloatField(null=True)
    ethics_compliance = models.FloatField(null=True)
    scalable_infrastructure = models.FloatField(null=True)
    organizational_readiness = models.FloatField(null=True)
    governance_risk = models.FloatField(null=True)
    insufficient = models.JSONField(
        default=list, help_text="Keys of the dimensions with insufficient evidence."
    )

    class Meta:
        indexes = [models.Index(fields=["organization", "-closed_at"])]

    def __str__(self) -> str:
        return f"Scores of {self.assessment}"


class Verification(models.Model):
    """The consultant's verified level of one question of an assessment, set after
    reviewing the evidence (DESIGN §11, evidence-backed layer)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="verifications"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment_id", "question__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="one_verification_per_question"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="verified_level_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.key} verified at {self.level}"


def evidence_path(instance, filename: str) -> str:
    """A random stored name: the uploader's file name is never part of a path."""
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(
        instance.content_type, "xlsx"
    )
    return f"evidence/{instance.assessment_id}/{secrets.token_hex(16)}.{extension}"


class EvidenceFile(models.Model):
    """A file backing a question's answers (PDF, PNG, JPEG or XLSX), served only through
    the access-checked download (never a public media URL)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="evidence_files"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment_id", "question__position", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
