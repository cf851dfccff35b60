"""Pages that compose several apps: an organization's home page (its assessments,
members and the forms to start an assessment and to invite, change or remove members)
and an assessment's results.

The member forms post to their own routes, each through
`authorize(..., Action.MANAGE_MEMBERS)`, and call organizations.members; a refusal
(bad email, already a member, the last consultant) comes back on the organization page,
on the form that caused it. Removing asks first, on a page of its own (no JavaScript).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from assessments import exports
from assessments import services as assessment_services
from assessments.forms import AssessmentForm
from assessments.selectors import assessment_for, latest_bank
from common.forms import run_on_form
from organizations import members
from organizations.forms import MemberInviteForm, MemberRemoveForm, MemberRoleForm
from organizations.models import Role
from organizations.policy import Action, allows, authorize
from organizations.selectors import is_only_consultant

from .page import Audience, results_page


def audience_of(membership) -> Audience:
    """Consultants of the organization read everything, named; its members, aggregates."""
    if allows(membership, Action.READ_NAMED_ANSWERS):
        return Audience.CONSULTANT
    return Audience.CLIENT


def _organization_page(
    request,
    membership,
    *,
    invite_form=None,
    role_form=None,
    role_of=None,
    assessment_form=None,
    status=200,
):
    """The organization page; a refused form (`invite_form`, `assessment_form`, or
    `role_form` for the membership `role_of`) is shown with its errors."""
    organization = membership.organization
    can_manage = allows(membership, Action.MANAGE_ASSESSMENTS)
    can_manage_members = allows(membership, Action.MANAGE_MEMBERS)
    memberships = list(organization.memberships.select_related("user"))
    for member in memberships:
        member.role_errors = role_form.non_field_errors() if member.pk == role_of else []
    return render(
        request,
        "organizations/detail.html",
        {
            "organization": organization,
            "membership": membership,
            "can_manage": can_manage,
            "can_manage_units": allows(membership, Action.MANAGE_UNITS),
            "can_manage_members": can_manage_members,
            "assessments": organization.assessments.select_related("bank"),
            "members": memberships,
            "roles": Role.choices,
            "invite_form": (invite_form or MemberInviteForm()) if can_manage_members else None,
            "assessment_form": (assessment_form or AssessmentForm(initial={"bank": latest_bank()}))
            if can_manage
            else None,
        },
        status=status,
    )


@login_required
def organization_home(request, organization_id: int):
    membership = authorize(request.user, organization_id, Action.VIEW_ORGANIZATION)
    return _organization_page(request, membership)


@login_required
@require_POST
def assessment_create(request, organization_id: int):
    """The organization page's "Start a new assessment" form."""
    membership = authorize(request.user, organization_id, Action.MANAGE_ASSESSMENTS)
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        return _organization_page(request, membership, assessment_form=form, status=400)
    assessment = assessment_services.assessment_create(
        organization=membership.organization, user=request.user, **form.cleaned_data
    )
    return redirect("assessments:detail", assessment_id=assessment.pk)


def _members_url(organization_id: int) -> str:
    return reverse("results:organization", args=[organization_id]) + "#members"


def _member_of(mine, membership_id: int):
    return get_object_or_404(
        mine.organization.memberships.select_related("user", "organization"), pk=membership_id
    )


def _name(membership) -> str:
    user = membership.user
    return user.get_full_name() or user.get_username()


@login_required
@require_POST
def member_invite(request, organization_id: int):
    mine = authorize(request.user, organization_id, Action.MANAGE_MEMBERS)
    form = MemberInviteForm(request.POST)
    if not form.is_valid():
        return _organization_page(request, mine, invite_form=form, status=400)
    done, invited = run_on_form(
        form,
        lambda: members.member_invite(
            organization=mine.organization, user=request.user, **form.cleaned_data
        ),
    )
    if not done:
        return _organization_page(request, mine, invite_form=form, status=409)
    if invited.user.has_usable_password():
        told = gettext("We emailed them that they were added.")
    else:
        told = gettext("We emailed them a link to set their password.")
    invited_as = gettext("%(email)s invited as %(role)s.") % {
        "email": invited.user.email,
        "role": invited.get_role_display(),
    }
    messages.success(request, f"{invited_as} {told}")
    return redirect(_members_url(organization_id))


@login_required
@require_POST
def member_role(request, organization_id: int, membership_id: int):
    mine = authorize(request.user, organization_id, Action.MANAGE_MEMBERS)
    target = _member_of(mine, membership_id)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        form.add_error(None, gettext("Choose one of the roles."))
        return _organization_page(request, mine, role_form=form, role_of=target.pk, status=400)
    previous = target.get_role_display()
    done, changed = run_on_form(
        form,
        lambda: members.member_role_change(
            membership=target, role=form.cleaned_data["role"], user=request.user
        ),
    )
    if not done:
        return _organization_page(request, mine, role_form=form, role_of=target.pk, status=409)
    if changed.get_role_display() != previous:
        messages.success(
            request,
            gettext("%(name)s is now %(role)s.")
            % {"name": _name(changed), "role": changed.get_role_display()},
        )
    return redirect(_members_url(organization_id))


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request, organization_id: int, membership_id: int):
    """GET: the confirmation page; POST (its button): remove."""
    mine = authorize(request.user, organization_id, Action.MANAGE_MEMBERS)
    target = _member_of(mine, membership_id)
    refusal = None
    if request.method == "POST":
        form = MemberRemoveForm(request.POST)
        form.is_valid()  # no fields: it only carries the service's refusal
        done, _ = run_on_form(
            form, lambda: members.member_remove(membership=target, user=request.user)
        )
        if done:
            messages.success(
                request,
                gettext("%(name)s removed from %(organization)s.")
                % {"name": _name(target), "organization": mine.organization.name},
            )
            if target.user_id == request.user.pk:
                return redirect("organizations:list")
            return redirect(_members_url(organization_id))
        refusal = " ".join(form.non_field_errors())
    elif is_only_consultant(target):
        refusal = gettext("An organization needs at least one consultant.")
    context = {
        "organization": mine.organization,
        "target": target,
        "name": _name(target),
        "yourself": target.user_id == request.user.pk,
        "refusal": refusal,
        "cancel_url": _members_url(organization_id),
    }
    status = 409 if refusal and request.method == "POST" else 200
    return render(request, "organizations/member_remove.html", context, status=status)


@login_required
def assessment_results(request, assessment_id: int):
    assessment, membership = assessment_for(request.user, assessment_id, Action.READ_RESULTS)
    page = results_page(assessment, audience_of(membership))
    context = page.as_context()
    # The exports this role may have (client members get no link to the named answers).
    context["exports"] = [
        {"dataset": dataset, "label": exports.LABELS[dataset]}
        for dataset in exports.DATASETS
        if allows(membership, exports.ACTIONS[dataset])
    ]
    return render(request, "assessments/results.html", context)
