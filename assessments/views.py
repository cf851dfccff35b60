"""Pages: consultants set up assessments; executives answer from their invitation link."""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from common.errors import ConflictError, InputError
from common.forms import add_input_error
from organizations.policy import Action, allows

from . import evidence as evidence_rules
from . import exports, selectors, services
from .api import export_response
from .forms import BulkRespondentsForm, DueDateForm, RespondentForm
from .models import Assessment, Respondent

# --- consultants ----------------------------------------------------------------------


def _detail_context(
    request,
    assessment: Assessment,
    membership,
    respondent_form=None,
    bulk_form=None,
    due_date_form=None,
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
        respondent.status = selectors.respondent_status(
            respondent, now=now, answered=respondent.answered_count, total=total
        )
    can_manage = allows(membership, Action.MANAGE_RESPONDENTS)
    return {
        "assessment": assessment,
        "organization": assessment.organization,
        "respondents": respondents,
        "submitted_count": sum(1 for r in respondents if r.is_submitted),
        "not_invited_count": sum(1 for r in respondents if r.invited_at is None),
        "not_submitted_count": sum(1 for r in respondents if not r.is_submitted),
        "question_total": total,
        "can_manage": can_manage,
        "respondent_form": respondent_form or (RespondentForm() if can_manage else None),
        "bulk_form": bulk_form or (BulkRespondentsForm() if can_manage else None),
        "can_set_due_date": allows(membership, Action.MANAGE_ASSESSMENTS),
        "due_date_form": due_date_form or DueDateForm(initial={"due_date": assessment.due_date}),
        "reminder_offsets": settings.REMINDER_OFFSETS_DAYS,
        "can_answer_as_assessor": allows(membership, Action.ANSWER_AS_ASSESSOR),
        "assessor": (
            selectors.assessor_of(assessment, request.user)
            if allows(membership, Action.ANSWER_AS_ASSESSOR)
            else None
        ),
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
            messages.success(
                request,
                _("%(name)s added. Copy or email their link below.") % {"name": respondent.name},
            )
            return redirect("assessments:detail", assessment_id=assessment.pk)
    context = _detail_context(request, assessment, membership, respondent_form=form)
    return render(request, "assessments/detail.html", context, status=400)


@login_required
@require_POST
def respondents_add_bulk(request, assessment_id: int):
    """Respondents pasted as lines. A bad line adds nothing and shows every bad line with
    the paste kept; "Add only the N good lines" (`only_valid`) is the explicit second step."""
    assessment, membership = selectors.assessment_for(
        request.user, assessment_id, Action.MANAGE_RESPONDENTS
    )
    form = BulkRespondentsForm(request.POST)
    only_valid = request.POST.get("only_valid") == "yes"
    good_lines = None
    if form.is_valid():
        text = form.cleaned_data["lines"]
        try:
            added = services.respondents_add_bulk(
                assessment=assessment,
                text=text,
                only_valid=only_valid,
                language=form.cleaned_data.get("language") or "",
            )
        except InputError as error:
            add_input_error(form, error)
            if any(e.code == "invalid_line" for e in error.errors):
                good_lines = len(selectors.parse_respondent_lines(assessment, text).rows)
        except ConflictError as error:
            messages.error(request, str(error))
        else:
            names = ", ".join(r.name for r in added)
            if added:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s respondent added: %(names)s. Copy or email their link below.",
                        "%(count)s respondents added: %(names)s. Copy or email their links below.",
                        len(added),
                    )
                    % {"count": len(added), "names": names},
                )
            else:
                messages.error(request, _("No respondent added: every line had an error."))
            return redirect("assessments:detail", assessment_id=assessment.pk)
    context = _detail_context(request, assessment, membership, bulk_form=form)
    context["good_lines"] = good_lines
    return render(request, "assessments/detail.html", context, status=400)


@login_required
@require_POST
def invitations_send_all(request, assessment_id: int):
    assessment, _membership = selectors.assessment_for(
        request.user, assessment_id, Action.MANAGE_RESPONDENTS
    )
    which = request.POST.get("which")
    if which not in {w.value for w in services.SendAll}:
        messages.error(request, _("Choose whom to email: not yet invited, or not submitted."))
        return redirect("assessments:detail", assessment_id=assessment.pk)
    try:
        result = services.invitations_send_all(assessment=assessment, which=which)
    except ConflictError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _sent_message(result))
    return redirect("assessments:detail", assessment_id=assessment.pk)


def _sent_message(result) -> str:
    sent = ngettext("%(count)s invitation sent", "%(count)s invitations sent", result.sent) % {
        "count": result.sent
    }
    if not result.skipped_count:
        return _("%(sent)s.") % {"sent": sent}
    reasons = {
        "submitted": _("submitted"),
        "revoked": _("revoked"),
        "expired": _("expired"),
    }
    why = ", ".join(
        f"{n} {reasons.get(reason, reason)}" for reason, n in sorted(result.skipped.items())
    )
    return _("%(sent)s; %(skipped)s skipped (%(why)s).") % {
        "sent": sent,
        "skipped": result.skipped_count,
        "why": why,
    }


def _managed_respondent(request, assessment_id: int, respondent_id: int) -> Respondent:
    assessment, _membership = selectors.assessment_for(
        request.user, assessment_id, Action.MANAGE_RESPONDENTS
    )
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
            messages.success(request, success_message() % {"name": respondent.name})
        return redirect("assessments:detail", assessment_id=assessment_id)

    return view


def _confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get("confirm") == "yes"


@login_required
@require_http_methods(["GET", "POST"])
def respondent_revoke(request, assessment_id: int, respondent_id: int):
    """GET, or a POST without confirm=yes: what revoking does, and the button to do it."""
    respondent = _managed_respondent(request, assessment_id, respondent_id)
    if not _confirmed(request):
        return render(
            request,
            "assessments/confirm_revoke.html",
            {
                "assessment": respondent.assessment,
                "organization": respondent.assessment.organization,
                "respondent": respondent,
            },
        )
    try:
        services.respondent_revoke(respondent=respondent)
    except ConflictError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(name)s's link is revoked; it no longer opens the questionnaire.")
            % {"name": respondent.name},
        )
    return redirect("assessments:detail", assessment_id=assessment_id)


respondent_reissue = _respondent_action(
    services.respondent_reissue,
    lambda: _("%(name)s has a new link; the old one no longer works."),
)
respondent_send = _respondent_action(
    services.invitation_send, lambda: _("The invitation email to %(name)s is on its way.")
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
            messages.success(request, _("Due date saved."))
        return redirect("assessments:detail", assessment_id=assessment.pk)
    context = _detail_context(request, assessment, membership, due_date_form=form)
    return render(request, "assessments/detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_close(request, assessment_id: int):
    """GET, or a POST without confirm=yes: what closing does, and the button to do it."""
    assessment, _membership = selectors.assessment_for(
        request.user, assessment_id, Action.MANAGE_ASSESSMENTS
    )
    if not _confirmed(request):
        respondents = list(assessment.respondents.all())
        submitted = sum(1 for r in respondents if r.is_submitted)
        return render(
            request,
            "assessments/confirm_close.html",
            {
                "assessment": assessment,
                "organization": assessment.organization,
                "submitted_count": submitted,
                "pending": [r for r in respondents if not r.is_submitted],
            },
        )
    try:
        services.assessment_close(assessment=assessment)
    except ConflictError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The assessment is closed; its results are final."))
    return redirect("assessments:detail", assessment_id=assessment.pk)


@login_required
@require_POST
def assessor_start(request, assessment_id: int):
    """Open (creating it the first time) the consultant's own questionnaire as assessor:
    the same pages as the executives', scored apart (DESIGN §11)."""
    assessment, _membership = selectors.assessment_for(
        request.user, assessment_id, Action.ANSWER_AS_ASSESSOR
    )
    try:
        assessor = services.assessor_start(assessment=assessment, user=request.user)
    except ConflictError as exc:
        messages.error(request, str(exc))
        return redirect("assessments:detail", assessment_id=assessment.pk)
    return redirect("respond:welcome", token=assessor.token)


# --- the evidence-backed layer (DESIGN §11) ------------------------------------------


def _verification_page(request, assessment, status=200, errors=None, posted=None):
    result = selectors.assessment_scores(assessment)
    items = selectors.verification_items(assessment, result.summary)
    for item in items:
        key = item["question"].key
        item["errors"] = (errors or {}).get(key, {})
        item["posted"] = (posted or {}).get(key, {})
    context = {
        "assessment": assessment,
        "organization": assessment.organization,
        "items": items,
        "backed": selectors.evidence_backed(assessment, result.model, result.summary),
        "review_from": evidence_rules.REVIEW_FROM,
        "accepted": evidence_rules.ACCEPTED,
    }
    return render(request, "assessments/verification.html", context, status=status)


@login_required
def verification(request, assessment_id: int):
    """The questions valued 3 or more, their evidence, and the verified level of each."""
    assessment, _membership = selectors.assessment_for(
        request.user, assessment_id, Action.VERIFY_EVIDENCE
    )
    return _verification_page(request, assessment)


def _after_verification(assessment, question_key: str):
    url = reverse("assessments:verification", args=[assessment.pk])
    return redirect(f"{url}#v-{question_key}")


@login_required
@require_POST
def verify(request, assessment_id: int, question_key: str):
    assessment, _membership = selectors.assessment_for(
        request.user, assessment_id, Action.VERIFY_EVIDENCE
    )
    question = selectors.question_in_bank(assessment.bank, question_key)
    try:
        services.verification_set(
            assessment=assessment,
            question=question,
            level=request.POST.get("level", ""),
            note=request.POST.get("note", ""),
            user=request.user,
        )
    except InputError as exc:
        errors = {question_key: {e.field: e.message for e in exc.errors}}
        return _verification_page(request, assessment, 400, errors, {question_key: request.POST})
    messages.success(
        request, _("Verified level saved for “%(question)s”.") % {"question": question.text}
    )
    return _after_verification(assessment, question_key)


@login_required
@require_POST
def evidence_upload(request, assessment_id: int, question_key: str):
    assessment, _membership = selectors.assessment_for(
        request.user, assessment_id, Action.VERIFY_EVIDENCE
    )
    question = selectors.question_in_bank(assessment.bank, question_key)
    try:
        stored = services.evidence_upload(
            assessment=assessment,
            question=question,
            upload=request.FILES.get("file"),
            user=request.user,
        )
    except InputError as exc:
        errors = {question_key: {e.field: e.message for e in exc.errors}}
        return _verification_page(request, assessment, 400, errors)
    messages.success(request, _("%(file)s added as evidence.") % {"file": stored.original_name})
    return _after_verification(assessment, question_key)


@login_required
def evidence_download(request, assessment_id: int, file_id: int):
    """An evidence file, to members the policy allows (never a public media URL)."""
    stored = selectors.evidence_file_for(request.user, assessment_id, file_id)
    try:
        handle = stored.file.open("rb")
    except OSError as exc:
        raise Http404(_("No such file.")) from exc
    response = FileResponse(
        handle,
        content_type=stored.content_type,
        as_attachment=True,
        filename=stored.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- executives (invitation link) -----------------------------------------------------


def by_invitation(view):
    """A questionnaire page: an unusable link gets a page saying why (revoked or expired:
    410 Gone, naming the consultant to contact; unknown: 404), in the product's style
    whatever DEBUG says. Everything else is the view's."""

    @functools.wraps(view)
    def wrapper(request, token: str, *args, **kwargs):
        # In the respondent's language (Respondent.language, which the language switch
        # changes); an unknown link in the browser's.
        language = selectors.respondent_language(token) or translation.get_language()
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            try:
                response = view(request, token, *args, **kwargs)
            except selectors.InvitationUnusable as exc:
                response = link_unusable_response(request, exc)
            response.headers["Content-Language"] = request.LANGUAGE_CODE
            return response

    return wrapper


@by_invitation
@require_POST
def language(request, token: str):
    """The questionnaire's language switch: stores the respondent's choice and goes back
    to the page it was used on."""
    respondent = selectors.respondent_by_token(token)
    try:
        services.respondent_set_language(
            respondent=respondent, language=request.POST.get("language", "")
        )
    except InputError as exc:
        messages.error(request, exc.message)
    home = reverse("respond:welcome", args=[token])
    target = request.POST.get("next", "")
    if not (
        target.startswith(home)
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        target = home
    return redirect(target)


def link_unusable_response(request, exc: selectors.InvitationUnusable):
    respondent = exc.respondent
    assessment = respondent.assessment if respondent else None
    context = {
        "reason": exc.reason,
        "respondent": respondent,
        "assessment": assessment,
        "contact": selectors.assessment_contact(assessment) if assessment else None,
    }
    status = 404 if exc.reason == "unknown" else 410
    if request.headers.get("HX-Request"):  # autosave: a line where "Saved" would be
        return render(request, "questionnaire/_link_unusable_line.html", context, status=status)
    return render(request, "questionnaire/link_unusable.html", context, status=status)


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


@by_invitation
def welcome(request, token: str):
    respondent, dimensions, _answers = _questionnaire(token)
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
        raise Http404(_("No such section."))
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


@by_invitation
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
        raise Http404(_("No such section."))
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


@by_invitation
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
        context["time_zone"] = timezone.get_current_timezone_name()
        _respondent, dimensions, _answers = _questionnaire(token)
        context["progress"] = _progress(dimensions)
        context["dimensions"] = dimensions
    return render(request, "questionnaire/_save_status.html", context, status=status)


@by_invitation
def review(request, token: str):
    respondent, dimensions, answers = _questionnaire(token)
    if respondent.is_submitted or not respondent.assessment.is_open:
        return redirect("respond:done", token=token)
    return render(
        request, "questionnaire/review.html", _review_context(respondent, dimensions, answers)
    )


def _review_context(respondent, dimensions, answers, confirming: bool = False) -> dict:
    missing = [
        (d, [q for q in d.question_list if not (answers.get(q.pk) and answers[q.pk].kind)])
        for d in dimensions
    ]
    missing = [(d, qs) for d, qs in missing if qs]
    dont_know = [
        q
        for d in dimensions
        for q in d.question_list
        if answers.get(q.pk) and answers[q.pk].kind == "dont_know"
    ]
    return {
        "respondent": respondent,
        "assessment": respondent.assessment,
        "dimensions": dimensions,
        "missing": missing,
        "missing_count": sum(len(qs) for _dimension, qs in missing),
        "dont_know": dont_know,
        "progress": _progress(dimensions),
        "confirming": confirming,
    }


@by_invitation
@require_POST
def submit(request, token: str):
    """Submit the answers. With questions unanswered, a POST without confirm=yes shows
    the review page asking to confirm (nothing is submitted)."""
    respondent, dimensions, answers = _questionnaire(token)
    can_submit = not respondent.is_submitted and respondent.assessment.is_open
    if can_submit and request.POST.get("confirm") != "yes":
        context = _review_context(respondent, dimensions, answers, confirming=True)
        if context["missing"] and context["progress"]["answered"]:
            return render(request, "questionnaire/review.html", context)
    try:
        services.respondent_submit(respondent=respondent)
    except (ConflictError, InputError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
        return redirect("respond:review", token=token)
    return redirect("respond:done", token=token)


@by_invitation
def done(request, token: str):
    respondent = selectors.respondent_by_token(token)
    if not respondent.is_submitted and respondent.assessment.is_open:
        return redirect("respond:review", token=token)
    return render(
        request,
        "questionnaire/done.html",
        {"respondent": respondent, "assessment": respondent.assessment},
    )


@by_invitation
def answers_print(request, token: str):
    """The respondent's own submitted answers, comments and evidence, as a page to print
    or save as PDF (the invitation token is the only way in)."""
    respondent, dimensions, answers = _questionnaire(token)
    if not respondent.is_submitted:
        return redirect("respond:done", token=token)
    for dimension in dimensions:
        dimension.items = [
            {"question": q, "answer": answers.get(q.pk), "choice": _choice(q, answers.get(q.pk))}
            for q in dimension.question_list
        ]
    return render(
        request,
        "questionnaire/answers_print.html",
        {
            "respondent": respondent,
            "assessment": respondent.assessment,
            "dimensions": dimensions,
            "progress": _progress(dimensions),
        },
    )


def _choice(question, answer) -> str:
    if answer is None or not answer.kind:
        return _("Not answered")
    if answer.kind == answer.Kind.LEVEL:
        return _("Level %(level)s: %(description)s") % {
            "level": answer.level,
            "description": question.levels[answer.level - 1],
        }
    return answer.get_kind_display()


# --- exports (members of the organization) --------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def export_check(request, assessment_id: int, dataset: str, file_format: str):
    """The export links of the results page: a consultant first sees the quality
    warnings (DESIGN §11) and may download anyway (recorded); without warnings, or for
    a client member, straight to the file."""
    if dataset not in exports.DATASETS or file_format not in exports.FORMATS:
        raise Http404(_("No such export; use answers, aggregates or scores, as csv or xlsx."))
    assessment, membership = selectors.assessment_for(
        request.user, assessment_id, exports.ACTIONS[dataset]
    )
    target = reverse("assessments:export", args=[assessment.pk, dataset, file_format])
    if not allows(membership, Action.READ_QUALITY_CHECKS):
        return redirect(target)
    warnings = selectors.quality_checks(assessment)
    if not warnings:
        return redirect(target)
    if request.method == "POST":
        services.quality_acknowledge(
            assessment=assessment,
            user=request.user,
            warnings=warnings,
            purpose=_audit_purpose(dataset, file_format),
        )
        return redirect(target)
    context = {
        "assessment": assessment,
        "organization": assessment.organization,
        "warnings": warnings,
        "dataset": dataset,
        "file_format": file_format,
        "label": {
            "answers": _("answers with names"),
            "aggregates": _("answers, aggregated"),
            "scores": _("scores"),
        }[dataset],
    }
    return render(request, "assessments/export_check.html", context)


@login_required
def export(request, assessment_id: int, dataset: str, file_format: str):
    return export_response(request.user, assessment_id, dataset, file_format)


def _audit_purpose(dataset: str, file_format: str) -> str:
    """What the export was, for the audit log: English whoever reads the page."""
    with translation.override("en"):
        return f"the {str(exports.LABELS[dataset]).lower()} export ({file_format})"
