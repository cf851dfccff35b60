"""DESIGN §4 on the pure placement module, with the shipped gates (no database)."""

from pathlib import Path

import pytest

from assessments.bank import DIMENSION_KEYS
from roadmap.placement import (
    DimensionState,
    QuestionState,
    place,
    question_gains,
)
from roadmap.reference import load_roadmap_file

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = load_roadmap_file(ROOT / "roadmap" / "data" / "roadmap-2026.1.yaml")


def dims(default=None, insufficient=(), **scores):
    return [
        DimensionState(key, scores.get(key, default), key in insufficient) for key in DIMENSION_KEYS
    ]


PHASE_2_EXACT = {"data_infrastructure": 40, "governance_risk": 30, "organizational_readiness": 35}


@pytest.mark.parametrize(
    ("scores", "use_cases", "phase"),
    [
        ({}, 0, 1),
        (PHASE_2_EXACT, 0, 2),  # exactly at every Phase 2 threshold
        ({**PHASE_2_EXACT, "data_infrastructure": 39.99}, 0, 1),
        ({**PHASE_2_EXACT, "governance_risk": 29.9}, 0, 1),
        ({"default": 50, "scalable_infrastructure": 60}, 3, 3),  # exactly at Phase 3
        ({"default": 50, "scalable_infrastructure": 59.9}, 3, 2),
        ({"default": 50, "scalable_infrastructure": 60, "talent": 49.99}, 3, 2),
        ({"default": 50, "scalable_infrastructure": 60}, 2, 2),  # one use case short
        ({"default": 70, "governance_risk": 75}, 3, 4),  # exactly at Phase 4
        ({"default": 70, "governance_risk": 74.9}, 3, 3),
        ({"default": 90}, 2, 2),  # Phase 4 scores but Phase 3 lacks use cases
        ({"default": 100}, 10, 4),
    ],
)
def test_the_phase_is_the_highest_with_every_gate_below_met(scores, use_cases, phase):
    scores = dict(scores)
    default = scores.pop("default", 0)
    assert place(REFERENCE, dims(default, **scores), [], use_cases).phase == phase


def test_insufficient_evidence_never_passes_a_gate():
    placement = place(REFERENCE, dims(90, insufficient=("governance_risk",)), [], 5)
    assert placement.phase == 1
    criterion = next(c for c in placement.criteria_of(2) if c.dimension == "governance_risk")
    assert not criterion.met and criterion.insufficient and criterion.gap == 0


def test_a_dimension_without_a_score_fails_its_criterion():
    placement = place(REFERENCE, dims(None), [], 0)
    assert placement.phase == 1
    assert all(not c.met for c in placement.criteria if c.kind == "dimension")


def test_criteria_list_every_criterion_of_every_gate_above_phase_1():
    placement = place(REFERENCE, dims(10), [], 0)
    assert {c.phase for c in placement.criteria} == {2, 3, 4}
    assert len(placement.criteria_of(2)) == 3
    phase_3 = placement.criteria_of(3)
    assert len(phase_3) == 8  # seven dimensions and the use-case criterion
    assert next(c for c in phase_3 if c.dimension == "scalable_infrastructure").required == 60
    assert next(c for c in phase_3 if c.dimension == "talent").required == 50
    use_cases = next(c for c in phase_3 if c.kind == "use_cases")
    assert (use_cases.required, use_cases.actual, use_cases.met) == (3, 0, False)
    assert (
        next(c for c in placement.criteria_of(4) if c.dimension == "governance_risk").required == 75
    )


def test_the_use_case_criterion_reads_the_portfolio():
    scores = dims(55, scalable_infrastructure=65)
    assert place(REFERENCE, scores, [], 2).phase == 2
    assert place(REFERENCE, scores, [], 3).phase == 3


def test_readiness_is_the_share_of_the_next_gate_met_and_the_points_missing():
    placement = place(
        REFERENCE,
        dims(0, data_infrastructure=45, governance_risk=20, organizational_readiness=30),
        [],
        0,
    )
    assert placement.next_phase == 2
    assert placement.readiness == pytest.approx(1 / 3)
    assert placement.points_missing == pytest.approx(10 + 5)


def test_phase_4_has_no_next_phase_and_nothing_to_rank():
    placement = place(REFERENCE, dims(95), [], 5)
    assert placement.phase == 4
    assert placement.next_phase is None
    assert placement.next_phase_name is None
    assert placement.readiness is None
    assert placement.recommendations == ()


def test_question_gains_are_weight_times_room_to_grow_capped_at_one_level():
    questions = [
        QuestionState("a", "talent", 2, 50),  # room 50 → capped at 25
        QuestionState("b", "talent", 1, 90),  # room 10
        QuestionState("c", "talent", 1, None),  # no value: not counted
    ]
    gains = question_gains(questions, "talent")
    assert gains == {"a": pytest.approx(2 * 25 / 3), "b": pytest.approx(1 * 10 / 3)}


def test_recommendations_are_ranked_by_the_points_of_the_gap_they_close():
    questions = [
        QuestionState("di_quality", "data_infrastructure", 2, 25),
        QuestionState("di_stewardship", "data_infrastructure", 1, 25),
        QuestionState("gr_monitoring", "governance_risk", 2, 0),
        QuestionState("or_ai_literacy", "organizational_readiness", 1, 75),
    ]
    scores = dims(0, data_infrastructure=25, governance_risk=0, organizational_readiness=34)
    placement = place(REFERENCE, scores, questions, 0)
    ranked = placement.recommendations
    assert ranked, "recommendations are expected for dimensions short of the next gate"
    impacts = [r.impact for r in ranked]
    assert impacts == sorted(impacts, reverse=True)
    assert {r.dimension for r in ranked} <= {
        "data_infrastructure",
        "governance_risk",
        "organizational_readiness",
    }
    for r in ranked:  # never more than the gap it is meant to close
        criterion = next(c for c in placement.criteria_of(2) if c.dimension == r.dimension)
        assert r.impact <= criterion.gap + 1e-9


def test_a_recommendation_names_its_fastest_questions_first():
    questions = [
        QuestionState("di_quality", "data_infrastructure", 2, 0),
        QuestionState("di_stewardship", "data_infrastructure", 1, 75),
    ]
    placement = place(REFERENCE, dims(0, data_infrastructure=20), questions, 0)
    both = [
        r for r in placement.recommendations if {"di_quality", "di_stewardship"} <= set(r.questions)
    ]
    for r in both:
        assert r.questions.index("di_quality") < r.questions.index("di_stewardship")


def test_dimensions_already_at_the_next_gate_get_no_recommendation():
    scores = {**PHASE_2_EXACT, "data_infrastructure": 55, "talent": 10}
    placement = place(REFERENCE, dims(0, **scores), [], 0)
    assert (placement.phase, placement.next_phase) == (2, 3)
    assert any(r.dimension == "talent" for r in placement.recommendations)
    assert all(r.dimension != "data_infrastructure" for r in placement.recommendations)
