"""Reads for reports: who may see, request and download them.

Which action an operation on a report is depends on its audience (shared/DESIGN.md §9):
any member reads and downloads the client edition, consultants and CoE leads request it;
the consultant edition (named answers) is requested and downloaded by consultants only.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.text import slugify

from assessments.models import Assessment
from organizations.models import Branding
from organizations.policy import Action, authorize

from .models import ReportAudience, ReportKind, ReportRequest

REQUEST_ACTIONS = {
    ReportAudience.CLIENT: Action.REQUEST_CLIENT_REPORT,
    ReportAudience.CONSULTANT: Action.REQUEST_CONSULTANT_REPORT,
}
DOWNLOAD_ACTIONS = {
    ReportAudience.CLIENT: Action.READ_REPORTS,
    ReportAudience.CONSULTANT: Action.DOWNLOAD_CONSULTANT_REPORT,
}


def request_action(audience: str) -> Action:
    """Requesting (and retrying) an edition of this audience."""
    return REQUEST_ACTIONS[ReportAudience(audience)]


def download_action(audience: str) -> Action:
    """Downloading an edition of this audience."""
    return DOWNLOAD_ACTIONS[ReportAudience(audience)]


def report_to_download(user, report_id: int) -> ReportRequest:
    """The report when the caller may download it (404 outsiders; a member refused the
    consultant edition's file gets 403, recorded)."""
    report = _report(report_id)
    authorize(user, report.assessment.organization_id, download_action(report.audience))
    return report


def report_to_retry(user, report_id: int) -> ReportRequest:
    """The report when the caller may request it again (its audience's request action)."""
    report = _report(report_id)
    authorize(user, report.assessment.organization_id, request_action(report.audience))
    return report


def report_for(user, report_id: int, action: Action) -> ReportRequest:
    """The report when the policy lets the caller do `action` on its organization's
    reports (404 for outsiders, so nobody can tell another organization's reports
    exist; 403 for members without the role)."""
    report = _report(report_id)
    authorize(user, report.assessment.organization_id, action)
    return report


def _report(report_id: int) -> ReportRequest:
    return get_object_or_404(
        ReportRequest.objects.select_related("assessment__organization", "assessment__bank"),
        pk=report_id,
    )


def reports_of(assessment: Assessment) -> QuerySet[ReportRequest]:
    return assessment.report_requests.select_related("requested_by").order_by("-created_at", "-id")


def branding_of(organization_id: int) -> Branding | None:
    return Branding.objects.filter(organization_id=organization_id).first()


def download_filename(report: ReportRequest) -> str:
    """organization-kind[-consultant-edition]-date.<pdf|pptx|docx>, e.g.
    acme-industries-full-assessment-2026-11-29.pdf, or
    acme-industries-full-assessment-consultant-edition-2026-11-29.pdf"""
    when = timezone.localtime(report.finished_at or report.created_at)
    edition = " consultant edition" if report.audience == ReportAudience.CONSULTANT else ""
    with translation.override("en"):  # file names stay ASCII and the same in any language
        kind = str(ReportKind(report.kind).label)
    stem = slugify(f"{report.assessment.organization.name} {kind}{edition} {when:%Y-%m-%d}")
    return f"{stem or 'report'}.{report.file_format}"
