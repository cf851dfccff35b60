"""Pages that compose several apps: an organization's home page (its assessments,
members and the form to start an assessment) and an assessment's results."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assessments.forms import AssessmentForm
from assessments.selectors import assessment_for_member, latest_bank
from organizations.models import Role
from organizations.selectors import organization_for_member

from .page import results_page


@login_required
def organization_home(request, organization_id: int):
    organization, membership = organization_for_member(request.user, organization_id)
    can_manage = membership.role == Role.CONSULTANT
    return render(
        request,
        "organizations/detail.html",
        {
            "organization": organization,
            "membership": membership,
            "can_manage": can_manage,
            "assessments": organization.assessments.select_related("bank"),
            "members": organization.memberships.select_related("user"),
            "assessment_form": AssessmentForm(initial={"bank": latest_bank()})
            if can_manage
            else None,
        },
    )


@login_required
def assessment_results(request, assessment_id: int):
    assessment = assessment_for_member(request.user, assessment_id)
    return render(request, "assessments/results.html", results_page(assessment).as_context())
