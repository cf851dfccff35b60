"""Reads for reports: who may see, request and download them."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify

from assessments.models import Assessment
from assessments.selectors import assessment_for_member
from organizations.models import Role
from organizations.selectors import ALL_ROLES, membership_for

from .models import Branding, ReportKind, ReportRequest

READERS = ALL_ROLES  # every member reads and downloads the organization's reports
REQUESTERS = (Role.CONSULTANT, Role.COE_LEAD)  # who may request and retry them
BRANDING_EDITORS = (Role.CONSULTANT,)


def assessment_for_reports(user, assessment_id: int, roles=READERS) -> Assessment:
    return assessment_for_member(user, assessment_id, roles)


def report_for_member(user, report_id: int, roles=READERS) -> ReportRequest:
    """The report if the user is a member (with one of `roles`) of its organization; 404
    otherwise, so that nobody can tell another organization's reports exist."""
    report = get_object_or_404(
        ReportRequest.objects.select_related("assessment__organization", "assessment__bank"),
        pk=report_id,
    )
    membership = membership_for(user, report.assessment.organization_id)
    if membership is None or membership.role not in set(roles):
        raise Http404("No such report.")
    return report


def reports_of(assessment: Assessment) -> QuerySet[ReportRequest]:
    return assessment.report_requests.select_related("requested_by").order_by("-created_at", "-id")


def can_request(user, assessment: Assessment) -> bool:
    membership = membership_for(user, assessment.organization_id)
    return membership is not None and membership.role in REQUESTERS


def can_brand(user, assessment: Assessment) -> bool:
    membership = membership_for(user, assessment.organization_id)
    return membership is not None and membership.role in BRANDING_EDITORS


def branding_of(organization_id: int) -> Branding | None:
    return Branding.objects.filter(organization_id=organization_id).first()


def download_filename(report: ReportRequest) -> str:
    """organization-kind-date.pdf, e.g. acme-industries-full-assessment-2026-11-29.pdf"""
    when = timezone.localtime(report.finished_at or report.created_at)
    stem = slugify(
        f"{report.assessment.organization.name} {ReportKind(report.kind).label} {when:%Y-%m-%d}"
    )
    return f"{stem or 'report'}.pdf"
