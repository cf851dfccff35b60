"""The narrative summary (results.narrative) is generated from the numbers: findings are
sentences with their consequence, a dimension without enough answers is never ranked,
strengths and gaps never share a question, and derived figures add up as displayed."""

from dataclasses import dataclass
from decimal import Decimal

from results import narrative
from roadmap.placement import displayed_gap, displayed_points_missing


@dataclass(frozen=True)
class Crit:
    kind: str
    dimension: str | None
    required: float
    actual: float | None
    met: bool
    insufficient: bool = False

    @property
    def gap(self) -> float:
        return max(0.0, self.required - (self.actual or 0.0))


@dataclass(frozen=True)
class Place:
    phase: int = 2
    phase_name: str = "Pilot Expansion"
    next_phase: int | None = 3
    next_phase_name: str | None = "Enterprise Rollout"


def dim(key, title, score, insufficient=False, coverage=1.0):
    return {"key": key, "title": title, "score": score, "insufficient": insufficient,
            "coverage": coverage}  # fmt: skip


DIMENSIONS = [
    dim("data_infrastructure", "Data infrastructure", 60.9),
    dim("talent", "Talent", 25.0),
    dim("governance_risk", "Governance", 56.25),
    dim("ethics", "Ethics", 10.0, insufficient=True, coverage=0.3),
]
CRITERIA = [
    Crit("dimension", "data_infrastructure", 50, 60.9, True),
    Crit("dimension", "talent", 50, 25.0, False),
    Crit("dimension", "governance_risk", 50, 56.25, True),
    Crit("dimension", "ethics", 50, 10.0, False, insufficient=True),
    Crit("use_cases", None, 3, 2, False),
]
OVERALL = {"index": 45.35, "level": 3, "level_name": "Operationalizing"}


def findings(**changes):
    args = {"overall": OVERALL, "dimensions": DIMENSIONS, "placement": Place(),
            "next_criteria": CRITERIA} | changes  # fmt: skip
    return narrative.findings(**args)


def test_the_weakest_dimension_is_named_with_what_it_blocks():
    text = findings()
    assert text[0] == (
        "With an AI scaling index of 45.4/100 the organization is at level 3, "
        "Operationalizing, and in roadmap phase 2, Pilot Expansion: the next step is phase 3, "
        "Enterprise Rollout."
    )
    assert text[1] == (
        "Talent (25.0/100) is the weakest dimension and blocks phase 3, which needs 50 in "
        "every dimension."
    )


def test_a_gate_with_different_thresholds_names_the_weakest_dimensions_own():
    criteria = [*CRITERIA[:2], Crit("dimension", "governance_risk", 60, 56.25, False)]
    assert findings(next_criteria=criteria)[1] == (
        "Talent (25.0/100) is the weakest dimension and blocks phase 3, which needs at least "
        "50 in this dimension."
    )


def test_a_dimension_without_enough_answers_is_never_weakest_nor_strongest():
    text = " ".join(findings(peers=None))
    assert "Ethics (10.0/100)" not in text
    assert "Ethics (30% of its questions answered) has not enough answers to score" in text
    assert [d["key"] for d in narrative.scored_dimensions(DIMENSIONS)] == [
        "data_infrastructure",
        "governance_risk",
        "talent",
    ]
    assert narrative.unscored_dimensions(DIMENSIONS) == [DIMENSIONS[3]]


def test_points_missing_is_the_sum_of_the_displayed_gaps_and_use_cases_read_as_a_count():
    criteria = [Crit("dimension", "a", 50, 45.85, False), Crit("dimension", "b", 50, 40.85, False)]
    # Shown: actual 45.9 and 40.9, gaps 4.1 and 9.1; the total shown is their sum, 13.2,
    # not the rounded sum of the unrounded gaps (13.3).
    assert [displayed_gap(c) for c in criteria] == [Decimal("4.1"), Decimal("9.1")]
    assert displayed_points_missing(criteria) == Decimal("13.2")
    assert narrative.use_cases_phrase(2, 3) == "2 of 3 use cases"
    assert any("2 of 3 use cases" in f for f in findings())


def test_peers_read_as_an_ordinal_with_their_meaning():
    peers = {"percentile": 71.0, "label": "Manufacturing organizations", "size": 24}
    text = findings(peers=peers, pitfalls=(), misaligned=0)
    assert (
        "At the 71st percentile among manufacturing organizations (cohort of 24), the "
        "organization is ahead of the median peer, with room to lead."
    ) in text
    lowest = " ".join(findings(peers={**peers, "percentile": 0.0}))
    assert "0th" not in lowest and "Below every peer among" in lowest


def test_at_most_five_findings_and_none_without_answers():
    assert len(findings(pitfalls=[{"title": "Data quality issues"}], misaligned=3,
                        knowledge_gaps=2)) == 5  # fmt: skip
    assert findings(overall={"index": None, "level": None, "level_name": ""}) == [
        "No executive has submitted answers yet: there is nothing to score."
    ]


def test_strengths_and_gaps_never_share_a_question():
    scores = [("a", 75), ("b", 60), ("c", 59.9), ("d", 40), ("e", 39.9), ("f", 0), ("g", None)]
    rows = [{"key": key, "score": score} for key, score in scores]
    highlights = narrative.question_highlights(rows, shown=3)
    assert [r["key"] for r in highlights.strengths] == ["a", "b"]
    assert [r["key"] for r in highlights.gaps] == ["f", "e"]
    middling = narrative.question_highlights([{"score": 50.0}, {"score": 50.0}])
    assert middling.none_qualify
