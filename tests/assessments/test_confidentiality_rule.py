"""The confidentiality rule itself (DESIGN §9), pure: which groups of a breakdown client
members see, what is merged into "Other" or left out, and that "Other" is scored again
from its respondents' answers, never averaged from the groups' scores."""

import numpy as np
import pandas as pd
import pytest

from assessments.confidentiality import (
    OTHER,
    OTHER_MERGED,
    GroupPlan,
    confidential_breakdown,
    group_sizes,
    level_counts,
    merge_small_groups,
    plan_groups,
)
from assessments.scoring import breakdown

from ..answering import bank_model

# (sizes: group → submitted respondents, min_group) → (shown, merged, left out, other)
CASES = [
    pytest.param({"A": 3, "B": 4}, 3, ("A", "B"), (), (), None, id="all-big-enough"),
    pytest.param({"A": 3, "B": 1, "C": 2}, 3, ("A",), ("B", "C"), (), OTHER, id="merged"),
    pytest.param({"A": 5, "B": 1}, 3, ("A",), (), ("B",), None, id="one-small-left-out"),
    pytest.param({"A": 2, "B": 2}, 3, (), ("A", "B"), (), OTHER, id="only-other"),
    pytest.param({"A": 1, "B": 1}, 3, (), (), ("A", "B"), None, id="other-too-small"),
    pytest.param({"A": 2}, 3, (), (), ("A",), None, id="one-group-of-two"),
    pytest.param({}, 3, (), (), (), None, id="nobody"),
    pytest.param({"A": 1, "B": 1}, 1, ("A", "B"), (), (), None, id="min-1-shows-all"),
    pytest.param({"A": 1, "B": 2}, 0, ("A", "B"), (), (), None, id="min-0-shows-all"),
    pytest.param({"A": 4, "B": 4}, 5, (), ("A", "B"), (), OTHER, id="min-5"),
    pytest.param({"A": 5, "B": 0, "C": 1}, 3, ("A",), (), ("C",), None, id="empty-ignored"),
    pytest.param(
        {OTHER: 3, "B": 2, "C": 1}, 3, (OTHER,), ("B", "C"), (), OTHER_MERGED, id="real-other"
    ),
    pytest.param(
        {"r1": 1, "r2": 1, "r3": 1, "r4": 1}, 3, (), ("r1", "r2", "r3", "r4"), (), OTHER,
        id="by-respondent",
    ),
    pytest.param({"": 3, "Plants": 2}, 3, ("",), (), ("Plants",), None, id="not-given-group"),
]  # fmt: skip


@pytest.mark.parametrize(("sizes", "min_group", "shown", "merged", "left_out", "other"), CASES)
def test_a_group_is_shown_only_with_enough_respondents(
    sizes, min_group, shown, merged, left_out, other
):
    plan = plan_groups(sizes, min_group)

    assert (plan.shown, plan.merged, plan.left_out, plan.other) == (
        shown,
        merged,
        left_out,
        other,
    )
    assert plan.merged_respondents == sum(sizes[g] for g in merged)
    assert plan.left_out_respondents == sum(sizes[g] for g in left_out)
    assert plan.suppressed == bool(merged or left_out)
    # Whatever is shown, on its own or as "Other", has enough respondents.
    threshold = max(min_group, 1)
    assert all(sizes[g] >= threshold for g in plan.shown)
    if plan.other is not None:
        assert plan.merged_respondents >= threshold


NOTES = [
    pytest.param({"A": 3}, 3, "", id="nothing-suppressed"),
    pytest.param(
        {"A": 3, "B": 1, "C": 2},
        3,
        "Groups of fewer than 3 respondents are merged into Other to keep answers "
        "confidential: 2 groups (3 respondents).",
        id="merged",
    ),
    pytest.param(
        {"A": 5, "B": 1},
        3,
        "Groups of fewer than 3 respondents are left out to keep answers confidential "
        "(together still fewer than 3): 1 group (1 respondent).",
        id="left-out",
    ),
]


@pytest.mark.parametrize(("sizes", "min_group", "note"), NOTES)
def test_the_note_says_how_many_groups_and_respondents(sizes, min_group, note):
    assert plan_groups(sizes, min_group).note() == note


def test_key_of_maps_each_group_to_where_its_respondents_are_counted():
    plan = plan_groups({"A": 3, "B": 1, "C": 2}, 3)
    assert [plan.key_of(g) for g in ("A", "B", "C")] == ["A", OTHER, OTHER]
    left = plan_groups({"A": 3, "B": 1}, 3)
    assert left.key_of("B") is None


def _answers(rows) -> pd.DataFrame:
    """rows: (respondent, business_unit, question, level, submitted)."""
    return pd.DataFrame(
        {
            "assessment": [1] * len(rows),
            "respondent": [r[0] for r in rows],
            "question": [r[2] for r in rows],
            "kind": ["level"] * len(rows),
            "level": [float(r[3]) for r in rows],
            "submitted": [r[4] for r in rows],
            "role": ["ceo"] * len(rows),
            "business_unit": [r[1] for r in rows],
        }
    )


def test_group_sizes_count_submitted_respondents_only():
    answers = _answers(
        [
            (1, "Plants", "di_quality", 1, True),
            (1, "Plants", "di_access", 2, True),
            (2, "Plants", "di_quality", 3, True),
            (3, "Plants", "di_quality", 5, False),  # still answering: not counted
            (4, None, "di_quality", 4, True),
        ]
    )

    assert group_sizes(answers, "business_unit") == {"Plants": 2, "": 1}


def test_other_is_scored_again_from_its_respondents_answers_not_averaged():
    """Three business units of one respondent each, on one question: levels 1, 1 and 5.
    "Other" has their median (1, a score of 0); the mean of the three units' scores
    would be 33."""
    model = bank_model()
    dimension = model.questions.set_index("question").loc["di_quality", "dimension"]
    answers = _answers(
        [
            (1, "Plants", "di_quality", 1, True),
            (2, "Retail", "di_quality", 1, True),
            (3, "Group IT", "di_quality", 5, True),
        ]
    )

    table, plan = confidential_breakdown(answers, model, "business_unit", 3)

    assert plan.merged == ("Plants", "Retail", "Group IT")
    assert set(table["business_unit"]) == {OTHER}
    row = table[table["dimension"] == dimension].iloc[0]
    assert row["score"] == 0.0
    assert row["respondents"] == 3
    by_unit = breakdown(answers, model, "business_unit")
    averaged = by_unit.loc[by_unit["dimension"] == dimension, "score"].mean()
    assert averaged == pytest.approx(100 / 3)


def test_left_out_groups_disappear_from_the_breakdown_only():
    model = bank_model()
    answers = _answers(
        [(n, "Retail", "di_quality", 3, True) for n in range(1, 4)]
        + [(4, "Plants", "di_quality", 1, True), (5, "Plants", "di_quality", 1, True)]
    )

    merged, plan = merge_small_groups(answers, "business_unit", 3)
    table, _ = confidential_breakdown(answers, model, "business_unit", 3)

    assert plan.left_out == ("Plants",)
    assert set(merged["business_unit"]) == {"Retail"}
    assert set(table["business_unit"]) == {"Retail"}
    assert len(answers) == 5  # the input (used for the overall scores) is untouched


def test_consultants_rule_min_group_1_keeps_every_group():
    model = bank_model()
    answers = _answers([(1, "Plants", "di_quality", 1, True), (2, "Retail", "di_quality", 5, True)])

    table, plan = confidential_breakdown(answers, model, "business_unit", 1)

    assert plan == GroupPlan(min_group=1, shown=("Plants", "Retail"))
    assert set(table["business_unit"]) == {"Plants", "Retail"}


@pytest.mark.parametrize(
    ("levels", "counts"),
    [
        ([2, 3, 5], [(2, 1), (3, 1), (5, 1)]),
        ([5, 1, 1, 5, 5], [(1, 2), (5, 3)]),
        ([], []),
        (np.array([4.0, 4.0]), [(4, 2)]),
    ],
)
def test_level_counts_say_how_many_chose_each_level(levels, counts):
    assert level_counts(levels) == counts
