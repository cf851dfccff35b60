"""Roadmap pages: CoE leads and consultants of the organization edit, its executives
read, everyone else gets 404 (anonymous visitors are sent to log in).

Every form works without JavaScript (POST, then redirect back to the roadmap); the
milestone status control also answers htmx with the changed milestone and, out of band,
the phase card, the overall progress, the timeline and the history.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.charts import figure_data
from common.errors import ConflictError, InputError
from common.forms import run_on_form
from organizations.policy import Action, allows, authorize

from . import selectors, services, target_charts, tracking
from .forms import (
    MilestoneForm,
    MilestoneStatusForm,
    RoadmapCreateForm,
    TargetForm,
    UseCaseForm,
)
from .models import Milestone, UseCase
from .presentation import tracking_view
from .trend import trend_figure

RECOMMENDATIONS_SHOWN = 8
HISTORY_SHOWN = 100


def _roadmap_url(organization_id: int, anchor: str = "") -> str:
    url = reverse("roadmap:page", args=[organization_id])
    return f"{url}#{anchor}" if anchor else url


def _tracking_context(tracking_: selectors.RoadmapTracking) -> dict:
    """What the status response re-renders: phase cards, progress, timeline."""
    view = tracking_view(tracking_)
    return {
        "tracking": view.state,
        "phase_cards": view.phases,
        "chart": view.chart,
        "narrow_chart": view.narrow_chart,
        "outside_chart": view.outside_chart,
        "today": view.today,
        "status_rule": view.status_rule,
    }


def _history_context(organization_id: int) -> dict:
    return {
        "activity": selectors.activity_of(organization_id, HISTORY_SHOWN),
        "activity_total": selectors.history_entries(organization_id).count(),
        "history_shown": HISTORY_SHOWN,
    }


def _page_context(request, organization, membership, roadmap, **extra) -> dict:
    can_edit = allows(membership, Action.EDIT_ROADMAP)
    context = {
        "organization": organization,
        "membership": membership,
        "can_edit": can_edit,
        "roadmap": roadmap,
        "use_cases": selectors.use_cases_of(organization.pk),
        **_history_context(organization.pk),
    }
    if roadmap is None:
        assessments = selectors.assessments_with_submissions(organization.pk)
        context["assessments_available"] = assessments.exists()
        if can_edit and "create_form" not in extra:
            context["create_form"] = RoadmapCreateForm(
                assessments=assessments,
                initial={"assessment": assessments.first(), "start_date": timezone.localdate()},
            )
    else:
        context.update(_tracking_context(selectors.roadmap_tracking(roadmap, timezone.localdate())))
        placement, source = selectors.roadmap_placement(roadmap)
        trend = selectors.roadmap_trend(roadmap, source)
        targets = selectors.target_states(
            organization.pk,
            source,
            min_group=None
            if allows(membership, Action.READ_NAMED_ANSWERS)
            else settings.CONFIDENTIALITY_MIN_GROUP,
            first=selectors.first_closed_assessment(organization.pk),
        )
        current_dimensions = selectors.assessment_scores(source).summary["dimensions"]
        accepted = set(
            roadmap.milestones.exclude(recommendation_key="").values_list(
                "recommendation_key", flat=True
            )
        )
        context.update(
            {
                "placement": placement,
                "placement_source": source,
                "recommendations": [
                    {"recommendation": r, "accepted": r.key in accepted}
                    for r in placement.recommendations[:RECOMMENDATIONS_SHOWN]
                ],
                "status_choices": Milestone._meta.get_field("status").choices,
                "trend": trend,
                "trend_chart": figure_data(trend_figure(trend)),
                "targets": targets,
                "target_gap_chart": figure_data(target_charts.gap_chart(targets))
                if targets
                else None,
                "target_radar": figure_data(
                    target_charts.radar_with_targets(current_dimensions, targets)
                ),
                "can_set_targets": allows(membership, Action.SET_TARGETS),
                "target_form": (
                    extra.get("target_form") or TargetForm(organization=organization)
                ).name_dimensions({d["key"]: d["title"] for d in current_dimensions}),
            }
        )
    context.update(extra)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_page(request, organization_id: int):
    """The roadmap, or (when there is none yet) the form that starts it."""
    action = Action.EDIT_ROADMAP if request.method == "POST" else Action.READ_ROADMAP
    organization, membership, roadmap = selectors.organization_roadmap(
        request.user, organization_id, action
    )
    if request.method == "GET":
        context = _page_context(request, organization, membership, roadmap)
        return render(request, "roadmap/page.html", context)
    if roadmap is not None:
        messages.error(request, _("%(name)s already has a roadmap.") % {"name": organization.name})
        return redirect(_roadmap_url(organization.pk))
    form = RoadmapCreateForm(
        request.POST, assessments=selectors.assessments_with_submissions(organization.pk)
    )
    if (
        form.is_valid()
        and run_on_form(
            form, lambda: services.roadmap_create(user=request.user, **form.cleaned_data)
        )[0]
    ):
        messages.success(request, _("The roadmap is ready, with the phase template milestones."))
        return redirect(_roadmap_url(organization.pk))
    context = _page_context(request, organization, membership, None, create_form=form)
    return render(request, "roadmap/page.html", context, status=400)


def _editable_roadmap(request, organization_id: int):
    organization, _membership, roadmap = selectors.organization_roadmap(
        request.user, organization_id, Action.EDIT_ROADMAP
    )
    if roadmap is None:
        raise Http404(_("This organization has no roadmap yet."))
    return organization, roadmap


def _members(organization):
    """The users a milestone can be assigned to: the organization's members."""
    return (
        get_user_model()
        .objects.filter(memberships__organization=organization)
        .order_by("first_name", "last_name", "username")
    )


def _phase_names(roadmap) -> dict[int, str]:
    return {p.phase: p.name for p in selectors.reference_of(roadmap.reference).phases}


def _milestone_of(roadmap, milestone_id: int) -> Milestone:
    return get_object_or_404(roadmap.milestones.select_related("roadmap"), pk=milestone_id)


def _form_page(request, template: str, context: dict, status: int = 200):
    return render(request, template, context, status=status)


def _save_form(form, save) -> bool:
    """Call `save(cleaned_data)`; service errors land on the form. True when saved."""
    if not form.is_valid():
        return False
    saved, _errors = run_on_form(form, lambda: save(form.cleaned_data))
    return saved


# --- milestones ------------------------------------------------------------------------


def _warn_if_outside_window(request, roadmap, data: dict) -> None:
    """A due date outside the phase's planned window is allowed (plans slip) but said."""
    windows = {w.phase: w for w in selectors.roadmap_windows(roadmap)}
    window, due = windows.get(data["phase"]), data.get("due_date")
    reason = tracking.due_date_outside_window(window, due) if window else ""
    if reason:
        messages.warning(
            request,
            _(
                "⚠ “%(title)s” is due %(date)s, outside its phase's planned window: "
                "%(reason)s. Change the date or the phase if that is not intended."
            )
            % {"title": data["title"], "date": tracking.day_label(due), "reason": reason},
        )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_create(request, organization_id: int):
    organization, roadmap = _editable_roadmap(request, organization_id)
    phase = request.GET.get("phase", "")
    form = MilestoneForm(
        request.POST or None,
        phase_names=_phase_names(roadmap),
        members=_members(organization),
        milestones=roadmap.milestones.order_by("phase", "position", "id"),
        initial={"phase": int(phase)} if phase in ("1", "2", "3", "4") else None,
    )
    if request.method == "POST" and _save_form(
        form,
        lambda data: services.milestone_create(roadmap=roadmap, user=request.user, data=data),
    ):
        messages.success(
            request, _("Milestone “%(title)s” added.") % {"title": form.cleaned_data["title"]}
        )
        _warn_if_outside_window(request, roadmap, form.cleaned_data)
        return redirect(_roadmap_url(organization.pk, f"phase-{form.cleaned_data['phase']}"))
    context = {"organization": organization, "roadmap": roadmap, "form": form, "milestone": None}
    status = 400 if request.method == "POST" else 200
    return _form_page(request, "roadmap/milestone_form.html", context, status)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request, organization_id: int, milestone_id: int):
    organization, roadmap = _editable_roadmap(request, organization_id)
    milestone = _milestone_of(roadmap, milestone_id)
    form = MilestoneForm(
        request.POST or None,
        instance=Milestone.objects.get(pk=milestone.pk),  # the form edits its own copy
        phase_names=_phase_names(roadmap),
        members=_members(organization),
        milestones=roadmap.milestones.order_by("phase", "position", "id"),
    )
    if request.method == "POST" and _save_form(
        form,
        lambda data: services.milestone_update(milestone=milestone, user=request.user, data=data),
    ):
        messages.success(
            request, _("Milestone “%(title)s” saved.") % {"title": form.cleaned_data["title"]}
        )
        _warn_if_outside_window(request, roadmap, form.cleaned_data)
        return redirect(_roadmap_url(organization.pk, f"milestone-{milestone.pk}"))
    context = {"organization": organization, "roadmap": roadmap, "form": form}
    context["milestone"] = milestone
    status = 400 if request.method == "POST" else 200
    return _form_page(request, "roadmap/milestone_form.html", context, status)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_delete(request, organization_id: int, milestone_id: int):
    organization, roadmap = _editable_roadmap(request, organization_id)
    milestone = _milestone_of(roadmap, milestone_id)
    if request.method == "POST":
        services.milestone_delete(milestone=milestone, user=request.user)
        messages.success(request, _("Milestone “%(title)s” deleted.") % {"title": milestone.title})
        return redirect(_roadmap_url(organization.pk, f"phase-{milestone.phase}"))
    context = {
        "organization": organization,
        "what": _("the milestone “%(title)s” (phase %(phase)s)")
        % {"title": milestone.title, "phase": milestone.phase},
        "cancel_url": _roadmap_url(organization.pk, f"milestone-{milestone.pk}"),
    }
    return render(request, "roadmap/confirm_delete.html", context)


@login_required
@require_POST
def milestone_status(request, organization_id: int, milestone_id: int):
    """Change a milestone's status. htmx gets the milestone back, with the phase card, the
    overall progress, the timeline and the history out of band; a plain form is redirected."""
    organization, roadmap = _editable_roadmap(request, organization_id)
    milestone = _milestone_of(roadmap, milestone_id)
    form = MilestoneStatusForm(request.POST)
    error = None
    if _save_form(
        form,
        lambda data: services.milestone_update(milestone=milestone, user=request.user, data=data),
    ):
        milestone.refresh_from_db()
    else:
        error = "; ".join(e for errors in form.errors.values() for e in errors)
    if not request.htmx:
        if error:
            messages.error(
                request,
                _("“%(title)s” was not changed: %(error)s")
                % {"title": milestone.title, "error": error},
            )
        else:
            messages.success(
                request,
                _("“%(title)s” is now %(status)s.")
                % {"title": milestone.title, "status": milestone.get_status_display().lower()},
            )
        return redirect(_roadmap_url(organization.pk, f"milestone-{milestone.pk}"))
    tracking_ = _tracking_context(selectors.roadmap_tracking(roadmap, timezone.localdate()))
    context = {
        "organization": organization,
        "roadmap": roadmap,
        "m": milestone,
        "can_edit": True,
        "error": error,
        "status_choices": Milestone._meta.get_field("status").choices,
        "card": next(
            card for card in tracking_["phase_cards"] if card["progress"].phase == milestone.phase
        ),
        **tracking_,
        **_history_context(organization.pk),
    }
    return render(request, "roadmap/_status_response.html", context, status=400 if error else 200)


@login_required
@require_POST
def milestone_move(request, organization_id: int, milestone_id: int):
    organization, roadmap = _editable_roadmap(request, organization_id)
    milestone = _milestone_of(roadmap, milestone_id)
    direction = request.POST.get("direction", "")
    try:
        services.milestone_reorder(milestone=milestone, direction=direction, user=request.user)
    except InputError:
        messages.error(request, _("Move a milestone up or down."))
    return redirect(_roadmap_url(organization.pk, f"milestone-{milestone.pk}"))


@login_required
@require_POST
def recommendation_accept(request, organization_id: int):
    organization, roadmap = _editable_roadmap(request, organization_id)
    try:
        milestone = services.recommendation_accept(
            roadmap=roadmap,
            recommendation_key=request.POST.get("recommendation", "")[:64],
            user=request.user,
        )
    except InputError as exc:
        messages.error(request, exc.message)
        return redirect(_roadmap_url(organization.pk, "recommendations"))
    except ConflictError as exc:
        messages.error(request, str(exc))
        return redirect(_roadmap_url(organization.pk, "recommendations"))
    messages.success(request, f"“{milestone.title}” is now a milestone of phase {milestone.phase}.")
    return redirect(_roadmap_url(organization.pk, f"milestone-{milestone.pk}"))


@login_required
@require_POST
def reassessment_start(request, organization_id: int):
    organization, roadmap = _editable_roadmap(request, organization_id)
    try:
        assessment = services.reassessment_start(roadmap=roadmap, user=request.user)
    except ConflictError as exc:
        messages.error(request, str(exc))
        return redirect(_roadmap_url(organization.pk))
    count = assessment.respondents.count()
    messages.success(
        request,
        f"“{assessment.title}” started with {count} respondent{'s' if count != 1 else ''}, "
        "each with a new invitation link; a consultant sends the invitations from this page.",
    )
    return redirect("assessments:detail", assessment_id=assessment.pk)


# --- use cases -------------------------------------------------------------------------


def _editable_organization(request, organization_id: int):
    return authorize(request.user, organization_id, Action.EDIT_ROADMAP).organization


@login_required
@require_http_methods(["GET", "POST"])
def use_case_create(request, organization_id: int):
    organization = _editable_organization(request, organization_id)
    form = UseCaseForm(request.POST or None)
    if request.method == "POST" and _save_form(
        form,
        lambda data: services.use_case_create(
            organization=organization, user=request.user, data=data
        ),
    ):
        messages.success(
            request, _("Use case “%(name)s” added.") % {"name": form.cleaned_data["name"]}
        )
        return redirect(_roadmap_url(organization.pk, "use-cases"))
    context = {"organization": organization, "form": form, "use_case": None}
    status = 400 if request.method == "POST" else 200
    return _form_page(request, "roadmap/use_case_form.html", context, status)


@login_required
@require_http_methods(["GET", "POST"])
def use_case_edit(request, organization_id: int, use_case_id: int):
    organization = _editable_organization(request, organization_id)
    use_case = get_object_or_404(UseCase, pk=use_case_id, organization=organization)
    form = UseCaseForm(request.POST or None, instance=UseCase.objects.get(pk=use_case.pk))
    if request.method == "POST" and _save_form(
        form,
        lambda data: services.use_case_update(use_case=use_case, user=request.user, data=data),
    ):
        messages.success(
            request, _("Use case “%(name)s” saved.") % {"name": form.cleaned_data["name"]}
        )
        return redirect(_roadmap_url(organization.pk, "use-cases"))
    context = {"organization": organization, "form": form, "use_case": use_case}
    status = 400 if request.method == "POST" else 200
    return _form_page(request, "roadmap/use_case_form.html", context, status)


@login_required
@require_http_methods(["GET", "POST"])
def use_case_delete(request, organization_id: int, use_case_id: int):
    organization = _editable_organization(request, organization_id)
    use_case = get_object_or_404(UseCase, pk=use_case_id, organization=organization)
    if request.method == "POST":
        services.use_case_delete(use_case=use_case, user=request.user)
        messages.success(request, _("Use case “%(name)s” deleted.") % {"name": use_case.name})
        return redirect(_roadmap_url(organization.pk, "use-cases"))
    context = {
        "organization": organization,
        "what": _("the use case “%(name)s”") % {"name": use_case.name},
        "cancel_url": _roadmap_url(organization.pk, "use-cases"),
    }
    return render(request, "roadmap/confirm_delete.html", context)


# --- targets ---------------------------------------------------------------------------


@login_required
@require_POST
def target_set(request, organization_id: int):
    organization = authorize(request.user, organization_id, Action.SET_TARGETS).organization
    form = TargetForm(request.POST, organization=organization)
    if _save_form(
        form,
        lambda data: services.target_set(organization=organization, user=request.user, **data),
    ):
        messages.success(request, _("Target saved."))
        return redirect(_roadmap_url(organization.pk, "targets"))
    _organization, membership, roadmap = selectors.organization_roadmap(
        request.user, organization_id, Action.READ_ROADMAP
    )
    context = _page_context(request, organization, membership, roadmap, target_form=form)
    return render(request, "roadmap/page.html", context, status=400)


@login_required
@require_POST
def target_delete(request, organization_id: int, target_id: int):
    organization = authorize(request.user, organization_id, Action.SET_TARGETS).organization
    target = get_object_or_404(organization.targets, pk=target_id)
    services.target_delete(target=target, user=request.user)
    messages.success(request, _("Target deleted."))
    return redirect(_roadmap_url(organization.pk, "targets"))
