"""DESIGN §10 on the pure what-if module: projections with the real scoring and
placement functions, and the cheapest path to the next phase (Hypothesis properties)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assessments.scoring import score, summarize
from roadmap.placement import DimensionState, QuestionState, place
from roadmap.reference import load_roadmap_file
from roadmap.whatif import (
    base_from_summary,
    change_problems,
    cheapest_path,
    one_step_lower,
    project,
)
from tests.answering import bank_model

ROOT = Path(__file__).resolve().parents[2]
MODEL = bank_model()
REFERENCE = load_roadmap_file(ROOT / "roadmap" / "data" / "roadmap-2026.1.yaml")
KEYS = list(MODEL.questions["question"])
WEIGHTS = dict(zip(MODEL.questions["question"], MODEL.questions["weight"], strict=True))

answer_kind = st.one_of(
    st.integers(1, 5),
    st.integers(1, 5),
    st.integers(1, 5),
    st.sampled_from(["na", "dont_know", ""]),
)


@st.composite
def scored(draw):
    """Submitted answers of 1–4 respondents to the shipped bank, scored and summarized."""
    respondents = draw(st.integers(1, 4))
    rows = []
    for respondent in range(respondents):
        kinds = draw(st.lists(answer_kind, min_size=len(KEYS), max_size=len(KEYS)))
        for key, value in zip(KEYS, kinds, strict=True):
            is_level = isinstance(value, int)
            rows.append(
                {
                    "assessment": 1,
                    "respondent": respondent,
                    "question": key,
                    "kind": "level" if is_level else value,
                    "level": float(value) if is_level else np.nan,
                    "submitted": True,
                    "role": "cio",
                    "business_unit": "",
                }
            )
    summary = summarize(score(pd.DataFrame(rows), MODEL, assessments=[1]), 1, MODEL)
    use_cases = draw(st.integers(0, 5))
    return summary, use_cases


def stored_placement(summary, use_cases):
    return place(
        REFERENCE,
        [DimensionState(d["key"], d["score"], d["insufficient"]) for d in summary["dimensions"]],
        [
            QuestionState(k, q["dimension"], WEIGHTS[k], q["score"])
            for k, q in summary["questions"].items()
        ],
        use_cases,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scored())
def test_no_changes_give_the_stored_scores_and_placement(case):
    summary, use_cases = case
    projection = project(base_from_summary(summary, MODEL, REFERENCE, use_cases), {})
    assert [(d.key, d.score, d.coverage, d.insufficient) for d in projection.dimensions] == [
        (d["key"], d["score"], d["coverage"], d["insufficient"]) for d in summary["dimensions"]
    ]
    assert projection.index == summary["overall"]["index"]
    assert projection.level == summary["overall"]["level"]
    assert projection.placement == stored_placement(summary, use_cases)
    assert all(d.delta in (0, None) for d in projection.dimensions)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scored())
def test_the_cheapest_path_meets_the_next_gate_and_every_raise_is_needed(case):
    summary, use_cases = case
    base = base_from_summary(summary, MODEL, REFERENCE, use_cases)
    path = cheapest_path(base)
    assume(path.target_phase is not None and path.reachable)
    target = path.target_phase

    after = project(base, path.changes).placement
    assert all(c.met for c in after.criteria_of(target))
    assert after.phase >= target

    for raise_ in path.raises:
        assert base.value_of(raise_.question) < raise_.needed <= 5
        fewer = dict(path.changes)
        lower = one_step_lower(raise_.current, raise_.needed)
        if lower is None:
            fewer.pop(raise_.question)
        else:
            fewer[raise_.question] = lower
        without = project(base, fewer).placement
        assert not all(c.met for c in without.criteria_of(target)), raise_


def base_at(level, use_cases=0, **overrides):
    """Every question at `level` (one respondent), some overridden."""
    questions = {
        k: {"value": overrides.get(k, level), "applicable": True, "dimension": d}
        for k, d in zip(KEYS, MODEL.questions["dimension"], strict=True)
    }
    return base_from_summary({"questions": questions}, MODEL, REFERENCE, use_cases)


def test_a_change_moves_the_dimension_the_index_and_the_phase():
    base = base_at(2)  # every dimension 25: phase 1
    projection = project(base, dict.fromkeys(KEYS, 3))  # every dimension 50
    assert (projection.baseline_phase, projection.placement.phase) == (1, 2)
    assert projection.index == pytest.approx(50.0)
    assert projection.baseline_index == pytest.approx(25.0)
    assert all(d.delta == pytest.approx(25.0) for d in projection.dimensions)


def test_the_cheapest_path_lists_current_and_needed_levels_and_the_gate_closed():
    path = cheapest_path(base_at(2))
    assert path.target_phase == 2 and path.reachable and not path.blockers
    assert {r.dimension for r in path.raises} == {
        "data_infrastructure",
        "governance_risk",
        "organizational_readiness",
    }
    first = path.raises[0]
    assert (first.current, first.steps) == (2.0, first.needed - 2)
    assert first.criterion.startswith("phase 2: ")


def test_the_use_case_gate_is_a_blocker_no_raise_can_close():
    path = cheapest_path(base_at(4))  # phase 2, every dimension 75, no live use case
    assert path.target_phase == 3 and not path.reachable
    assert any("use cases" in b for b in path.blockers)


def test_unknown_questions_and_bad_levels_are_named():
    base = base_at(3)
    assert change_problems(base, {KEYS[0]: 4}) == []
    problems = change_problems(base, {"nope": 3, KEYS[0]: 6, KEYS[1]: True, KEYS[2]: 2.5})
    assert [(f, c) for f, c, _ in problems] == [
        ("changes.nope", "unknown"),
        (f"changes.{KEYS[0]}", "invalid"),
        (f"changes.{KEYS[1]}", "invalid"),
        (f"changes.{KEYS[2]}", "invalid"),
    ]
