"""Report requests and branding.

A report request is the durable record of one document (a PDF, or the PowerPoint or
Word edition): it is stored before any task is queued, claimed by exactly one worker at
a time (a conditional UPDATE), and its file lives at a deterministic path
(`reports/<id>.<pdf|pptx|docx>`) that a re-render replaces.

Branding (firm name, colour, logo) lives in `organizations.models.Branding`: reports
and every email read it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment


class ReportKind(models.TextChoices):
    EXECUTIVE_SUMMARY = "executive_summary", _("Executive summary")
    FULL_ASSESSMENT = "full_assessment", _("Full assessment")
    ROADMAP_PROGRESS = "roadmap_progress", _("Roadmap progress")


class ReportAudience(models.TextChoices):
    """Who a report is for (shared/DESIGN.md §9): the client edition follows the
    confidentiality rules (aggregates only, nobody named); the consultant edition adds
    the named appendix and is marked as a confidential working paper on every page."""

    CLIENT = "client", _("Client edition")
    CONSULTANT = "consultant", _("Consultant edition")


class ReportFormat(models.TextChoices):
    """The file a report request makes: the PDF of every kind, the executive summary as
    editable PowerPoint slides, the full assessment as an editable Word document."""

    PDF = "pdf", "PDF"
    PPTX = "pptx", "PowerPoint"
    DOCX = "docx", "Word"


FORMATS_OF_KIND = {
    ReportKind.EXECUTIVE_SUMMARY: (ReportFormat.PDF, ReportFormat.PPTX),
    ReportKind.FULL_ASSESSMENT: (ReportFormat.PDF, ReportFormat.DOCX),
    ReportKind.ROADMAP_PROGRESS: (ReportFormat.PDF,),
}
CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


DEFAULT_LANGUAGE = "en"
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def report_language(code: str | None) -> str:
    """One of LANGUAGE_CODES for a language code such as the request's active language
    ("de-at" → "de"); the default language when there is none or it is not offered."""
    if not code:
        return DEFAULT_LANGUAGE
    code = code.lower()
    if code in LANGUAGE_CODES:
        return code
    base = code.split("-")[0]
    return base if base in LANGUAGE_CODES else DEFAULT_LANGUAGE


class ReportStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("report status", "Queued")
    RENDERING = "rendering", pgettext_lazy("report status", "Rendering")
    READY = "ready", pgettext_lazy("report status", "Ready")
    FAILED = "failed", pgettext_lazy("report status", "Failed")


class ReportRequest(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="report_requests"
    )
    kind = models.CharField(max_length=30, choices=ReportKind.choices)
    audience = models.CharField(
        max_length=20, choices=ReportAudience.choices, default=ReportAudience.CLIENT
    )
    file_format = models.CharField(
        max_length=10, choices=ReportFormat.choices, default=ReportFormat.PDF
    )
    # The language the document is written in: chosen when it is requested (the
    # requester's language by default) and kept by every re-render.
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default=DEFAULT_LANGUAGE)
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why the last attempt failed.")
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="When a task message was last published for it."
    )
    started_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(
        null=True, blank=True, help_text="A rendering claim older than this is presumed lost."
    )
    claim = models.CharField(max_length=32, blank=True, help_text="Token of the current claim.")
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to="reports/", blank=True)
    size = models.PositiveIntegerField(null=True, blank=True, help_text="Bytes.")
    pages = models.PositiveIntegerField(null=True, blank=True)
    checksum = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the file.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "lease_expires_at"])]

    def __str__(self) -> str:
        return f"{self.title} #{self.pk} ({self.status})"

    @property
    def is_consultant_edition(self) -> bool:
        return self.audience == ReportAudience.CONSULTANT

    @property
    def title(self) -> str:
        """ "Full assessment", "Full assessment (consultant edition)", or with another
        format than PDF "Executive summary (PowerPoint)"."""
        notes = (
            [str(self.get_file_format_display())] if self.file_format != ReportFormat.PDF else []
        )
        if self.is_consultant_edition:
            notes.append(gettext("consultant edition"))
        kind = str(self.get_kind_display())
        if not notes:
            return kind
        return gettext("%(kind)s (%(notes)s)") % {"kind": kind, "notes": ", ".join(notes)}

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[ReportFormat(self.file_format)]

    @property
    def is_ready(self) -> bool:
        return self.status == ReportStatus.READY

    @property
    def is_failed(self) -> bool:
        return self.status == ReportStatus.FAILED

    @property
    def in_progress(self) -> bool:
        return self.status in (ReportStatus.PENDING, ReportStatus.RENDERING)
