"""DESIGN §3 and §5, table by table, on the pure scoring function (no database)."""

import math

import numpy as np
import pandas as pd
import pytest

from assessments.scoring import ScoringModel, maturity_level, question_score, score

BANDS = [
    {"level": 1, "name": "Exploring", "min": 0, "max": 20},
    {"level": 2, "name": "Experimenting", "min": 20, "max": 40},
    {"level": 3, "name": "Operationalizing", "min": 40, "max": 60},
    {"level": 4, "name": "Scaling", "min": 60, "max": 80},
    {"level": 5, "name": "Transforming", "min": 80, "max": 100},
]


def model(dimension_weights=(1, 1)) -> ScoringModel:
    """Dimension `data` has six questions of weight 1 (d1 tagged data_quality);
    dimension `people` has p1 (weight 2) and p2 (weight 1)."""
    questions = [
        {
            "key": f"d{i}",
            "dimension": "data",
            "weight": 1,
            "tags": ["data_quality"] if i == 1 else [],
        }
        for i in range(1, 7)
    ]
    questions += [
        {"key": "p1", "dimension": "people", "weight": 2, "tags": ["resistance"]},
        {"key": "p2", "dimension": "people", "weight": 1, "tags": []},
    ]
    definition = {
        "dimensions": [
            {"key": "data", "kind": "challenge", "title": "Data", "weight": dimension_weights[0]},
            {"key": "people", "kind": "pillar", "title": "People", "weight": dimension_weights[1]},
        ],
        "maturity_levels": BANDS,
        "pitfalls": [
            {"key": "data_quality", "title": "Data quality issues", "mitigation": "Validate"},
            {"key": "resistance", "title": "Resistance to change", "mitigation": "Change mgmt"},
        ],
    }
    return ScoringModel.from_definition(definition, questions)


def answers(*rows, assessment=1) -> pd.DataFrame:
    """rows: (respondent, question, value[, submitted[, role]]) with value 1..5, "na",
    "dont_know"."""
    records = []
    for row in rows:
        respondent, question, value, *rest = row
        submitted = rest[0] if rest else True
        role = rest[1] if len(rest) > 1 else "cio"
        is_level = isinstance(value, int)
        records.append(
            {
                "assessment": assessment,
                "respondent": respondent,
                "question": question,
                "kind": "level" if is_level else value,
                "level": float(value) if is_level else np.nan,
                "submitted": submitted,
                "role": role,
                "business_unit": "Group",
            }
        )
    return pd.DataFrame(records)


def dim(scores, key="data", assessment=1) -> dict:
    table = scores.dimensions
    return table[(table.assessment == assessment) & (table.dimension == key)].iloc[0].to_dict()


def q(scores, key, assessment=1) -> dict:
    table = scores.questions
    return table[(table.assessment == assessment) & (table.question == key)].iloc[0].to_dict()


def overall(scores, assessment=1) -> dict:
    return scores.overall.set_index("assessment").loc[assessment].to_dict()


def nan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@pytest.mark.parametrize(
    ("level", "expected"), [(1, 0.0), (2, 25.0), (2.5, 37.5), (3, 50.0), (4, 75.0), (5, 100.0)]
)
def test_question_score_maps_levels_onto_0_to_100(level, expected):
    assert question_score(level) == expected


@pytest.mark.parametrize(
    ("levels", "median"),
    [
        ([4], 4.0),  # one respondent: their level
        ([2, 3], 2.5),  # even count: mean of the middle two
        ([1, 5, 2, 4], 3.0),
        ([1, 2, 5], 2.0),  # odd count: the middle one, not the mean
        ([5, 5, 1, 1, 3], 3.0),
    ],
)
def test_the_organization_value_is_the_median_of_levels(levels, median):
    rows = [(r, "d1", level) for r, level in enumerate(levels)]
    scores = score(answers(*rows), model())
    assert q(scores, "d1")["value"] == median
    assert q(scores, "d1")["score"] == pytest.approx((median - 1) / 4 * 100)


def test_na_and_dont_know_are_left_out_of_the_median():
    scores = score(answers((1, "d1", 2), (2, "d1", "na"), (3, "d1", "dont_know")), model())
    assert q(scores, "d1")["value"] == 2.0


def test_a_question_only_marked_na_leaves_both_sides_of_coverage():
    rows = [(1, f"d{i}", 3) for i in range(1, 4)] + [(1, "d4", "na"), (2, "d4", "na")]
    result = dim(score(answers(*rows), model()))
    assert not q(score(answers(*rows), model()), "d4")["applicable"]
    # 3 answered of 5 applicable (d4 is not applicable; d5, d6 unanswered)
    assert result["coverage"] == pytest.approx(3 / 5)


def test_a_dimension_all_na_has_no_score_and_zero_coverage():
    rows = [(1, f"d{i}", "na") for i in range(1, 7)]
    result = dim(score(answers(*rows), model()))
    assert nan(result["score"])
    assert result["coverage"] == 0.0
    assert result["insufficient"]


@pytest.mark.parametrize(
    ("answered", "coverage", "insufficient"),
    [(2, 2 / 6, True), (3, 0.5, False), (4, 4 / 6, False), (6, 1.0, False)],
)
def test_coverage_under_50_percent_is_insufficient_evidence(answered, coverage, insufficient):
    rows = [(1, f"d{i}", 4) for i in range(1, answered + 1)]
    result = dim(score(answers(*rows), model()))
    assert result["coverage"] == pytest.approx(coverage)
    assert result["insufficient"] is insufficient
    assert result["score"] == 75.0  # insufficient dimensions are still scored and shown


def test_dont_know_counts_as_applicable_but_unanswered_and_is_counted_as_a_knowledge_gap():
    rows = [(1, "d1", 5), (1, "d2", "dont_know"), (2, "d2", "dont_know"), (1, "d3", "dont_know")]
    result = dim(score(answers(*rows), model()))
    assert result["score"] == 100.0
    assert result["coverage"] == pytest.approx(1 / 6)
    assert result["dont_know"] == 3


def test_question_weights_other_than_1_weight_the_dimension_mean():
    # p1 (weight 2) at level 5 = 100, p2 (weight 1) at level 1 = 0
    result = dim(score(answers((1, "p1", 5), (1, "p2", 1)), model()), "people")
    assert result["score"] == pytest.approx(200 / 3)


def test_weights_count_in_coverage_too():
    result = dim(score(answers((1, "p1", 3), (1, "p2", "dont_know")), model()), "people")
    assert result["coverage"] == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("levels", "spread", "misaligned"),
    [([2, 4], 2, True), ([2, 3], 1, False), ([1, 5, 3], 4, True), ([3, 3], 0, False)],
)
def test_a_spread_of_two_levels_or_more_is_a_misalignment(levels, spread, misaligned):
    rows = [(r, "d1", level) for r, level in enumerate(levels)]
    scores = score(answers(*rows), model())
    assert q(scores, "d1")["spread"] == spread
    assert bool(q(scores, "d1")["misaligned"]) is misaligned
    assert dim(scores)["misaligned"] == int(misaligned)


def test_alignment_is_the_mean_spread_over_questions_answered_by_two_or_more():
    rows = [(1, "d1", 1), (2, "d1", 4), (1, "d2", 2), (2, "d2", 3), (1, "d3", 5)]
    assert dim(score(answers(*rows), model()))["alignment"] == pytest.approx((3 + 1) / 2)


def test_a_dimension_with_nothing_answered_has_null_score_and_alignment():
    scores = score(answers((1, "p1", 4)), model())
    result = dim(scores, "data")
    assert nan(result["score"])
    assert nan(result["alignment"])
    assert result["coverage"] == 0.0
    assert result["insufficient"]


def test_a_draft_respondents_answers_never_count():
    rows = [(1, "d1", 5), (2, "d1", 1, False), (2, "d2", 1, False)]
    scores = score(answers(*rows), model())
    assert q(scores, "d1")["value"] == 5.0
    assert nan(q(scores, "d2")["value"])
    assert overall(scores)["respondents"] == 1


def test_the_index_is_the_weighted_mean_of_dimension_scores_that_exist():
    rows = [(1, "d1", 5), (1, "p1", 1), (1, "p2", 1)]
    assert overall(score(answers(*rows), model((3, 1))))["index"] == pytest.approx(75.0)
    # a dimension without a score leaves the mean
    assert overall(score(answers((1, "d1", 4)), model((3, 1))))["index"] == pytest.approx(75.0)


def test_an_assessment_without_submitted_answers_has_no_index():
    scores = score(answers((1, "d1", 5, False)), model(), assessments=[1])
    result = overall(scores)
    assert nan(result["index"])
    assert result["level"] == 0
    assert result["level_name"] is None
    assert len(scores.dimensions) == 2


@pytest.mark.parametrize(
    ("index", "level", "name"),
    [
        (0.0, 1, "Exploring"),
        (19.999, 1, "Exploring"),
        (20.0, 2, "Experimenting"),
        (39.99, 2, "Experimenting"),
        (40.0, 3, "Operationalizing"),
        (59.9999, 3, "Operationalizing"),  # unrounded: 60.0 on screen, still level 3
        (60.0, 4, "Scaling"),
        (80.0, 5, "Transforming"),
        (100.0, 5, "Transforming"),
    ],
)
def test_maturity_bands_compare_unrounded_values(index, level, name):
    levels, names = maturity_level([index], pd.DataFrame(BANDS))
    assert (levels[0], names[0]) == (level, name)


@pytest.mark.parametrize(
    ("levels", "triggered"),
    [([2], True), ([1, 2, 5], True), ([2, 3], False), ([3], False), (["na"], False)],
)
def test_a_pitfall_triggers_when_a_tagged_question_is_valued_2_or_lower(levels, triggered):
    rows = [(r, "d1", level) for r, level in enumerate(levels)]
    pitfalls = score(answers(*rows), model()).pitfalls.set_index("pitfall")
    assert bool(pitfalls.loc["data_quality", "triggered"]) is triggered
    assert not pitfalls.loc["resistance", "triggered"]
    assert pitfalls.loc["data_quality", "mitigation"] == "Validate"


def test_scores_are_broken_down_by_role_with_the_same_median_rule():
    rows = [
        (1, "d1", 5, True, "ceo"),
        (2, "d1", 1, True, "cio"),
        (3, "d1", 2, True, "cio"),
    ]
    by_role = score(answers(*rows), model()).by_role
    data = by_role[by_role.dimension == "data"].set_index("role")
    assert data.loc["ceo", "score"] == 100.0
    assert data.loc["cio", "score"] == pytest.approx(question_score(1.5))
    assert data.loc["cio", "respondents"] == 2


def test_one_assessment_scores_the_same_alone_and_in_a_batch():
    first = answers((1, "d1", 2), (2, "d1", 5), (1, "p1", 3), assessment=1)
    second = answers((3, "d1", 4), (3, "p2", 1), assessment=2)
    alone = score(first, model())
    batch = score(pd.concat([first, second]), model())
    pd.testing.assert_frame_equal(
        alone.dimensions, batch.dimensions[batch.dimensions.assessment == 1].reset_index(drop=True)
    )
    assert overall(batch, 2)["index"] == pytest.approx((75.0 + 0.0) / 2)


def test_dimensions_come_in_the_bank_order():
    scores = score(answers((1, "p1", 3), (1, "d1", 3)), model())
    assert list(scores.dimensions.dimension) == ["data", "people"]
