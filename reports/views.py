"""Report pages: every member of the organization lists its reports and downloads the
client editions; consultants and CoE leads request and retry client editions;
consultants alone request, retry and download the consultant edition (named answers)
and set the branding. A client member sees a consultant edition in the list without a
link (a download would be refused with 403). Outsiders get 404. The list polls itself
(htmx) while a report is in progress."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from assessments import services as assessment_services
from assessments.selectors import assessment_for, quality_checks
from common.errors import ConflictError, InputError
from common.forms import run_on_form
from organizations.models import DEFAULT_COLOR
from organizations.policy import Action, allows

from . import selectors, services
from .forms import BrandingForm, ReportRequestForm
from .models import FORMATS_OF_KIND, ReportAudience, ReportKind, report_language

KIND_DESCRIPTIONS = {
    ReportKind.EXECUTIVE_SUMMARY: gettext_lazy(
        "2–4 pages for the board: index, level and phase, the seven dimensions against "
        "peers, strengths and gaps, what moves you next, returns."
    ),
    ReportKind.FULL_ASSESSMENT: gettext_lazy(
        "10 pages or more: every result, each dimension, risks, roadmap, peers, returns "
        "and case studies, the method, and every answer."
    ),
    ReportKind.ROADMAP_PROGRESS: gettext_lazy(
        "For the CoE: phases with progress and status, milestones, the timeline, the "
        "use-case portfolio against the bands and the trend."
    ),
}

# The editable edition each kind also has, beside its PDF.
OTHER_FORMATS = {kind: formats[1] for kind, formats in FORMATS_OF_KIND.items() if len(formats) > 1}

AUDIENCE_DESCRIPTIONS = [
    (
        ReportAudience.CLIENT,
        ReportAudience.CLIENT.label,
        gettext_lazy(
            "For the client: aggregates only, nobody named; comments and evidence without "
            "name or title."
        ),
    ),
    (
        ReportAudience.CONSULTANT,
        ReportAudience.CONSULTANT.label,
        gettext_lazy(
            "Your working paper: adds every respondent's named answers, and every page is "
            "marked “Confidential: consultant working paper”. Only consultants can "
            "download it."
        ),
    ),
]


def _list_context(request, assessment, membership) -> dict:
    reports = list(selectors.reports_of(assessment))
    return {
        "assessment": assessment,
        "organization": assessment.organization,
        "reports": reports,
        "polling": any(r.in_progress for r in reports),
        "can_request": allows(membership, Action.REQUEST_CLIENT_REPORT),
        "can_request_consultant": allows(membership, Action.REQUEST_CONSULTANT_REPORT),
        "can_download_consultant": allows(membership, Action.DOWNLOAD_CONSULTANT_REPORT),
    }


def _page_context(request, assessment, membership, **extra) -> dict:
    context = _list_context(request, assessment, membership)
    can_brand = allows(membership, Action.SET_BRANDING)
    branding = selectors.branding_of(assessment.organization_id)
    context.update(
        {
            "kinds": [(k, k.label, KIND_DESCRIPTIONS[k], OTHER_FORMATS.get(k)) for k in ReportKind],
            "audiences": AUDIENCE_DESCRIPTIONS,
            "languages": settings.LANGUAGES,
            "report_language": report_language(translation.get_language()),
            "can_brand": can_brand,
            "branding": branding,
            "branding_form": BrandingForm(
                initial={
                    "firm_name": branding.firm_name if branding else "",
                    "color": branding.color if branding else DEFAULT_COLOR,
                }
            )
            if can_brand
            else None,
        }
    )
    context.update(extra)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def reports_page(request, assessment_id: int):
    if request.method == "GET":
        assessment, membership = assessment_for(request.user, assessment_id, Action.READ_REPORTS)
        context = _page_context(request, assessment, membership)
        return render(request, "reports/page.html", context)
    form = ReportRequestForm(request.POST)
    valid = form.is_valid()
    audience = form.cleaned_data.get("audience", ReportAudience.CLIENT)
    assessment, membership = assessment_for(
        request.user, assessment_id, selectors.request_action(audience)
    )
    if valid and allows(membership, Action.READ_QUALITY_CHECKS):
        warnings = quality_checks(assessment)
        kind, audience_label = ReportKind(form.cleaned_data["kind"]), ReportAudience(audience)
        if warnings and request.POST.get("quality") != "acknowledged":
            context = {
                "assessment": assessment,
                "organization": assessment.organization,
                "warnings": warnings,
                "kind": kind.value,
                "kind_label": kind.label,
                "audience": audience_label.value,
                "audience_label": audience_label.label,
                "file_format": form.cleaned_data["file_format"],
                "language": form.cleaned_data["language"],
            }
            return render(request, "reports/quality_check.html", context)
        if warnings:
            assessment_services.quality_acknowledge(
                assessment=assessment,
                user=request.user,
                warnings=warnings,
                purpose=_purpose(kind, audience_label),
            )
    if valid:
        try:
            report = services.report_request_create(
                assessment=assessment,
                kind=form.cleaned_data["kind"],
                audience=audience,
                file_format=form.cleaned_data["file_format"],
                language=form.cleaned_data["language"] or None,
                user=request.user,
            )
        except InputError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _(
                    "%(report)s requested (%(language)s): it is queued and this page shows "
                    "when it is ready."
                )
                % {"report": report.title, "language": report.get_language_display()},
            )
            return redirect("reports:page", assessment_id=assessment.pk)
    else:
        messages.error(request, _form_error(form))
    context = _page_context(request, assessment, membership)
    return render(request, "reports/page.html", context, status=400)


def _purpose(kind: ReportKind, audience: ReportAudience) -> str:
    """What the quality warnings were acknowledged for, in the audit log (English)."""
    with translation.override("en"):
        return f"the {str(kind.label).lower()} ({str(audience.label).lower()})"


def _form_error(form: ReportRequestForm) -> str:
    if "file_format" in form.errors:
        return _("Unknown file format: choose PDF, PowerPoint or Word.")
    if "audience" in form.errors:
        return _("Unknown audience: choose the client edition or the consultant edition.")
    if "language" in form.errors:
        return _("Unknown report language: choose English or German.")
    return _("Choose one of the report kinds.")


@login_required
def reports_list(request, assessment_id: int):
    """The list alone, for htmx polling."""
    assessment, membership = assessment_for(request.user, assessment_id, Action.READ_REPORTS)
    return render(request, "reports/_list.html", _list_context(request, assessment, membership))


@login_required
def report_download(request, report_id: int):
    report = selectors.report_to_download(request.user, report_id)
    if not report.is_ready or not report.file:
        return HttpResponse(
            _("This report is not ready yet."), status=409, content_type="text/plain; charset=utf-8"
        )
    try:
        handle = report.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The report file is missing.")) from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=selectors.download_filename(report),
        content_type=report.content_type,
    )


@login_required
@require_POST
def report_retry(request, report_id: int):
    report = selectors.report_to_retry(request.user, report_id)
    try:
        services.report_retry(report=report, user=request.user)
    except ConflictError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(report)s queued again.") % {"report": report.title})
    return redirect("reports:page", assessment_id=report.assessment_id)


@login_required
@require_POST
def branding(request, assessment_id: int):
    assessment, membership = assessment_for(request.user, assessment_id, Action.SET_BRANDING)
    form = BrandingForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        saved, _result = run_on_form(
            form,
            lambda: services.branding_save(
                organization=assessment.organization,
                user=request.user,
                firm_name=data["firm_name"],
                color=data["color"],
                logo=data["logo"] or None,
                remove_logo=data["remove_logo"],
            ),
        )
        if saved:
            messages.success(request, _("Branding saved: the next reports carry it."))
            return redirect("reports:page", assessment_id=assessment.pk)
    context = _page_context(request, assessment, membership, branding_form=form)
    return render(request, "reports/page.html", context, status=400)
