"""What-if (DESIGN §10): change the organization value of questions and see the projected
dimension scores, index, level, phase and gates, computed by the same pure functions as
the real results (`assessments.scoring`, `roadmap.placement`). And the *cheapest path*:
the fewest single-level raises that meet the next phase's gate, chosen greedily by gate
gap closed per raise, then pruned so that no raise in it is unnecessary.

Pure: plain data and numpy in, dataclasses out; nothing is stored here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from django.utils.translation import gettext

from assessments.scoring import (
    LEVELS,
    MIN_COVERAGE,
    ScoringModel,
    dimension_scores,
    maturity_level,
    overall_index,
    question_score,
)

from .placement import DimensionState, Placement, QuestionState, gate_criteria, place
from .reference import RoadmapReference


@dataclass(frozen=True, eq=False)
class WhatIfBase:
    """An assessment's scored state: question values (bank order, NaN: none) and
    applicability, with the bank's model, the roadmap reference and the live use cases."""

    model: ScoringModel
    values: np.ndarray
    applicable: np.ndarray
    reference: RoadmapReference
    use_cases: int

    @cached_property
    def keys(self) -> list[str]:
        return list(self.model.questions["question"])

    @cached_property
    def question_rows(self) -> list[tuple[str, str, float]]:
        """(key, dimension, weight) of every question, bank order."""
        q = self.model.questions
        return list(zip(q["question"], q["dimension"], q["weight"].astype(float), strict=True))

    @cached_property
    def dimension_keys(self) -> list[str]:
        return list(self.model.dimensions["dimension"])

    def value_of(self, key: str) -> float | None:
        value = self.values[self.keys.index(key)]
        return None if math.isnan(value) else float(value)


def base_from_summary(
    summary: dict, model: ScoringModel, reference: RoadmapReference, use_cases: int
) -> WhatIfBase:
    """From `scoring.summarize` output (the stored results of an assessment)."""
    questions = summary["questions"]
    keys = list(model.questions["question"])
    values = np.array(
        [np.nan if questions[k]["value"] is None else questions[k]["value"] for k in keys],
        dtype="float64",
    )
    applicable = np.array([questions[k]["applicable"] for k in keys], dtype=bool)
    return WhatIfBase(model, values, applicable, reference, use_cases)


def change_problems(base: WhatIfBase, changes: dict) -> list[tuple[str, str, str]]:
    """(field, code, message) for every change that is not a known question with a whole
    level from 1 to 5; empty when all are fine."""
    known = set(base.keys)
    problems = []
    for key, level in changes.items():
        field = f"changes.{key}"
        if key not in known:
            problems.append(
                (
                    field,
                    "unknown",
                    gettext("No question “%(key)s” in this question bank.") % {"key": key},
                )
            )
        elif isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= LEVELS:
            problems.append(
                (
                    field,
                    "invalid",
                    gettext("Give a whole level from 1 to %(levels)s.") % {"levels": LEVELS},
                )
            )
    return problems


@dataclass(frozen=True)
class ProjectedDimension:
    key: str
    title: str
    score: float | None
    coverage: float
    insufficient: bool
    baseline: float | None  # the score before the changes

    @property
    def delta(self) -> float | None:
        if self.score is None or self.baseline is None:
            return None
        return self.score - self.baseline


@dataclass(frozen=True)
class Projection:
    changes: dict[str, int]
    dimensions: tuple[ProjectedDimension, ...]
    index: float | None
    level: int | None
    level_name: str | None
    placement: Placement
    baseline_index: float | None
    baseline_phase: int


def _applied(base: WhatIfBase, changes: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    values, applicable = base.values.copy(), base.applicable.copy()
    keys = base.keys
    for key, level in changes.items():
        position = keys.index(key)
        values[position] = float(level)
        applicable[position] = True  # a value makes an N/A question applicable again
    return values, applicable


def _number(value) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _dimension_states(base: WhatIfBase, values: np.ndarray, applicable: np.ndarray):
    scores, coverage = dimension_scores(values[None, :], applicable[None, :], base.model)
    scores, coverage = scores[0], coverage[0]
    states = [
        DimensionState(key, _number(scores[i]), bool(coverage[i] < MIN_COVERAGE))
        for i, key in enumerate(base.dimension_keys)
    ]
    return scores, coverage, states


def _state(base: WhatIfBase, values: np.ndarray, applicable: np.ndarray):
    """(dimension scores, coverage, index, placement) of one set of question values."""
    scores, coverage, dimensions = _dimension_states(base, values, applicable)
    index = overall_index(scores[None, :], base.model)[0]
    question_scores = question_score(values)
    questions = [
        QuestionState(key, dimension, weight, _number(question_scores[i]))
        for i, (key, dimension, weight) in enumerate(base.question_rows)
    ]
    placement = place(base.reference, dimensions, questions, base.use_cases)
    return scores, coverage, index, placement


def project(base: WhatIfBase, changes: dict[str, float]) -> Projection:
    """Dimension scores, index, level and placement with `changes` (question → value)
    applied; with no changes, exactly the stored results."""
    before_scores, _, before_index, before_placement = _state(base, base.values, base.applicable)
    values, applicable = _applied(base, changes)
    scores, coverage, index, placement = _state(base, values, applicable)
    level, name = maturity_level(np.array([index]), base.model.bands)
    dims = base.model.dimensions
    return Projection(
        changes=dict(changes),
        dimensions=tuple(
            ProjectedDimension(
                key=key,
                title=title,
                score=_number(scores[i]),
                coverage=float(coverage[i]),
                insufficient=bool(coverage[i] < MIN_COVERAGE),
                baseline=_number(before_scores[i]),
            )
            for i, (key, title) in enumerate(zip(dims["dimension"], dims["title"], strict=True))
        ),
        index=_number(index),
        level=int(level[0]) or None,
        level_name=name[0],
        placement=placement,
        baseline_index=_number(before_index),
        baseline_phase=before_placement.phase,
    )


# --- the cheapest path ------------------------------------------------------------------


@dataclass(frozen=True)
class Raise:
    """One question raised from its current value to the needed level (`steps` single-level
    raises), and the gate criterion (dimension minimum) it helps close."""

    question: str
    dimension: str
    current: float
    needed: int
    steps: int
    criterion: str  # "phase 2: data_infrastructure ≥ 40"


@dataclass(frozen=True)
class CheapestPath:
    target_phase: int | None  # None: already in the last phase
    raises: tuple[Raise, ...]
    reachable: bool  # False: some criterion cannot be met by raising answered questions
    blockers: tuple[str, ...]  # why not, in words

    @property
    def total_raises(self) -> int:
        return sum(r.steps for r in self.raises)

    @property
    def changes(self) -> dict[str, int]:
        return {r.question: r.needed for r in self.raises}


def next_level(value: float) -> int:
    """One whole level up from a value (2 → 3, 2.5 → 3)."""
    return min(LEVELS, math.floor(value) + 1)


def _steps(current: float, target: float) -> int:
    count, value = 0, current
    while value < target:
        value, count = next_level(value), count + 1
    return count


def _gate_met(base: WhatIfBase, changes: dict, phase: int, dimensions: set[str]) -> bool:
    values, applicable = _applied(base, changes)
    _, _, states = _dimension_states(base, values, applicable)
    criteria = gate_criteria(base.reference, phase, states, base.use_cases)
    return all(c.met for c in criteria if c.dimension in dimensions)


def cheapest_path(base: WhatIfBase) -> CheapestPath:
    """1. The unmet dimension criteria of the next phase's gate (a dimension with
    insufficient evidence, or the use-case count, cannot be raised: a blocker).
    2. Greedy: raise by one level the question that closes the most gate gap (ties: the
    larger gain, then bank order), until every closable criterion is met. 3. Prune: lower
    each raised question one step while the gate stays met, so every raise is needed."""
    _, _, _, placement = _state(base, base.values, base.applicable)
    target = placement.next_phase
    if target is None:
        return CheapestPath(None, (), True, ())
    unmet = [c for c in placement.criteria_of(target) if not c.met]
    blockers = []
    closable: dict[str, float] = {}
    for c in unmet:
        if c.kind != "dimension":
            blockers.append(
                gettext(
                    "%(required)s use cases in production or scaled are needed "
                    "(%(actual)s now): no answer raises that."
                )
                % {"required": f"{c.required:g}", "actual": f"{c.actual or 0:g}"}
            )
        elif c.insufficient or c.actual is None:
            blockers.append(
                gettext(
                    "%(dimension)s has too few answers (insufficient evidence): "
                    "answer its questions first."
                )
                % {"dimension": c.dimension}
            )
        else:
            closable[c.dimension] = c.required
    keys = base.keys
    dims = [dimension for _, dimension, _ in base.question_rows]
    weights = np.array([weight for _, _, weight in base.question_rows])
    values = base.values.copy()
    has_value = ~np.isnan(values)
    answered_weight = {
        d: float(weights[[i for i, q in enumerate(dims) if q == d and has_value[i]]].sum())
        for d in closable
    }
    score_now = {
        c.dimension: c.actual for c in placement.criteria_of(target) if c.dimension in closable
    }
    changes: dict[str, float] = {}
    while True:
        gaps = {d: closable[d] - score_now[d] for d in closable if score_now[d] < closable[d]}
        if not gaps:
            break
        best = None
        for i, d in enumerate(dims):
            if d not in gaps or not has_value[i] or values[i] >= LEVELS:
                continue
            new = next_level(values[i])
            gain = weights[i] * (question_score(new) - question_score(values[i]))
            gain /= answered_weight[d]
            rank = (min(gaps[d], gain), gain, -i)
            if best is None or rank > best[0]:
                best = (rank, i, new, gain)
        if best is None:
            blockers.extend(
                gettext(
                    "%(dimension)s cannot reach %(required)s even with every answered "
                    "question at level %(levels)s."
                )
                % {"dimension": d, "required": f"{closable[d]:g}", "levels": LEVELS}
                for d in gaps
            )
            for d in gaps:
                closable.pop(d)
            continue
        _, i, new, gain = best
        values[i] = new
        changes[keys[i]] = new
        score_now[dims[i]] += gain
    changes = _pruned(base, changes, target, set(closable))
    raises = tuple(
        Raise(
            question=key,
            dimension=dims[keys.index(key)],
            current=float(base.values[keys.index(key)]),
            needed=int(level),
            steps=_steps(float(base.values[keys.index(key)]), level),
            criterion=gettext("phase %(phase)s: %(dimension)s ≥ %(required)s")
            % {
                "phase": target,
                "dimension": dims[keys.index(key)],
                "required": f"{closable[dims[keys.index(key)]]:g}",
            },
        )
        for key, level in sorted(changes.items(), key=lambda item: keys.index(item[0]))
    )
    return CheapestPath(target, raises, not blockers, tuple(blockers))


def one_step_lower(current: float, level: float) -> float | None:
    """The value one single-level raise below `level` on the way up from `current`;
    None when that is the current value itself (the raise disappears)."""
    previous, value = current, current
    while value < level:
        previous, value = value, next_level(value)
    return None if previous == current else previous


def _pruned(base: WhatIfBase, changes: dict, target: int, dimensions: set[str]) -> dict:
    """Lower each raised question one step at a time while the gate's closable
    criteria stay met (fewer raises only lower scores, so one pass suffices)."""
    changes = dict(changes)
    for key in list(changes):
        current = base.value_of(key)
        while key in changes:
            lower = one_step_lower(current, changes[key])
            trial = dict(changes)
            if lower is None:
                trial.pop(key)
            else:
                trial[key] = lower
            if not _gate_met(base, trial, target, dimensions):
                break
            changes = trial
    return changes


@dataclass(frozen=True)
class WhatIf:
    """A projection and, from it, the cheapest path onward: what the page and API show."""

    projection: Projection
    cheapest_path: CheapestPath

    def __getattr__(self, name):
        return getattr(self.projection, name)


def what_if(base: WhatIfBase, changes: dict[str, float]) -> WhatIf:
    projection = project(base, changes)
    if changes:
        values, applicable = _applied(base, changes)
        moved = WhatIfBase(base.model, values, applicable, base.reference, base.use_cases)
    else:
        moved = base
    return WhatIf(projection, cheapest_path(moved))
