"""Reads for the roadmap: reference data, placement of an assessment."""

from assessments.models import Assessment
from assessments.selectors import AssessmentScores, assessment_scores

from .models import RoadmapReferenceData, UseCase
from .placement import DimensionState, Placement, QuestionState, place
from .reference import RoadmapReference, parse_roadmap

_references: dict[tuple[int, str], RoadmapReference] = {}


def current_reference() -> RoadmapReference:
    """The latest published roadmap reference data (parsed once per version)."""
    stored = RoadmapReferenceData.objects.first()
    if stored is None:
        raise LookupError("No roadmap reference data: run `manage.py load_reference_data`.")
    return reference_of(stored)


def reference_of(stored: RoadmapReferenceData) -> RoadmapReference:
    key = (stored.pk, stored.checksum)
    if key not in _references:
        _references[key] = parse_roadmap(stored.definition, source=stored.source)
    return _references[key]


def live_use_cases(organization_id: int) -> int:
    """Use cases in production or scaled: what the Phase 3 gate counts."""
    return UseCase.objects.filter(
        organization_id=organization_id, stage__in=UseCase.LIVE_STAGES
    ).count()


def placement_from_scores(result: AssessmentScores, use_cases: int) -> Placement:
    summary = result.summary
    weights = dict(
        zip(result.model.questions["question"], result.model.questions["weight"], strict=True)
    )
    return place(
        current_reference(),
        [DimensionState(d["key"], d["score"], d["insufficient"]) for d in summary["dimensions"]],
        [
            QuestionState(key, q["dimension"], float(weights[key]), q["score"])
            for key, q in summary["questions"].items()
        ],
        use_cases,
    )


def assessment_placement(assessment: Assessment) -> Placement:
    return placement_from_scores(
        assessment_scores(assessment), live_use_cases(assessment.organization_id)
    )
