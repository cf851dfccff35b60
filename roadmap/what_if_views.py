"""The what-if page (DESIGN §10): every member of the organization changes question
values and sees the projection live (htmx posts the form on every change and swaps the
result); consultants and CoE leads save the changes as a named scenario. Without
JavaScript the same form posts and the page comes back with the projection."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments.selectors import assessment_for, questions_by_key
from common.errors import InputError
from organizations.policy import Action, allows

from . import selectors, services, whatif
from .models import WhatIfScenario

FIELD_PREFIX = "q-"


def _posted_changes(data) -> dict:
    """The question fields given a level; "" keeps the stored value. Anything else is
    passed on as given, for the service to name it."""
    changes = {}
    for name, value in data.items():
        if name.startswith(FIELD_PREFIX) and value != "":
            changes[name.removeprefix(FIELD_PREFIX)] = int(value) if value.isdigit() else value
    return changes


def _context(assessment, membership, base, changes, **extra) -> dict:
    questions = questions_by_key(assessment.bank)
    result = whatif.what_if(base, changes)
    dimensions = []
    for dimension in result.dimensions:
        rows = [
            {
                "question": question,
                "value": base.value_of(key),
                "chosen": changes.get(key),
            }
            for key, question in questions.items()
            if question.dimension.key == dimension.key
        ]
        dimensions.append({"dimension": dimension, "questions": rows})
    return {
        "assessment": assessment,
        "organization": assessment.organization,
        "can_save": allows(membership, Action.SAVE_SCENARIOS),
        "result": result,
        # the cheapest path with each question's text
        "path_rows": [(r, questions[r.question]) for r in result.cheapest_path.raises],
        "dimensions": dimensions,
        "questions": questions,
        "changes": changes,
        "scenarios": selectors.scenarios_of(assessment),
        "field_prefix": FIELD_PREFIX,
        **extra,
    }


def _errors(error: InputError) -> list[str]:
    return [e.message if e.field is None else f"{e.field}: {e.message}" for e in error.errors]


@login_required
@require_http_methods(["GET", "POST"])
def what_if_page(request, assessment_id: int):
    assessment, membership = assessment_for(request.user, assessment_id, Action.RUN_WHAT_IF)
    base = selectors.what_if_base(assessment)
    scenario = None
    if request.method == "POST":
        changes = _posted_changes(request.POST)
    elif request.GET.get("scenario", "").isdigit():
        scenario = get_object_or_404(
            WhatIfScenario, assessment=assessment, pk=int(request.GET["scenario"])
        )
        changes = dict(scenario.changes)
    else:
        changes = {}
    try:
        changes = services.what_if_changes(base, changes)
        errors = []
    except InputError as error:
        changes, errors = {}, _errors(error)
    context = _context(assessment, membership, base, changes, errors=errors, scenario=scenario)
    status = 400 if errors else 200
    if request.htmx:
        return render(request, "roadmap/_what_if_result.html", context, status=status)
    return render(request, "roadmap/what_if.html", context, status=status)


@login_required
@require_POST
def scenario_save(request, assessment_id: int):
    assessment, membership = assessment_for(request.user, assessment_id, Action.SAVE_SCENARIOS)
    base = selectors.what_if_base(assessment)
    changes = _posted_changes(request.POST)
    try:
        scenario = services.scenario_save(
            assessment=assessment,
            base=base,
            name=request.POST.get("name", ""),
            changes=changes,
            user=request.user,
        )
    except InputError as error:
        try:
            shown = services.what_if_changes(base, changes)
        except InputError:
            shown = {}
        context = _context(
            assessment, membership, base, shown, errors=_errors(error), scenario=None
        )
        return render(request, "roadmap/what_if.html", context, status=400)
    messages.success(request, _("Scenario “%(name)s” saved.") % {"name": scenario.name})
    url = reverse("what_if:page", args=[assessment.pk])
    return redirect(f"{url}?scenario={scenario.pk}")


@login_required
@require_POST
def scenario_delete(request, assessment_id: int, scenario_id: int):
    assessment, _membership = assessment_for(request.user, assessment_id, Action.SAVE_SCENARIOS)
    scenario = get_object_or_404(WhatIfScenario, assessment=assessment, pk=scenario_id)
    services.scenario_delete(scenario=scenario, user=request.user)
    messages.success(request, _("Scenario “%(name)s” deleted.") % {"name": scenario.name})
    return redirect("what_if:page", assessment.pk)
