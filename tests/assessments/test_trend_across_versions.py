"""Trends across question bank versions compare like with like: older answers are carried
onto the newer questions through the bank's declared mapping (same, reworded, split,
merged), every point is scored on the questions both versions share, and the rest are
listed as new or retired."""

import html
import math
from io import StringIO

import pandas as pd
import pytest
from django.core.management import call_command

from assessments import selectors, services
from assessments.bank_mapping import Mapping, carry_forward, chain
from assessments.models import Assessment, Question, QuestionBank
from organizations.models import Organization

COLUMNS = ["assessment", "respondent", "question", "kind", "level", "role", "business_unit"]


def _answers(rows):
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["level"] = frame["level"].astype("float64")
    frame["submitted"] = True
    return frame


def _carried(mapping, rows) -> dict:
    frame = carry_forward(_answers(rows), mapping)
    return {
        (row.respondent, row.question): (row.kind, None if math.isnan(row.level) else row.level)
        for row in frame.itertuples()
    }


@pytest.mark.parametrize(
    ("change", "to", "answers", "expected"),
    [
        (
            "same",
            ["q_old"],
            [(1, 10, "q_old", "level", 3, "cio", "")],
            {(10, "q_old"): ("level", 3.0)},
        ),
        (
            "reworded",
            ["q_new"],
            [(1, 10, "q_old", "level", 4, "cio", ""), (1, 11, "q_old", "na", None, "cfo", "")],
            {(10, "q_new"): ("level", 4.0), (11, "q_new"): ("na", None)},
        ),
        (
            "split",
            ["q_a", "q_b"],
            [(1, 10, "q_old", "level", 2, "cio", "")],
            {(10, "q_a"): ("level", 2.0), (10, "q_b"): ("level", 2.0)},
        ),
        (
            "retired",
            [],
            [(1, 10, "q_old", "level", 5, "cio", "")],
            {},
        ),
    ],
)
def test_one_question_is_carried_by_its_change(change, to, answers, expected):
    mapping = Mapping.from_changes(
        "v1", "v2", [{"from": "q_old", "change": change, "to": to, "reason": "."}]
    )
    assert _carried(mapping, answers) == expected


def test_merged_questions_carry_the_mean_of_each_respondents_levels():
    mapping = Mapping.from_changes(
        "v1",
        "v2",
        [
            {"from": "q_x", "change": "merged", "to": ["q_xy"], "reason": "."},
            {"from": "q_y", "change": "merged", "to": ["q_xy"], "reason": "."},
        ],
    )
    carried = _carried(
        mapping,
        [
            (1, 10, "q_x", "level", 2, "cio", ""),
            (1, 10, "q_y", "level", 5, "cio", ""),
            (1, 11, "q_x", "na", None, "cfo", ""),
            (1, 11, "q_y", "na", None, "cfo", ""),
            (1, 12, "q_x", "dont_know", None, "ceo", ""),
            (1, 12, "q_y", "na", None, "ceo", ""),
            (1, 13, "q_x", "dont_know", None, "coo", ""),
            (1, 13, "q_y", "level", 3, "coo", ""),
        ],
    )
    assert carried == {
        (10, "q_xy"): ("level", 3.5),
        (11, "q_xy"): ("na", None),
        (12, "q_xy"): ("dont_know", None),
        (13, "q_xy"): ("level", 3.0),
    }


def test_mappings_chain_over_several_versions_and_stop_where_none_is_declared():
    declared = {
        "v2": ("v1", [{"from": "a", "change": "split", "to": ["b1", "b2"], "reason": "."}]),
        "v3": (
            "v2",
            [
                {"from": "b1", "change": "merged", "to": ["c"], "reason": "."},
                {"from": "b2", "change": "merged", "to": ["c"], "reason": "."},
            ],
        ),
    }
    assert chain(["v1", "v2", "v3"], declared).successors == {"a": ("c",)}
    assert chain(["v0", "v1"], declared) is None


# --- the demo: 2026.1 assessments and a 2026.2 re-assessment --------------------------


@pytest.mark.django_db
def test_the_demo_trend_across_2026_1_and_2026_2_compares_the_shared_questions():
    call_command("load_demo_data", stdout=StringIO())
    organization = Organization.objects.get(name="Northwind Manufacturing (demo)")
    reassessment = Assessment.objects.get(organization=organization, title="2026 re-assessment")
    baseline = organization.assessments.get(bank__version="2026.1")
    if baseline.is_open:
        services.assessment_close(assessment=baseline)

    points, comparison = selectors.organization_trend_compared(
        organization.pk, include=reassessment
    )

    assert {p["assessment"].bank.version for p in points} == {"2026.1", "2026.2"}
    assert comparison.version == "2026.2"
    new_bank = QuestionBank.objects.get(version="2026.2")
    new_keys = set(Question.objects.filter(bank=new_bank).values_list("key", flat=True))
    assert set(comparison.shared) | set(comparison.new) == new_keys
    assert comparison.new, "2026.2 adds questions 2026.1 never asked"
    assert not set(comparison.shared) & set(comparison.new)
    assert set(comparison.retired) == {"2026.1"}
    # Every point is scored on the same questions: the shared ones.
    for point in points:
        scored = set(point["summary"]["questions"])
        assert scored == set(comparison.shared)


@pytest.mark.django_db
def test_the_results_page_says_what_a_trend_across_versions_compares(client):
    call_command("load_demo_data", stdout=StringIO())
    organization = Organization.objects.get(name="Northwind Manufacturing (demo)")
    baseline = organization.assessments.get(bank__version="2026.1")
    if baseline.is_open:
        services.assessment_close(assessment=baseline)
    reassessment = organization.assessments.get(title="2026 re-assessment")
    client.force_login(organization.memberships.get(role="consultant").user)

    page = client.get(f"/assessments/{reassessment.pk}/results/")

    assert page.status_code == 200
    note = page.context["trend_note"]
    assert "different question bank versions" in note
    assert "2026.2 that 2026.1 also asked" in note
    assert html.escape(note) in page.content.decode()
