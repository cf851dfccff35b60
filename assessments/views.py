"""Pages: consultants set up assessments; executives answer from their invitation link."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from common.errors import ConflictError, InputError
from organizations.policy import Action, allows, authorize

from . import selectors, services
from .api import export_response
from .forms import AssessmentForm, DueDateForm, RespondentForm
from .models import Assessment, Respondent

# --- consultants ----------------------------------------------------------------------


@login_required
@require_POST
def assessment_create(request, organization_id: int):
    organization = authorize(request.user, organization_id, Action.MANAGE_ASSESSMENTS).organization
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "organizations/detail.html",
            {
                "organization": organization,
                "can_manage": True,
                "assessments": organization.assessments.select_related("bank"),
                "members": organization.memberships.select_related("user"),
                "assessment_form": form,
            },
            status=400,
        )
    assessment = services.assessment_create(
        organization=organization, user=request.user, **form.cleaned_data
    )
    return redirect("assessments:detail", assessment_id=assessment.pk)


def _detail_context(
    request, assessment: Assessment, membership, respondent_form=None, due_date_form=None
) -> dict:
    total = selectors.question_count(assessment.bank)
    respondents = list(selectors.respondents_with_progress(assessment))
    now = timezone.now()
    for respondent in respondents:
        respondent.percent = round(100 * respondent.answered_count / total) if total else 0
        respondent.link = request.build_absolute_uri(
            reverse("respond:welcome", args=[respondent.token])
        )
        respondent.link_usable = respondent.link_is_usable(now)
    can_manage = allows(membership, Action.MANAGE_RESPONDENTS)
    return {
        "assessment": assessment,
        "organization": assessment.organization,
        "respondents": respondents,
        "submitted_count": sum(1 for r in respondents if r.is_submitted),
        "question_total": total,
        "can_manage": can_manage,
        "respondent_form": respondent_form or (RespondentForm() if can_manage else None),
        "can_set_due_date": allows(membership, Action.MANAGE_ASSESSMENTS),
        "due_date_form": due_date_form or DueDateForm(initial={"due_date": assessment.due_date}),
        "reminder_offsets": settings.REMINDER_OFFSETS_DAYS,
    }


@login_required
def assessment_detail(request, assessment_id: int):
    assessment, membership = selectors.assessment_for(
        request.user, assessment_id, Action.VIEW_ASSESSMENT
    )
    context = _detail_context(request, assessment, membership)
    return render(request, "assessments/detail.html", context)


@login_required
@require_POST
def respondent_add(request, assessment_id: int):
    assessment, membership = selectors.assessment_for(
        request.user, assessment_id, Action.MANAGE_RESPONDENTS
    )
    form = RespondentForm(request.POST, assessment=assessment)
    if form.is_valid():
        try:
            respondent = services.respondent_add(assessment=assessment, **form.cleaned_data)
        except ConflictError as exc:
            # A message, not a form error: a closed assessment's page has no form to show it in.
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{respondent.name} added. Copy or email their link below.")
            return redirect("assessments:detail", assessment_id=assessment.pk)
    context = _detail_context(request, assessment, membership, respondent_form=form)
    return render(request, "assessments/detail.html", context, status=400)


def _managed_respondent(request, assessment_id: int, respondent_id: int) -> Respondent:
    assessment, _ = selectors.assessment_for(request.user, assessment_id, Action.MANAGE_RESPONDENTS)
    return get_object_or_404(assessment.respondents, pk=respondent_id)


def _respondent_action(action, success_message: str):
    @login_required
    @require_POST
    def view(request, assessment_id: int, respondent_id: int):
        respondent = _managed_respondent(request, assessment_id, respondent_id)
        try:
            action(respondent=respondent)
        except ConflictError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, success_message.format(name=respondent.name))
        return redirect("assessments:detail", assessment_id=assessment_id)

    return view


respondent_revoke = _respondent_action(
    services.respondent_revoke, "{name}'s link is revoked; it no longer opens the questionnaire."
)
respondent_reissue = _respondent_action(
    services.respondent_reissue, "{name} has a new link; the old one no longer works."
)
respondent_send = _respondent_action(
    services.invitation_send, "The invitation email to {name} is on its way."
)


@login_required
@require_POST
def assessment_due_date(request, assessment_id: int):
    assessment, membership = selectors.assessment_for(
        request.user, assessment_id, Action.MANAGE_ASSESSMENTS
    )
    form = DueDateForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_set_due_date(
                assessment=assessment, due_date=form.cleaned_data["due_date"], user=request.user
            )
        except ConflictError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Due date saved.")
        return redirect("assessments:detail", assessment_id=assessment.pk)
    context = _detail_context(request, assessment, membership, due_date_form=form)
    return render(request, "assessments/detail.html", context, status=400)


@login_required
@require_POST
def assessment_close(request, assessment_id: int):
    assessment, _ = selectors.assessment_for(request.user, assessment_id, Action.MANAGE_ASSESSMENTS)
    try:
        services.assessment_close(assessment=assessment)
    except ConflictError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The assessment is closed; its results are final.")
    return redirect("assessments:detail", assessment_id=assessment.pk)


# --- executives (invitation link) -----------------------------------------------------


def _questionnaire(token: str):
    respondent = selectors.respondent_by_token(token)
    dimensions = selectors.bank_dimensions(respondent.assessment.bank)
    answers = selectors.answers_by_question(respondent)
    for dimension in dimensions:
        dimension.answered = sum(
            1 for q in dimension.question_list if answers.get(q.pk) and answers[q.pk].kind
        )
    return respondent, dimensions, answers


def _resume_dimension(dimensions) -> str:
    for dimension in dimensions:
        if dimension.answered < len(dimension.question_list):
            return dimension.key
    return dimensions[-1].key


def _progress(dimensions) -> dict:
    answered = sum(d.answered for d in dimensions)
    total = sum(len(d.question_list) for d in dimensions)
    return {"answered": answered, "total": total, "percent": round(100 * answered / total)}


def welcome(request, token: str):
    respondent, dimensions, _ = _questionnaire(token)
    if respondent.is_submitted or not respondent.assessment.is_open:
        return redirect("respond:done", token=token)
    return render(
        request,
        "questionnaire/welcome.html",
        {
            "respondent": respondent,
            "assessment": respondent.assessment,
            "dimensions": dimensions,
            "progress": _progress(dimensions),
            "resume": _resume_dimension(dimensions),
            "min_group": settings.CONFIDENTIALITY_MIN_GROUP,
        },
    )


def _dimension_context(respondent, dimensions, answers, key: str, errors=None, posted=None):
    index = next((i for i, d in enumerate(dimensions) if d.key == key), None)
    if index is None:
        raise Http404("No such section.")
    dimension = dimensions[index]
    items = []
    for question in dimension.question_list:
        answer = answers.get(question.pk)
        items.append(
            {
                "question": question,
                "answer": answer,
                "value": _posted(posted, question, "value", answer),
                "comment": _posted(posted, question, "comment", answer),
                "evidence": _posted(posted, question, "evidence", answer),
                "error": (errors or {}).get(question.key),
            }
        )
    return {
        "respondent": respondent,
        "assessment": respondent.assessment,
        "dimensions": dimensions,
        "dimension": dimension,
        "position": index + 1,
        "previous": dimensions[index - 1] if index > 0 else None,
        "next": dimensions[index + 1] if index + 1 < len(dimensions) else None,
        "items": items,
        "progress": _progress(dimensions),
        "has_errors": bool(errors),
    }


def _posted(posted, question, name: str, answer) -> str:
    if posted is not None:
        return posted.get(f"{question.key}-{name}", "")
    if answer is None:
        return ""
    if name == "value":
        return str(answer.value or "")
    return getattr(answer, name)


@require_http_methods(["GET", "POST"])
def dimension_page(request, token: str, dimension_key: str):
    respondent, dimensions, answers = _questionnaire(token)
    if respondent.is_submitted:
        return redirect("respond:done", token=token)
    if not respondent.assessment.is_open:
        status = 409 if request.method == "POST" else 200
        context = {"respondent": respondent, "assessment": respondent.assessment}
        return render(request, "questionnaire/done.html", context, status=status)
    if request.method == "POST":
        errors = _save_dimension(request, respondent, dimensions, dimension_key)
        if errors is None:
            return _after_save(request, token, dimensions, dimension_key)
        context = _dimension_context(
            respondent, dimensions, answers, dimension_key, errors, request.POST
        )
        return render(request, "questionnaire/dimension.html", context, status=400)
    context = _dimension_context(respondent, dimensions, answers, dimension_key)
    return render(request, "questionnaire/dimension.html", context)


def _save_dimension(request, respondent, dimensions, key: str) -> dict | None:
    """Save every question of the section at once (the no-JavaScript path); None on success."""
    dimension = next((d for d in dimensions if d.key == key), None)
    if dimension is None:
        raise Http404("No such section.")
    errors: dict[str, str] = {}
    try:
        with transaction.atomic():
            for question in dimension.question_list:
                fields = {n: request.POST.get(f"{question.key}-{n}", "") for n in _FIELDS}
                if not any(fields.values()):
                    continue
                try:
                    services.answer_save(
                        respondent=respondent, question=question, from_form=True, **fields
                    )
                except InputError as exc:
                    errors[question.key] = exc.message
            if errors:
                transaction.set_rollback(True)
    except ConflictError as exc:
        messages.error(request, str(exc))
        return {}
    return errors or None


_FIELDS = ("value", "comment", "evidence")


def _after_save(request, token, dimensions, key):
    if request.POST.get("go") == "previous":
        index = [d.key for d in dimensions].index(key)
        target = dimensions[max(index - 1, 0)].key
        return redirect("respond:dimension", token=token, dimension_key=target)
    following = [d.key for d in dimensions]
    index = following.index(key)
    if index + 1 < len(following):
        return redirect("respond:dimension", token=token, dimension_key=following[index + 1])
    return redirect("respond:review", token=token)


@require_POST
def autosave(request, token: str, question_key: str):
    """htmx: save one question as it changes and answer with its status line."""
    respondent = selectors.respondent_by_token(token)
    question = selectors.question_in_bank(respondent.assessment.bank, question_key)
    fields = {n: request.POST.get(f"{question.key}-{n}", "") for n in _FIELDS}
    context = {"question": question}
    status = 200
    try:
        services.answer_save(respondent=respondent, question=question, from_form=True, **fields)
    except InputError as exc:
        context["error"], status = exc.message, 400
    except ConflictError as exc:
        context["error"], status = str(exc), 409
    else:
        context["saved_at"] = timezone.localtime()
        _, dimensions, _ = _questionnaire(token)
        context["progress"] = _progress(dimensions)
        context["dimensions"] = dimensions
    return render(request, "questionnaire/_save_status.html", context, status=status)


def review(request, token: str):
    respondent, dimensions, answers = _questionnaire(token)
    if respondent.is_submitted or not respondent.assessment.is_open:
        return redirect("respond:done", token=token)
    missing = [
        (d, [q for q in d.question_list if not (answers.get(q.pk) and answers[q.pk].kind)])
        for d in dimensions
    ]
    dont_know = [
        q
        for d in dimensions
        for q in d.question_list
        if answers.get(q.pk) and answers[q.pk].kind == "dont_know"
    ]
    return render(
        request,
        "questionnaire/review.html",
        {
            "respondent": respondent,
            "assessment": respondent.assessment,
            "dimensions": dimensions,
            "missing": [(d, qs) for d, qs in missing if qs],
            "dont_know": dont_know,
            "progress": _progress(dimensions),
        },
    )


@require_POST
def submit(request, token: str):
    respondent = selectors.respondent_by_token(token)
    try:
        services.respondent_submit(respondent=respondent)
    except (ConflictError, InputError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
        return redirect("respond:review", token=token)
    return redirect("respond:done", token=token)


def done(request, token: str):
    respondent = selectors.respondent_by_token(token)
    if not respondent.is_submitted and respondent.assessment.is_open:
        return redirect("respond:review", token=token)
    return render(
        request,
        "questionnaire/done.html",
        {"respondent": respondent, "assessment": respondent.assessment},
    )


# --- exports (members of the organization) --------------------------------------------


@login_required
def export(request, assessment_id: int, dataset: str, file_format: str):
    return export_response(request.user, assessment_id, dataset, file_format)
