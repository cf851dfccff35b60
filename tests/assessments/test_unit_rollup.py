"""DESIGN §10: a unit's scores re-score the submitted answers of its whole subtree with
the scoring function (never an average of its children), under the §9 threshold."""

import numpy as np
import pandas as pd
import pytest

from assessments.scoring import score, summarize
from assessments.units import Unit, unit_scores
from tests.answering import bank_model

MODEL = bank_model()
KEYS = list(MODEL.questions["question"])

# Group ─┬─ Retail ── Retail online
#        ├─ Operations (nobody answered)
#        └─ Finance
UNITS = [
    Unit(1, "Group", None),
    Unit(2, "Retail", 1),
    Unit(3, "Retail online", 2),
    Unit(4, "Operations", 1),
    Unit(5, "Finance", 1),
]
# respondent → (unit, level pattern); every level differs so an average would show.
RESPONDENTS = {
    10: (1, 5),
    20: (2, 1),
    21: (2, 2),
    22: (2, 4),
    30: (3, 3),
    50: (5, 2),
    51: (5, 5),
    60: (None, 4),  # no unit: counts for no unit
}
SUBTREE = {1: [10, 20, 21, 22, 30, 50, 51], 2: [20, 21, 22, 30], 3: [30], 4: [], 5: [50, 51]}


def answers_of(respondents) -> pd.DataFrame:
    rows = []
    for respondent in respondents:
        _, base = RESPONDENTS[respondent]
        for position, key in enumerate(KEYS):
            level = (base + position) % 5 + 1
            dont_know = position % 11 == respondent % 11
            rows.append(
                {
                    "assessment": 7,
                    "respondent": respondent,
                    "question": key,
                    "kind": "dont_know" if dont_know else "level",
                    "level": np.nan if dont_know else float(level),
                    "submitted": True,
                    "role": "cio",
                    "business_unit": "",
                }
            )
    return pd.DataFrame(rows)


ALL = answers_of(RESPONDENTS)
UNIT_OF = {r: unit for r, (unit, _) in RESPONDENTS.items()}


@pytest.mark.parametrize(
    ("unit_id", "respondents", "suppressed_for_clients"),
    [
        (1, 7, False),  # the whole tree
        (2, 4, False),  # its own three and Retail online's one
        (3, 1, True),  # under the threshold of 3
        (4, 0, False),  # nobody: no scores, nothing to hide
        (5, 2, True),
    ],
)
def test_a_unit_scores_the_union_of_its_subtree_answers(
    unit_id, respondents, suppressed_for_clients
):
    consultants = {u.unit.id: u for u in unit_scores(ALL, MODEL, UNITS, UNIT_OF)}[unit_id]
    clients = {u.unit.id: u for u in unit_scores(ALL, MODEL, UNITS, UNIT_OF, min_group=3)}[unit_id]
    assert consultants.respondents == clients.respondents == respondents
    assert (consultants.suppressed, clients.suppressed) == (False, suppressed_for_clients)

    if not respondents:
        assert consultants.index is None
        assert all(s is None for _, s in consultants.dimensions)
        return
    union = answers_of(SUBTREE[unit_id])
    expected = summarize(score(union, MODEL, assessments=[7]), 7, MODEL)
    assert consultants.index == pytest.approx(expected["overall"]["index"])
    assert consultants.level == expected["overall"]["level"]
    assert [s for _, s in consultants.dimensions] == pytest.approx(
        [d["score"] for d in expected["dimensions"]]
    )
    if suppressed_for_clients:
        assert clients.index is None and all(s is None for _, s in clients.dimensions)
    else:
        assert clients.dimensions == consultants.dimensions


def test_a_parent_is_not_the_average_of_its_children():
    scored = {u.unit.id: u for u in unit_scores(ALL, MODEL, UNITS, UNIT_OF)}
    retail, online = dict(scored[2].dimensions), dict(scored[3].dimensions)
    own = summarize(score(answers_of([20, 21, 22]), MODEL, assessments=[7]), 7, MODEL)
    mean_of_parts = {d["key"]: (d["score"] + online[d["key"]]) / 2 for d in own["dimensions"]}
    assert any(retail[k] != pytest.approx(v) for k, v in mean_of_parts.items())


def test_units_come_in_tree_order_with_their_depth():
    scored = unit_scores(ALL, MODEL, UNITS, UNIT_OF)
    assert [(u.unit.name, u.depth) for u in scored] == [
        ("Group", 0),
        ("Finance", 1),
        ("Operations", 1),
        ("Retail", 1),
        ("Retail online", 2),
    ]
