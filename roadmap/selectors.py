"""Reads for the roadmap: reference data, placement of an assessment, and tracking
(roadmaps, milestones, use cases and their history) for members of the organization."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from assessments.models import Assessment, Respondent
from assessments.selectors import (
    AssessmentScores,
    assessment_scores,
    business_unit_scores,
    organization_trend,
)
from audit.models import AuditEntry
from common.display import display_round
from common.reference_store import parsed_in_active_language
from organizations.models import Membership, Role
from organizations.policy import Action, authorize
from organizations.selectors import organizations_for_user

from .models import (
    Milestone,
    MilestoneStatus,
    Roadmap,
    RoadmapReferenceData,
    Target,
    UseCase,
    WhatIfScenario,
)
from .placement import DimensionState, Placement, QuestionState, place
from .reference import RoadmapReference, parse_roadmap, translate_roadmap
from .targets import TargetState
from .tracking import (
    ATTENTION_LABELS,
    ATTENTION_PHASES,
    STATUS_LABELS,
    STATUS_SYMBOLS,
    Attention,
    MilestoneState,
    PhaseProgress,
    PhaseStatus,
    PhaseWindow,
    milestone_attention,
    milestone_problem,
    overall_status,
    planned_windows,
    roadmap_progress,
)
from .trend import TrendPoint
from .whatif import WhatIfBase, base_from_summary

_references: dict[tuple, RoadmapReference] = {}


def current_reference() -> RoadmapReference:
    """The latest published roadmap reference data (parsed once per version)."""
    stored = RoadmapReferenceData.objects.first()
    if stored is None:
        raise LookupError("No roadmap reference data: run `manage.py load_reference_data`.")
    return reference_of(stored)


def stored_reference_for_bank(bank_version: str) -> RoadmapReferenceData | None:
    """The latest roadmap reference whose recommendations name the questions of this bank
    version, so an assessment on bank 2026.1 keeps the 2026.1 recommendations after 2026.2
    is published; else the latest reference (None when nothing is loaded)."""
    references = list(RoadmapReferenceData.objects.all())
    paired = (s for s in references if reference_of(s).bank_version == bank_version)
    return next(paired, references[0] if references else None)


def reference_for_bank(bank_version: str) -> RoadmapReference:
    stored = stored_reference_for_bank(bank_version)
    return current_reference() if stored is None else reference_of(stored)


def reference_of(stored: RoadmapReferenceData) -> RoadmapReference:
    """The stored reference data in the active language: its translation for that
    language laid over the English file when there is one, else the English. Figures,
    keys and the checksum are the English file's in every language."""
    return parsed_in_active_language(
        stored, parse=parse_roadmap, translate=translate_roadmap, parsed=_references
    )


def reference_for_assessment(
    assessment: Assessment, recorded: RoadmapReferenceData | None = None
) -> RoadmapReference:
    """The reference data an assessment is placed with, never silently the newest, and
    always one paired with the assessment's question bank (its recommendations name that
    bank's questions) when one is: a closed assessment keeps the version in force when it
    closed (the latest published by then; the oldest if it closed before any was
    loaded); an open one, provisional, uses `recorded` (its roadmap's version) when
    given, else the latest paired with its bank."""
    if not assessment.is_open and assessment.closed_at is not None:
        stored = list(RoadmapReferenceData.objects.order_by("-loaded_at", "-id"))
        if not stored:
            raise LookupError("No roadmap reference data: run `manage.py load_reference_data`.")
        version = assessment.bank.version
        candidates = [s for s in stored if reference_of(s).bank_version == version] or stored
        in_force = [s for s in candidates if s.loaded_at <= assessment.closed_at]
        return reference_of(in_force[0] if in_force else candidates[-1])
    if recorded is not None:
        return reference_of(recorded)
    return reference_for_bank(assessment.bank.version)


def live_use_cases(organization_id: int) -> int:
    """Use cases in production or scaled: what the Phase 3 gate counts."""
    return UseCase.objects.filter(
        organization_id=organization_id, stage__in=UseCase.LIVE_STAGES
    ).count()


def placement_inputs(result: AssessmentScores) -> tuple[list, list]:
    """The dimension and question states `placement.place` reads, from stored scores."""
    summary = result.summary
    weights = dict(
        zip(result.model.questions["question"], result.model.questions["weight"], strict=True)
    )
    return (
        [DimensionState(d["key"], d["score"], d["insufficient"]) for d in summary["dimensions"]],
        [
            QuestionState(key, q["dimension"], float(weights[key]), q["score"])
            for key, q in summary["questions"].items()
        ],
    )


def placement_from_scores(
    result: AssessmentScores, use_cases: int, reference: RoadmapReference
) -> Placement:
    dimensions, questions = placement_inputs(result)
    return place(reference, dimensions, questions, use_cases)


def assessment_placement(
    assessment: Assessment, recorded: RoadmapReferenceData | None = None
) -> Placement:
    return placement_from_scores(
        assessment_scores(assessment),
        live_use_cases(assessment.organization_id),
        reference_for_assessment(assessment, recorded),
    )


# --- tracking ---------------------------------------------------------------------------


def organization_roadmap(user, organization_id: int, action: Action):
    """(organization, membership, roadmap or None) when the policy allows `action`."""
    membership = authorize(user, organization_id, action)
    organization = membership.organization
    roadmap = (
        Roadmap.objects.select_related("assessment", "reference", "created_by")
        .filter(organization=organization)
        .first()
    )
    return organization, membership, roadmap


def roadmaps_for_user(user) -> QuerySet[Roadmap]:
    return (
        Roadmap.objects.filter(organization__in=organizations_for_user(user))
        .select_related("organization", "reference")
        .annotate(
            milestones_total=Count("milestones", distinct=True),
            milestones_done=Count(
                "milestones", filter=Q(milestones__status=MilestoneStatus.DONE), distinct=True
            ),
        )
        .order_by("organization__name", "id")
    )


def roadmap_for(user, roadmap_id: int, action: Action) -> Roadmap:
    roadmap = get_object_or_404(
        Roadmap.objects.select_related("organization", "assessment", "reference"), pk=roadmap_id
    )
    authorize(user, roadmap.organization_id, action)
    return roadmap


def milestone_for(user, milestone_id: int, action: Action) -> Milestone:
    milestone = get_object_or_404(
        Milestone.objects.select_related("roadmap__organization", "roadmap__reference"),
        pk=milestone_id,
    )
    authorize(user, milestone.roadmap.organization_id, action)
    return milestone


def use_case_for(user, use_case_id: int, action: Action) -> UseCase:
    use_case = get_object_or_404(UseCase.objects.select_related("organization"), pk=use_case_id)
    authorize(user, use_case.organization_id, action)
    return use_case


def assessments_with_submissions(organization_id: int) -> QuerySet[Assessment]:
    """The organization's assessments that a roadmap can start from, newest first."""
    return (
        Assessment.objects.filter(
            organization_id=organization_id,
            respondents__submitted_at__isnull=False,
            respondents__kind=Respondent.Kind.CLIENT,
        )
        .distinct()
        .order_by("-created_at", "-id")
    )


def placement_source(roadmap: Roadmap) -> Assessment:
    """The assessment the current phase is computed from: the organization's latest closed
    assessment, falling back to the roadmap's own."""
    latest = (
        Assessment.objects.filter(
            organization_id=roadmap.organization_id, status=Assessment.Status.CLOSED
        )
        .select_related("bank", "organization")
        .order_by("-closed_at", "-id")
        .first()
    )
    return latest or roadmap.assessment


def roadmap_placement(roadmap: Roadmap) -> tuple[Placement, Assessment]:
    source = placement_source(roadmap)
    return assessment_placement(source, roadmap.reference), source


def roadmap_windows(roadmap: Roadmap) -> tuple[PhaseWindow, ...]:
    return planned_windows(
        reference_of(roadmap.reference).phases, roadmap.start_date, roadmap.starting_phase
    )


def milestone_state(milestone: Milestone) -> MilestoneState:
    return MilestoneState(
        phase=milestone.phase,
        status=milestone.status,
        due_date=milestone.due_date,
        completed_on=milestone.completed_on,
        title=milestone.title,
        start_date=milestone.start_date,
    )


@dataclass(frozen=True)
class RoadmapTracking:
    roadmap: Roadmap
    today: date
    windows: tuple[PhaseWindow, ...]
    phases: tuple[PhaseProgress, ...]
    milestones: tuple[Milestone, ...]

    @property
    def done(self) -> int:
        return sum(p.done for p in self.phases)

    @property
    def total(self) -> int:
        return sum(p.total for p in self.phases)

    @property
    def percent(self) -> int:
        return int(display_round(100 * self.done / self.total, 0)) if self.total else 0

    @property
    def status(self) -> PhaseStatus:
        return overall_status(self.phases)

    @property
    def status_label(self) -> str:
        return f"{STATUS_SYMBOLS[self.status]} {STATUS_LABELS[self.status]}"

    def phase(self, number: int) -> PhaseProgress:
        return next(p for p in self.phases if p.phase == number)

    def milestones_of(self, number: int) -> list[Milestone]:
        return [m for m in self.milestones if m.phase == number]

    @property
    def states(self) -> tuple[MilestoneState, ...]:
        return tuple(milestone_state(m) for m in self.milestones)


def roadmap_tracking(roadmap: Roadmap, today: date) -> RoadmapTracking:
    """Planned windows, milestones and the progress and status of every phase (one query
    for the milestones)."""
    windows = roadmap_windows(roadmap)
    milestones = tuple(
        roadmap.milestones.select_related("owner_user")
        .prefetch_related("depends_on")
        .order_by("phase", "position", "id")
    )
    states = [milestone_state(m) for m in milestones]
    for milestone, state in zip(milestones, states, strict=True):
        # What the page marks on each milestone (blocked, overdue, at risk or nothing).
        milestone.problem = milestone_problem(state, today)
    return RoadmapTracking(
        roadmap=roadmap,
        today=today,
        windows=windows,
        phases=roadmap_progress(windows, states, today),
        milestones=milestones,
    )


@dataclass(frozen=True)
class RoadmapSummary:
    """A roadmap and how many of its milestones are done."""

    roadmap: Roadmap
    milestones_done: int
    milestones_total: int


@dataclass(frozen=True)
class RoadmapState(RoadmapSummary):
    """A roadmap today: its tracking, and the placement it stands on now (computed from
    `placed_from`, the organization's latest closed assessment or the roadmap's own)."""

    tracking: RoadmapTracking
    placement: Placement
    placed_from: Assessment


def roadmap_summaries(user) -> list[RoadmapSummary]:
    """The user's roadmaps with their milestone counts (one query)."""
    return [
        RoadmapSummary(r, r.milestones_done, r.milestones_total) for r in roadmaps_for_user(user)
    ]


def roadmap_state(roadmap: Roadmap, today: date) -> RoadmapState:
    tracking = roadmap_tracking(roadmap, today)
    placement, source = roadmap_placement(roadmap)
    return RoadmapState(
        roadmap=roadmap,
        milestones_done=tracking.done,
        milestones_total=tracking.total,
        tracking=tracking,
        placement=placement,
        placed_from=source,
    )


def use_cases_of(organization_id: int) -> QuerySet[UseCase]:
    return UseCase.objects.filter(organization_id=organization_id).order_by("name", "id")


HISTORY_OBJECT_TYPES = ("roadmap", "milestone", "use_case")


def history_entries(organization_id: int) -> QuerySet[AuditEntry]:
    """The roadmap's history: the organization's audit entries about its roadmap,
    milestones and use cases (who, what, when, old → new), newest first."""
    return AuditEntry.objects.filter(
        organization_id=organization_id, object_type__in=HISTORY_OBJECT_TYPES
    ).order_by("-created_at", "-id")


def activity_of(organization_id: int, limit: int = 50) -> list[AuditEntry]:
    return list(history_entries(organization_id).select_related("user")[:limit])


# --- the weekly digest (DESIGN §12) -----------------------------------------------------


@dataclass(frozen=True)
class DigestItem:
    milestone: Milestone
    attention: Attention
    phase_name: str

    @property
    def label(self) -> str:
        return ATTENTION_LABELS[self.attention]


@dataclass(frozen=True)
class DigestSection:
    """One roadmap in a user's digest: their own milestones needing attention and, for a
    CoE lead, the whole roadmap's."""

    roadmap: Roadmap
    tracking: RoadmapTracking
    is_coe_lead: bool
    mine: tuple[DigestItem, ...]
    roadmap_items: tuple[DigestItem, ...]

    @property
    def organization(self):
        return self.roadmap.organization

    @property
    def phases_needing_attention(self) -> list[PhaseProgress]:
        return [p for p in self.tracking.phases if p.status in ATTENTION_PHASES]


def digest_recipient_ids():
    """Users who may get a digest this week: owners of open milestones (still members of
    the organization) and the CoE leads of organizations with a roadmap (a query)."""
    owners = Milestone.objects.exclude(status=MilestoneStatus.DONE).filter(
        owner_user__isnull=False,
        owner_user__memberships__organization_id=F("roadmap__organization_id"),
    )
    leads = Membership.objects.filter(role=Role.COE_LEAD, organization__roadmap__isnull=False)
    return (
        owners.order_by()
        .values_list("owner_user_id", flat=True)
        .union(leads.order_by().values_list("user_id", flat=True))
    )


def digest_for(user, today: date) -> list[DigestSection]:
    """The user's digest: a section per roadmap where they are CoE lead or own an open
    milestone needing attention, by organization name; empty sections are left out."""
    lead_of = set(
        Membership.objects.filter(user=user, role=Role.COE_LEAD).values_list(
            "organization_id", flat=True
        )
    )
    member_of = Membership.objects.filter(user=user).values("organization_id")
    roadmaps = (
        Roadmap.objects.filter(organization_id__in=member_of)
        .filter(Q(organization_id__in=lead_of) | Q(milestones__owner_user=user))
        .select_related("organization", "reference")
        .distinct()
        .order_by("organization__name", "id")
    )
    sections = []
    for roadmap in roadmaps:
        tracking = roadmap_tracking(roadmap, today)
        names = {w.phase: w.name for w in tracking.windows}
        items = []
        for milestone in tracking.milestones:
            attention = milestone_attention(
                milestone_state(milestone), tracking.phase(milestone.phase).status, today
            )
            if attention is not None:
                items.append(DigestItem(milestone, attention, names[milestone.phase]))
        is_lead = roadmap.organization_id in lead_of
        mine = tuple(i for i in items if i.milestone.owner_user_id == user.pk)
        if mine or is_lead:
            sections.append(
                DigestSection(
                    roadmap=roadmap,
                    tracking=tracking,
                    is_coe_lead=is_lead,
                    mine=mine,
                    roadmap_items=tuple(items) if is_lead else (),
                )
            )
    return sections


def roadmap_trend(roadmap: Roadmap, source: Assessment) -> list[TrendPoint]:
    """The organization's closed assessments, oldest first, plus the open one the current
    phase is placed from (provisional)."""
    return [
        TrendPoint(
            title=p["assessment"].title,
            closed_on=None
            if p["assessment"].is_open or p["assessment"].closed_at is None
            else timezone.localdate(p["assessment"].closed_at),
            index=p["summary"]["overall"]["index"],
            dimensions=tuple((d["title"], d["score"]) for d in p["summary"]["dimensions"]),
        )
        for p in organization_trend(roadmap.organization_id, include=source)
    ]


# --- what-if (DESIGN §10) ---------------------------------------------------------------


def what_if_base(assessment: Assessment) -> WhatIfBase:
    """The assessment's stored results as the what-if's starting point, placed with the
    same reference version as its results."""
    result = assessment_scores(assessment)
    roadmap = Roadmap.objects.filter(organization_id=assessment.organization_id).first()
    reference = reference_for_assessment(
        assessment,
        roadmap.reference if roadmap and roadmap.assessment_id == assessment.pk else None,
    )
    return base_from_summary(
        result.summary, result.model, reference, live_use_cases(assessment.organization_id)
    )


def scenarios_of(assessment: Assessment) -> QuerySet[WhatIfScenario]:
    return WhatIfScenario.objects.filter(assessment=assessment).select_related("created_by")


# --- targets (DESIGN §10) ----------------------------------------------------------------


def target_states(
    organization_id: int, source: Assessment, *, min_group: int | None, first: Assessment | None
) -> list[TargetState]:
    """Every target of the organization against the current scores (`source`: the
    assessment the roadmap is placed from; a unit's scores roll up its subtree, hidden
    under the §9 rule) and, for progress, the first assessment's (`first`)."""
    targets = list(
        Target.objects.filter(organization_id=organization_id)
        .select_related("unit", "organization")
        .order_by("unit__name", "dimension", "id")
    )
    if not targets:
        return []
    current = assessment_scores(source).summary["dimensions"]
    titles = {d["key"]: d["title"] for d in current}
    now = {(None, d["key"]): d["score"] for d in current}
    if any(t.unit_id for t in targets):
        for unit in business_unit_scores(source, min_group=min_group):
            for key, score in unit.dimensions:
                now[(unit.unit.id, key)] = score
    before = {}
    if first is not None and first.pk != source.pk:
        before = {d["key"]: d["score"] for d in assessment_scores(first).summary["dimensions"]}
    return [
        TargetState(
            target_id=t.pk,
            unit=t.unit.name if t.unit else t.organization.name,
            dimension=t.dimension,
            dimension_title=titles.get(t.dimension, t.dimension),
            target=t.score,
            due_date=t.due_date,
            score=now.get((t.unit_id, t.dimension)),
            first_score=None if t.unit_id else before.get(t.dimension),
            for_organization=t.unit_id is None,
        )
        for t in targets
    ]


def first_closed_assessment(organization_id: int) -> Assessment | None:
    return (
        Assessment.objects.filter(organization_id=organization_id, status=Assessment.Status.CLOSED)
        .order_by("closed_at", "id")
        .first()
    )
