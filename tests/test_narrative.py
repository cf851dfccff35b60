"""The narrative summary (results.narrative) is generated from the numbers: findings are
sentences with their consequence, a dimension without enough answers is never ranked,
strengths and gaps never share a question, and derived figures add up as displayed."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation

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


# --- German: whole German sentences, numbers with a decimal comma -----------------------


def german_findings(**changes):
    with translation.override("de"):
        return findings(**changes)


def test_german_findings_are_german_sentences_with_german_numbers():
    peers = {"percentile": 71.0, "label": "Organisationen der Branche Fertigung", "size": 24}
    text = german_findings(peers=peers)
    assert text[0] == (
        "Mit einem KI-Skalierungsindex von 45,4/100 steht die Organisation auf Reifestufe 3, "
        "Operationalizing, und in Roadmap-Phase 2, Pilot Expansion: Der nächste Schritt ist "
        "Phase 3, Enterprise Rollout."
    )
    assert text[1] == (
        "Talent (25,0/100) ist die schwächste Dimension und blockiert Phase 3, die in jeder "
        "Dimension 50 Punkte verlangt."
    )
    assert text[2] == (
        "Ethics (30\u00a0% der Fragen beantwortet) hat zu wenige Antworten für einen Wert: "
        "Diese Dimension kann kein Phasenkriterium der Roadmap erfüllen, bis mehr "
        "Führungskräfte antworten."
    )
    assert text[3].startswith("2 von 5 Eintrittskriterien der Phase 3 sind erfüllt; es fehlen ")
    assert "Punkte in zwei Dimensionen und mehr Anwendungsfälle im Produktivbetrieb " in text[3]
    assert "(2 von 3 Anwendungsfällen)" in text[3]
    assert text[4] == (
        "Mit dem 71. Perzentil unter den Organisationen der Branche Fertigung "
        "(Vergleichsgruppe von 24) liegt die Organisation über dem Median der "
        "Vergleichsgruppe, mit Raum, die Spitze zu übernehmen."
    )
    joined = " ".join(text)
    for english in ("weakest", "percentile", "points", "use cases", "the organization"):
        assert english not in joined


def test_german_counts_plurals_and_the_extremes_in_words():
    lowest = german_findings(peers={"percentile": 0.0, "label": "Organisationen", "size": 5})
    assert any(f.startswith("Mit dem niedrigsten Wert unter den Organisationen") for f in lowest)
    many = german_findings(
        dimensions=DIMENSIONS[:1], next_criteria=[], peers=None,
        placement=Place(next_phase=None, next_phase_name=None),
        pitfalls=[{"title": "Datenqualität"}, {"title": "Technische Schulden"}],
        misaligned=1, knowledge_gaps=3,
    )  # fmt: skip
    assert (
        "Zwei bekannte Stolpersteine sind ausgelöst (Datenqualität und Technische Schulden): "
        "Jeder ist ein häufiger Grund, warum Pilotprojekte nicht skalieren; das "
        "Risikoregister nennt die Gegenmaßnahmen."
    ) in many
    assert (
        "Bei einer Frage weichen die Führungskräfte um 2 Stufen oder mehr voneinander ab: Der "
        "Wert dort mittelt unterschiedliche Sichtweisen, die abgestimmt werden müssen, bevor "
        "Entscheidungen darauf beruhen."
    ) in many
    assert many[-1] == (
        "Drei Fragen wurden mit „Weiß nicht“ beantwortet: Erst gilt es, die Antworten "
        "herauszufinden, dann darüber zu entscheiden."
    )
    assert many[0].endswith(
        "der letzten Phase: Jetzt gilt es, das Erreichte zu sichern und die Erträge zu messen."
    )
    assert many[-1] == (
        "Drei Fragen wurden mit „Weiß nicht“ beantwortet: Erst gilt es, die Antworten "
        "herauszufinden, dann darüber zu entscheiden."
    )
    assert many[0].endswith(
        "der letzten Phase: Jetzt gilt es, das Erreichte zu sichern und die Erträge zu messen."
    )
    with translation.override("de"):
        assert narrative.use_cases_phrase(1, 1) == "1 von 1 Anwendungsfall"
        nothing = narrative.findings(
            overall={"index": None, "level": None, "level_name": ""},
            dimensions=[], placement=Place(), next_criteria=[],
        )  # fmt: skip
    assert nothing == [
        "Noch keine Führungskraft hat Antworten abgesendet: Es gibt nichts zu bewerten."
    ]
