"""Pages that compose several apps: an organization's home page (its assessments,
members and the form to start an assessment) and an assessment's results."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assessments import exports
from assessments.forms import AssessmentForm
from assessments.selectors import assessment_for, latest_bank
from organizations.policy import Action, allows, authorize

from .page import Audience, results_page


def audience_of(membership) -> Audience:
    """Consultants of the organization read everything, named; its members, aggregates."""
    if allows(membership, Action.READ_NAMED_ANSWERS):
        return Audience.CONSULTANT
    return Audience.CLIENT


@login_required
def organization_home(request, organization_id: int):
    membership = authorize(request.user, organization_id, Action.VIEW_ORGANIZATION)
    organization = membership.organization
    can_manage = allows(membership, Action.MANAGE_ASSESSMENTS)
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
