"""Reads for assessments, returning what pages and endpoints show."""

import hashlib
import json
from dataclasses import dataclass, field, replace

import pandas as pd
from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import InputError
from organizations.models import BusinessUnit, Membership, Role
from organizations.policy import Action, authorize

from . import bulk, evidence, perception, quality
from .bank_mapping import Comparison, carry_forward, chain
from .confidentiality import GroupPlan, confidential_breakdown, level_counts
from .models import (
    Answer,
    Assessment,
    Dimension,
    EvidenceFile,
    ExecutiveRole,
    Question,
    QuestionBank,
    Respondent,
    Verification,
)
from .scoring import ScoringModel, group_rows, score, summarize
from .units import Unit, unit_scores


def latest_bank() -> QuestionBank | None:
    return QuestionBank.objects.first()


def assessment_for(user, assessment_id: int, action: Action) -> tuple[Assessment, Membership]:
    """The assessment and the caller's membership, when the policy lets them do `action`
    on it (organizations.policy: 404 for outsiders, 403 for members without the role)."""
    assessment = get_object_or_404(
        Assessment.objects.select_related("organization", "bank"), pk=assessment_id
    )
    return assessment, authorize(user, assessment.organization_id, action)


class InvitationUnusable(Http404):
    """An invitation link that opens nothing: `reason` is "unknown", "revoked" or
    "expired"; `respondent` is whose link it was (None when unknown). An Http404, so the
    API answers 404 as for any missing object; the questionnaire pages say why."""

    def __init__(self, reason: str, respondent: Respondent | None = None) -> None:
        super().__init__(
            _("This invitation link is not valid. It may have expired or been revoked.")
        )
        self.reason = reason
        self.respondent = respondent


def respondent_language(token: str) -> str | None:
    """The language of the respondent whose link this is (whatever the link's state), or
    None for an unknown link."""
    if "\x00" in token:
        return None
    return Respondent.all_kinds.filter(token=token).values_list("language", flat=True).first()


def respondent_by_token(token: str) -> Respondent:
    """The respondent whose link this is; InvitationUnusable (a 404) when the link is
    unknown, revoked or expired."""
    respondent = None
    # No token contains NUL, and PostgreSQL refuses one in a query parameter (a 500).
    if "\x00" not in token:
        respondent = (
            Respondent.all_kinds.select_related("assessment__bank", "assessment__organization")
            .filter(token=token)
            .first()
        )
    if respondent is None:
        raise InvitationUnusable("unknown")
    if respondent.revoked_at is not None:
        raise InvitationUnusable("revoked", respondent)
    if not respondent.link_is_usable(timezone.now()):
        raise InvitationUnusable("expired", respondent)
    return respondent


def assessment_contact(assessment: Assessment):
    """The consultant a respondent of the assessment should contact: whoever created it,
    while still a consultant of the organization, else its longest-standing consultant
    (None if it has none)."""
    consultants = Membership.objects.filter(
        organization_id=assessment.organization_id, role=Role.CONSULTANT
    ).select_related("user")
    creator = consultants.filter(user_id=assessment.created_by_id).first()
    membership = creator or consultants.order_by("created_at", "id").first()
    return membership.user if membership else None


@dataclass(frozen=True)
class RespondentStatus:
    key: str  # not_started, in_progress, submitted, revoked, expired
    label: str


def respondent_status(respondent: Respondent, *, now, answered: int = 0, total: int = 0):
    """What the respondent's row says: Submitted, Revoked, Expired (a link that no longer
    opens the questionnaire), Not started (no answer yet) or In progress (n %)."""
    if respondent.is_submitted:
        return RespondentStatus("submitted", _("Submitted"))
    if respondent.revoked_at is not None:
        return RespondentStatus("revoked", _("Revoked"))
    if not respondent.link_is_usable(now):
        return RespondentStatus("expired", _("Expired"))
    if not answered:
        return RespondentStatus("not_started", _("Not started"))
    return RespondentStatus(
        "in_progress",
        _("In progress (%(percent)s %%)") % {"percent": Progress(answered, total).percent},
    )


def parse_respondent_lines(assessment: Assessment, text: str) -> bulk.Parsed:
    """Pasted respondent lines (`bulk.parse`) checked against the assessment's
    respondents; InputError (field `lines`) when the paste is too long as a whole."""
    existing = assessment.respondents.values_list("email", flat=True)
    try:
        return bulk.parse(text, roles=dict(ExecutiveRole.choices), existing_emails=set(existing))
    except bulk.TooMuchText as exc:
        raise InputError("lines", "too_long", str(exc)) from exc


def bank_dimensions(bank: QuestionBank) -> list[Dimension]:
    """Dimensions in bank order, each with `question_list` in bank order (two queries),
    their texts in the active language (`QuestionBank.localize`)."""
    dimensions = bank.localize(list(bank.dimensions.all()))
    by_id = {d.pk: d for d in dimensions}
    for d in dimensions:
        d.question_list = []
    for question in bank.localize(list(Question.objects.filter(bank=bank).order_by("position"))):
        by_id[question.dimension_id].question_list.append(question)
    return dimensions


def answers_by_question(respondent: Respondent) -> dict[int, Answer]:
    return {a.question_id: a for a in respondent.answers.all()}


def _published_bank_key(bank: QuestionBank) -> tuple:
    """Key of the per-process caches of a published bank in the active language (its
    English never changes; its translations may be corrected: they are part of the key).
    published_at too: a bank stored again (a fresh test database) may reuse the id."""
    texts = bank.texts_in()
    return (
        bank.pk,
        bank.checksum,
        bank.published_at,
        hashlib.sha256(json.dumps(texts, sort_keys=True).encode()).hexdigest() if texts else "",
    )


_bank_questions: dict[tuple, dict[str, Question]] = {}


def question_in_bank(bank: QuestionBank, key: str) -> Question:
    """The bank's question `key` (texts in the active language), or 404. Each process
    reads a bank's questions once per language (every autosave looks one up); callers
    must not modify them."""
    cache_key = _published_bank_key(bank)
    if cache_key not in _bank_questions:
        _bank_questions[cache_key] = questions_by_key(bank)
    question = _bank_questions[cache_key].get(key)
    if question is None:
        raise Http404(
            _("No question %(key)s in bank %(version)s.")
            % {"key": repr(key), "version": bank.version}
        )
    return question


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def respondent_progress(respondent: Respondent, total: int) -> Progress:
    answered = respondent.answers.exclude(kind="").count()
    return Progress(answered=answered, total=total)


def respondents_with_progress(assessment: Assessment) -> QuerySet[Respondent]:
    """Respondents annotated with `answered_count` (one query)."""
    return assessment.respondents.annotate(
        answered_count=Count("answers", filter=~Q(answers__kind=""))
    ).order_by("name", "id")


def question_count(bank: QuestionBank) -> int:
    return Question.objects.filter(bank=bank).count()


# --- scores ---------------------------------------------------------------------------

_scoring_models: dict[tuple, ScoringModel] = {}


def scoring_model(bank: QuestionBank) -> ScoringModel:
    """The bank's scoring model, its titles and names in the active language (weights and
    bands are the same in every language); built once per bank and language."""
    cache_key = _published_bank_key(bank)
    if cache_key not in _scoring_models:
        questions = Question.objects.filter(bank=bank).select_related("dimension")
        _scoring_models[cache_key] = ScoringModel.from_definition(
            bank.definition_in(),
            [
                {"key": q.key, "dimension": q.dimension.key, "weight": q.weight, "tags": q.tags}
                for q in questions.order_by("position")
            ],
        )
    return _scoring_models[cache_key]


ANSWER_COLUMNS = {
    "respondent__assessment_id": "assessment",
    "respondent_id": "respondent",
    "question__key": "question",
    "kind": "kind",
    "level": "level",
    "respondent__submitted_at": "submitted_at",
    "respondent__role": "role",
    "respondent__business_unit": "business_unit",
}


def answers_frame(assessment_ids) -> pd.DataFrame:
    """All answers of the assessments as the table `scoring.score` reads (one query)."""
    rows = (
        Answer.objects.of_clients()
        .filter(respondent__assessment_id__in=list(assessment_ids))
        .values_list(*ANSWER_COLUMNS)
    )
    frame = pd.DataFrame.from_records(list(rows), columns=list(ANSWER_COLUMNS.values()))
    frame["level"] = frame["level"].astype("float64")
    frame["submitted"] = frame.pop("submitted_at").notna()
    return frame


BREAKDOWNS = {"by_role": "role", "by_business_unit": "business_unit"}


@dataclass(frozen=True)
class AssessmentScores:
    assessment: Assessment
    provisional: bool
    model: ScoringModel
    summary: dict
    # Breakdown (summary key) → what it shows, merges and leaves out; empty when every
    # group is shown (consultants).
    groups: dict[str, GroupPlan] = field(default_factory=dict)
    # `evidence_backed(...)`, where a caller asked for it (the scores API).
    evidence_backed: dict | None = None


def assessment_scores(assessment: Assessment, *, min_group: int | None = None) -> AssessmentScores:
    """Scores of one assessment from its submitted respondents (a fixed number of queries).

    With `min_group` (client members, DESIGN §9), the breakdowns by role and business
    unit show only groups of at least that many submitted respondents; smaller ones are
    scored together as "Other", or left out (`confidentiality`). The rest is unchanged.
    """
    model = scoring_model(assessment.bank)
    answers = answers_frame([assessment.pk])
    scores = score(answers, model, assessments=[assessment.pk])
    summary = summarize(scores, assessment.pk, model)
    groups: dict[str, GroupPlan] = {}
    if min_group is not None:
        summary = dict(summary)
        for key, column in BREAKDOWNS.items():
            table, groups[key] = confidential_breakdown(answers, model, column, min_group)
            summary[key] = group_rows(table, assessment.pk, column)
    return AssessmentScores(
        assessment=assessment,
        provisional=assessment.is_open,
        model=model,
        summary=summary,
        groups=groups,
    )


def scores_fingerprint(assessment: Assessment) -> str:
    """A digest of what `assessment_scores` reads, from one aggregate query: the
    assessment's status and bank, and its submitted respondents' answers (how many and
    which, their levels, the latest change and submission). Answers are saved with a new
    `updated_at` and a submitted respondent's answers no longer change, so equal
    fingerprints mean equal scores: scores computed once can be served again until then."""
    facts = (
        Answer.objects.of_clients()
        .filter(respondent__assessment=assessment, respondent__submitted_at__isnull=False)
        .aggregate(
            answers=Count("pk"),
            ids=Sum("pk"),
            rated=Count("pk", filter=Q(kind=Answer.Kind.LEVEL)),
            levels=Sum("level"),
            changed=Max("updated_at"),
            submitted=Max("respondent__submitted_at"),
        )
    )
    # The evidence-backed block changes with the consultant's verifications too.
    verified = Verification.objects.filter(assessment=assessment).aggregate(
        verified=Count("pk"), verified_levels=Sum("level"), verified_at=Max("verified_at")
    )
    facts.update(verified)
    parts = [assessment.pk, assessment.status, assessment.bank_id, *sorted(facts.items())]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def questions_by_key(bank: QuestionBank) -> dict[str, Question]:
    """The bank's questions by key in bank order, their texts in the active language."""
    questions = bank.localize(list(Question.objects.filter(bank=bank).order_by("position")))
    return {q.key: q for q in questions}


def submitted_levels(assessment: Assessment, question_keys) -> dict[str, list[tuple[str, int]]]:
    """For each question, (respondent role or title, level) of submitted respondents.
    Names who chose what: for consultants only (see `level_counts_by_question`)."""
    levels: dict[str, list[tuple[str, int]]] = {}
    for answer in _submitted_level_answers(assessment, question_keys):
        who = answer.respondent.title or answer.respondent.get_role_display()
        levels.setdefault(answer.question.key, []).append((who, answer.level))
    return levels


def level_counts_by_question(assessment: Assessment, question_keys) -> dict[str, list]:
    """For each question, (level, how many submitted respondents chose it): the spread
    without who (what client members see, DESIGN §9)."""
    levels: dict[str, list[int]] = {}
    for answer in _submitted_level_answers(assessment, question_keys):
        levels.setdefault(answer.question.key, []).append(answer.level)
    return {key: level_counts(values) for key, values in levels.items()}


def _submitted_level_answers(assessment: Assessment, question_keys):
    return (
        Answer.objects.of_clients()
        .filter(
            respondent__assessment=assessment,
            respondent__submitted_at__isnull=False,
            question__key__in=list(question_keys),
            kind=Answer.Kind.LEVEL,
        )
        .select_related("respondent", "question")
        .order_by("question__position", "level")
    )


# --- the evidence-backed layer (DESIGN §11) ------------------------------------------


def verified_levels(assessment: Assessment) -> dict[str, int]:
    return dict(
        Verification.objects.filter(assessment=assessment).values_list("question__key", "level")
    )


def evidence_backed(assessment: Assessment, model: ScoringModel, summary: dict) -> dict:
    """Claimed and evidence-backed scores side by side (`evidence.evidence_backed_scores`
    on the claimed values of `summary` and the consultant's verified levels)."""
    verified = verified_levels(assessment)
    questions = summary["questions"]
    scores = evidence.evidence_backed_scores(
        assessment.pk,
        claimed={key: q["value"] for key, q in questions.items()},
        not_applicable={key for key, q in questions.items() if not q["applicable"]},
        verified=verified,
        model=model,
    )
    backed = summarize(scores, assessment.pk, model)
    return {
        "overall": backed["overall"],
        "claimed_overall": summary["overall"],
        "rows": evidence.side_by_side(summary["dimensions"], backed["dimensions"]),
        "verified_questions": len(verified),
        "unverified_claims": sum(
            1
            for key, q in questions.items()
            if q["value"] is not None
            and q["value"] > evidence.UNEVIDENCED_CAP
            and key not in verified
        ),
    }


def verification_items(assessment: Assessment, summary: dict) -> list[dict]:
    """The questions whose claimed value is 3 or more (bank order), each with its
    verification, the executives' evidence and comments (named: consultants only) and
    the evidence files (four queries)."""
    keys = [
        key
        for key, q in summary["questions"].items()
        if q["value"] is not None and q["value"] >= evidence.REVIEW_FROM
    ]
    questions = {
        q.key: q
        for q in assessment.bank.localize(
            list(
                Question.objects.filter(bank=assessment.bank, key__in=keys).select_related(
                    "dimension"
                )
            )
        )
    }
    assessment.bank.localize([q.dimension for q in questions.values()])
    verifications = {
        v.question_id: v
        for v in Verification.objects.filter(assessment=assessment).select_related("verified_by")
    }
    files: dict[int, list[EvidenceFile]] = {}
    for upload in EvidenceFile.objects.filter(assessment=assessment):
        files.setdefault(upload.question_id, []).append(upload)
    said: dict[int, list[Answer]] = {}
    answers = (
        Answer.objects.of_clients()
        .filter(respondent__assessment=assessment, respondent__submitted_at__isnull=False)
        .exclude(comment="", evidence="")
        .select_related("respondent")
        .order_by("respondent__name", "respondent_id")
    )
    for answer in answers:
        said.setdefault(answer.question_id, []).append(answer)
    items = []
    for key in keys:
        question = questions[key]
        items.append(
            {
                "question": question,
                "claimed": summary["questions"][key]["value"],
                "verification": verifications.get(question.pk),
                "answers": said.get(question.pk, []),
                "files": files.get(question.pk, []),
            }
        )
    return items


def evidence_file_for(user, assessment_id: int, file_id: int) -> EvidenceFile:
    """An evidence file of the assessment, when the policy lets the caller download it."""
    assessment, _membership = assessment_for(user, assessment_id, Action.DOWNLOAD_EVIDENCE)
    return get_object_or_404(EvidenceFile, assessment=assessment, pk=file_id)


# --- quality checks (DESIGN §11) ----------------------------------------------------


def quality_checks(assessment: Assessment) -> list[quality.QualityWarning]:
    """The warnings a consultant sees before a report or an export (a fixed number of
    queries)."""
    result = assessment_scores(assessment, min_group=settings.CONFIDENTIALITY_MIN_GROUP)
    submitted = Answer.objects.of_clients().filter(
        respondent__assessment=assessment, respondent__submitted_at__isnull=False
    )
    evidenced = set(
        submitted.exclude(evidence="").values_list("question__key", flat=True).distinct()
    ) | set(
        EvidenceFile.objects.filter(assessment=assessment).values_list("question__key", flat=True)
    )
    times: dict[str, list[float]] = {}
    for name, pk, answered_at in submitted.filter(answered_at__isnull=False).values_list(
        "respondent__name", "respondent_id", "answered_at"
    ):
        times.setdefault(f"{name} (#{pk})", []).append(answered_at.timestamp())
    texts = {key: q.text for key, q in questions_by_key(assessment.bank).items()}
    return quality.checks(
        quality.Inputs(
            summary=result.summary,
            question_texts=texts,
            evidenced=evidenced,
            submitted=result.summary["respondents"],
            suppression_notes=[
                f"{label}: {note}"
                for key, label in (
                    ("by_role", _("By role")),
                    ("by_business_unit", _("By business unit")),
                )
                if (note := result.groups[key].note())
            ],
            is_open=assessment.is_open,
            answer_times=times,
        )
    )


# --- the assessor (DESIGN §11) --------------------------------------------------------


def assessor_of(assessment: Assessment, user) -> Respondent | None:
    return Respondent.all_kinds.filter(
        assessment=assessment, kind=Respondent.Kind.ASSESSOR, user=user
    ).first()


def assessor_summary(assessment: Assessment) -> dict | None:
    """The assessor's scores (`scoring.summarize`), scored apart from the client's: every
    answer an assessor saved counts, submitted or not (the consultant's working view).
    None when no assessor has given a level or N/A."""
    rows = (
        Answer.objects.filter(
            respondent__assessment=assessment, respondent__kind=Respondent.Kind.ASSESSOR
        )
        .exclude(kind="")
        .values_list(*ANSWER_COLUMNS)
    )
    frame = pd.DataFrame.from_records(list(rows), columns=list(ANSWER_COLUMNS.values()))
    if frame.empty:
        return None
    frame["level"] = frame["level"].astype("float64")
    frame["submitted"] = True
    frame.pop("submitted_at")
    model = scoring_model(assessment.bank)
    scores = score(frame, model, assessments=[assessment.pk])
    return summarize(scores, assessment.pk, model)


def perception_gap(assessment: Assessment, client_summary: dict | None = None) -> dict | None:
    """The gap table (`perception.gap_rows`) and both overall indexes, or None when no
    assessor has answered. The client's summary is scored here unless given."""
    assessor = assessor_summary(assessment)
    if assessor is None:
        return None
    if client_summary is None:
        client_summary = assessment_scores(assessment).summary
    rows = perception.gap_rows(client_summary["dimensions"], assessor["dimensions"])
    return {
        "rows": rows,
        "flagged": sum(1 for r in rows if r["flagged"]),
        "threshold": perception.FLAGGED_GAP,
        "assessor_overall": assessor["overall"],
        "client_overall": client_summary["overall"],
        "index_gap": perception.gap(
            assessor["overall"]["index"], client_summary["overall"]["index"]
        ),
    }


def organization_trend(organization_id: int, include: Assessment | None = None) -> list[dict]:
    """Index and dimension scores of the organization's closed assessments (plus `include`,
    for example the open one being viewed), oldest first (see `organization_trend_compared`)."""
    return organization_trend_compared(organization_id, include)[0]


def organization_trend_compared(
    organization_id: int, include: Assessment | None = None
) -> tuple[list[dict], Comparison | None]:
    """The trend's points, and when they span bank versions, what they are compared on.

    Assessments on one bank version are scored as they are. Across versions, older
    answers are carried forward onto the newest version's questions through each bank's
    declared predecessor mapping, and every point is scored over the questions all of
    them share (`assessments.bank_mapping`), so a dimension's trend compares like with
    like; without a mapping chain each is scored on its own bank, as before."""
    assessments = list(
        Assessment.objects.filter(organization_id=organization_id, status=Assessment.Status.CLOSED)
        .select_related("bank")
        .order_by("closed_at", "id")
    )
    if include is not None and include.pk not in {a.pk for a in assessments}:
        assessments.append(include)
    frame = answers_frame([a.pk for a in assessments])
    order = {a.pk: position for position, a in enumerate(assessments)}
    compared = _compare_across_versions(assessments, frame)
    if compared is None:
        points = []
        for bank_id in {a.bank_id for a in assessments}:
            group = [a for a in assessments if a.bank_id == bank_id]
            model = scoring_model(group[0].bank)
            scores = score(
                frame[frame["assessment"].isin([a.pk for a in group])],
                model,
                assessments=[a.pk for a in group],
            )
            points += [{"assessment": a, "summary": summarize(scores, a.pk, model)} for a in group]
        comparison = None
    else:
        frame, model, comparison = compared
        scores = score(frame, model, assessments=[a.pk for a in assessments])
        points = [{"assessment": a, "summary": summarize(scores, a.pk, model)} for a in assessments]
    return sorted(points, key=lambda p: order[p["assessment"].pk]), comparison


def _compare_across_versions(assessments: list[Assessment], frame: pd.DataFrame):
    banks = {a.bank_id: a.bank for a in assessments}
    if len(banks) < 2:
        return None
    target = assessments[-1].bank
    declared = {
        bank.version: (
            bank.definition["predecessor"]["version"],
            bank.definition["predecessor"]["changes"],
        )
        for bank in QuestionBank.objects.all()
        if bank.definition.get("predecessor")
    }
    mappings = {}
    for bank in banks.values():
        if bank.pk == target.pk:
            continue
        versions = [target.version]
        while versions[0] != bank.version and versions[0] in declared:
            versions.insert(0, declared[versions[0]][0])
        mapping = chain(versions, declared) if versions[0] == bank.version else None
        if mapping is None:
            return None
        mappings[bank.pk] = mapping
    model = scoring_model(target)
    target_keys = list(model.questions["question"])
    carried = set(target_keys)
    for mapping in mappings.values():
        carried &= mapping.carried_keys()
    shared = [key for key in target_keys if key in carried]
    parts = [frame[frame["assessment"].isin([a.pk for a in assessments if a.bank_id == target.pk])]]
    for bank_id, mapping in mappings.items():
        older = frame[frame["assessment"].isin([a.pk for a in assessments if a.bank_id == bank_id])]
        parts.append(carry_forward(older, mapping))
    combined = pd.concat(parts, ignore_index=True)
    combined = combined[combined["question"].isin(shared)].reset_index(drop=True)
    shared_model = replace(
        model,
        questions=model.questions[model.questions["question"].isin(shared)].reset_index(drop=True),
    )
    comparison = Comparison(
        version=target.version,
        shared=tuple(shared),
        new=tuple(key for key in target_keys if key not in carried),
        retired={
            banks[bank_id].version: tuple(
                mapping.retired(scoring_model(banks[bank_id]).questions["question"])
            )
            for bank_id, mapping in mappings.items()
        },
    )
    return combined, shared_model, comparison


def business_unit_scores(assessment: Assessment, *, min_group: int | None = None):
    """Every business unit of the organization scored from its subtree's submitted
    answers (`units.unit_scores`), in tree order: three queries, however many units
    (the answers are read as plain tuples: tens of thousands of rows)."""
    model = scoring_model(assessment.bank)
    keys = dict(Question.objects.filter(bank=assessment.bank).values_list("pk", "key"))
    # Client respondents only: an assessor's answers never enter the client's scores.
    rows = (
        Answer.objects.of_clients()
        .filter(respondent__assessment=assessment, respondent__submitted_at__isnull=False)
        .values_list("respondent_id", "respondent__unit_id", "question_id", "kind", "level")
    )
    frame = pd.DataFrame.from_records(
        list(rows), columns=["respondent", "unit", "question", "kind", "level"]
    )
    respondent_units = dict(
        frame.drop_duplicates("respondent")[["respondent", "unit"]].itertuples(index=False)
    )
    answers = frame.drop(columns=["unit"]).assign(
        assessment=assessment.pk,
        question=frame["question"].map(keys),
        level=frame["level"].astype("float64"),
    )
    units = [
        Unit(pk, name, parent)
        for pk, name, parent in BusinessUnit.objects.filter(
            organization_id=assessment.organization_id
        ).values_list("pk", "name", "parent_id")
    ]
    return unit_scores(answers, model, units, respondent_units, min_group)
