"""Reads for reports: who may see, request and download them."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify

from assessments.models import Assessment
from organizations.policy import Action, authorize

from .models import Branding, ReportKind, ReportRequest


def report_for(user, report_id: int, action: Action) -> ReportRequest:
    """The report when the policy lets the caller do `action` on its organization's
    reports (404 for outsiders, so nobody can tell another organization's reports
    exist; 403 for members without the role)."""
    report = get_object_or_404(
        ReportRequest.objects.select_related("assessment__organization", "assessment__bank"),
        pk=report_id,
    )
    authorize(user, report.assessment.organization_id, action)
    return report


def reports_of(assessment: Assessment) -> QuerySet[ReportRequest]:
    return assessment.report_requests.select_related("requested_by").order_by("-created_at", "-id")


def branding_of(organization_id: int) -> Branding | None:
    return Branding.objects.filter(organization_id=organization_id).first()


def download_filename(report: ReportRequest) -> str:
    """organization-kind-date.pdf, e.g. acme-industries-full-assessment-2026-11-29.pdf"""
    when = timezone.localtime(report.finished_at or report.created_at)
    stem = slugify(
        f"{report.assessment.organization.name} {ReportKind(report.kind).label} {when:%Y-%m-%d}"
    )
    return f"{stem or 'report'}.pdf"
