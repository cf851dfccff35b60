"""Placement on the four-phase roadmap (DESIGN §4). Pure: dataclasses in, dataclasses out.

The current phase is the highest phase whose entry gate, and every gate below it, is
met; a dimension with insufficient evidence never meets a criterion. "What moves you"
ranks the recommendations by how many points of the next gate's gaps they can close,
naming the questions whose improvement closes them fastest (weight × room to grow).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from common.display import display_round

from .reference import Gate, Recommendation, RoadmapReference

LEVEL_STEP = 25.0  # one answer level is 25 points of a question score


@dataclass(frozen=True)
class DimensionState:
    key: str
    score: float | None
    insufficient: bool


@dataclass(frozen=True)
class QuestionState:
    key: str
    dimension: str
    weight: float
    score: float | None  # 0–100, None when the organization has no value


@dataclass(frozen=True)
class Criterion:
    phase: int
    kind: str  # "dimension" or "use_cases"
    dimension: str | None
    required: float
    actual: float | None
    met: bool
    insufficient: bool = False

    @property
    def gap(self) -> float:
        """Points (or use cases) still missing; 0 once the threshold is reached."""
        return max(0.0, self.required - (self.actual or 0.0))


@dataclass(frozen=True)
class RankedRecommendation:
    key: str
    dimension: str
    action: str
    detail: str
    horizon: str
    questions: tuple[str, ...]
    impact: float


@dataclass(frozen=True)
class Placement:
    phase: int
    phase_name: str
    next_phase: int | None
    next_phase_name: str | None
    readiness: float | None
    points_missing: float
    criteria: tuple[Criterion, ...]
    recommendations: tuple[RankedRecommendation, ...]
    reference_version: str = ""

    def criteria_of(self, phase: int) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.phase == phase)

    @property
    def points_missing_shown(self) -> Decimal:
        """`points_missing` as every surface shows it: the sum of the next gate's gaps
        as displayed, so a gap column and its total agree."""
        upcoming = self.criteria_of(self.next_phase) if self.next_phase else ()
        return displayed_points_missing(upcoming)


def displayed_gap(criterion: Criterion) -> Decimal:
    """A criterion's gap as a reader computes it from the table: required − actual, each
    as displayed (one decimal); 0 once met."""
    actual = display_round(criterion.actual or 0.0, 1)
    return max(Decimal("0.0"), display_round(criterion.required, 1) - actual)


def displayed_points_missing(criteria) -> Decimal:
    """The sum of the displayed gaps of the dimension criteria."""
    return sum((displayed_gap(c) for c in criteria if c.kind == "dimension"), Decimal("0.0"))


def place(
    reference: RoadmapReference,
    dimensions: list[DimensionState],
    questions: list[QuestionState],
    use_cases_in_production: int,
) -> Placement:
    """1. Evaluate every criterion of every gate. 2. Climb while gates are met.
    3. Readiness toward the next gate. 4. Rank recommendations against its gaps."""
    by_key = {d.key: d for d in dimensions}
    criteria = [
        criterion
        for gate in reference.gates
        for criterion in _evaluate(gate, by_key, use_cases_in_production)
    ]
    phase = 1
    for gate in reference.gates:
        if not all(c.met for c in criteria if c.phase == gate.phase):
            break
        phase = gate.phase
    next_phase = phase + 1 if phase < len(reference.phases) else None
    upcoming = [c for c in criteria if c.phase == next_phase]
    return Placement(
        phase=phase,
        phase_name=reference.phase(phase).name,
        next_phase=next_phase,
        next_phase_name=reference.phase(next_phase).name if next_phase else None,
        readiness=(sum(c.met for c in upcoming) / len(upcoming)) if upcoming else None,
        points_missing=sum(c.gap for c in upcoming if c.kind == "dimension"),
        criteria=tuple(criteria),
        recommendations=rank_recommendations(
            reference.recommendations, upcoming, by_key, questions
        ),
        reference_version=reference.version,
    )


def gate_criteria(
    reference: RoadmapReference, phase: int, dimensions: list[DimensionState], use_cases: int
) -> tuple[Criterion, ...]:
    """The criteria of one phase's entry gate, evaluated as `place` does."""
    gate = next(g for g in reference.gates if g.phase == phase)
    return tuple(_evaluate(gate, {d.key: d for d in dimensions}, use_cases))


def _evaluate(gate: Gate, dimensions: dict[str, DimensionState], use_cases: int):
    for key, required in gate.minimums:
        state = dimensions.get(key) or DimensionState(key, None, True)
        yield Criterion(
            phase=gate.phase,
            kind="dimension",
            dimension=key,
            required=required,
            actual=state.score,
            met=state.score is not None and not state.insufficient and state.score >= required,
            insufficient=state.insufficient,
        )
    if gate.use_cases_in_production is not None:
        yield Criterion(
            phase=gate.phase,
            kind="use_cases",
            dimension=None,
            required=float(gate.use_cases_in_production),
            actual=float(use_cases),
            met=use_cases >= gate.use_cases_in_production,
        )


def question_gains(questions: list[QuestionState], dimension: str) -> dict[str, float]:
    """Points each answered question of the dimension adds to the dimension score when it
    rises one level (weight × room to grow, capped at one level, over the answered weight)."""
    answered = [q for q in questions if q.dimension == dimension and q.score is not None]
    total_weight = sum(q.weight for q in answered)
    if not total_weight:
        return {}
    return {q.key: q.weight * min(LEVEL_STEP, 100.0 - q.score) / total_weight for q in answered}


def rank_recommendations(
    library: tuple[Recommendation, ...],
    upcoming: list[Criterion],
    dimensions: dict[str, DimensionState],
    questions: list[QuestionState],
) -> tuple[RankedRecommendation, ...]:
    """Recommendations for the dimensions short of the next gate, best first."""
    ranked = []
    for criterion in upcoming:
        if criterion.kind != "dimension" or criterion.gap <= 0:
            continue
        state = dimensions.get(criterion.dimension)
        current = state.score if state and state.score is not None else 0.0
        gains = question_gains(questions, criterion.dimension)
        for recommendation in library:
            if recommendation.dimension != criterion.dimension or not (
                recommendation.min_score <= current < recommendation.max_score
                or (recommendation.max_score == 100 and current == 100)
            ):
                continue
            named = sorted(recommendation.questions, key=lambda k: (-gains.get(k, 0.0), k))
            ranked.append(
                RankedRecommendation(
                    key=recommendation.key,
                    dimension=recommendation.dimension,
                    action=recommendation.action,
                    detail=recommendation.detail,
                    horizon=recommendation.horizon,
                    questions=tuple(named),
                    impact=min(criterion.gap, sum(gains.get(k, 0.0) for k in named)),
                )
            )
    ranked.sort(key=lambda r: (-r.impact, r.horizon != "quick_win", r.key))
    return tuple(ranked)
