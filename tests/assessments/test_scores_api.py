"""GET /api/v1/assessments/<id>/scores/ (DESIGN §3, §5): the documented shape, with the
same numbers as the pure scoring function on the same answers, from submitted
respondents only."""

import json
import math
import random
import statistics
from dataclasses import replace

import pytest
from drf_spectacular.generators import SchemaGenerator

from assessments import evidence, services
from assessments.models import Answer, Respondent
from assessments.scoring import score
from common.display import display_round

from ..answering import add_respondents, bank_model, frame, give, questions_of
from ..factories import RespondentFactory

pytestmark = pytest.mark.django_db

BANK_ORDER = [
    "data_infrastructure",
    "talent",
    "legacy_integration",
    "ethics_compliance",
    "scalable_infrastructure",
    "organizational_readiness",
    "governance_risk",
]
PITFALL_ORDER = ["data_quality", "scope_creep", "resistance_to_change", "technical_debt"]
TOP_KEYS = {
    "assessment",
    "bank_version",
    "provisional",
    "respondents_submitted",
    "overall",
    "dimensions",
    "pitfalls",
    "evidence_backed",
}
OVERALL_KEYS = {"index", "level", "level_name"}
DIMENSION_KEYS = {
    "key",
    "kind",
    "score",
    "coverage",
    "insufficient",
    "alignment",
    "dont_know",
    "misaligned_questions",
}
PITFALL_KEYS = {"key", "triggered", "mitigation"}


def _no_nan(constant):
    raise AssertionError(f"the response is not strict JSON: {constant}")


def scores_of(client, assessment) -> dict:
    response = client.get(f"/api/v1/assessments/{assessment.pk}/scores/")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content, parse_constant=_no_nan)


def _r(value, digits=1):
    """The documented rounding of a number that may be missing (NaN → null): decimal,
    half away from zero, as every surface shows it."""
    value = float(value)
    return None if math.isnan(value) else float(display_round(value, digits))


def expected_payload(given, assessment, *, provisional=True) -> dict:
    """The payload, computed by `scoring.score` on a table built from what was given."""
    model = bank_model()
    scores = score(frame(given), model, assessments=[assessment.pk])
    overall = scores.overall.set_index("assessment").loc[assessment.pk]
    questions = scores.questions[scores.questions["assessment"] == assessment.pk]
    dimensions = scores.dimensions[scores.dimensions["assessment"] == assessment.pk]
    pitfalls = scores.pitfalls[scores.pitfalls["assessment"] == assessment.pk]
    return {
        "assessment": assessment.pk,
        "bank_version": "2026.1",
        "provisional": provisional,
        "respondents_submitted": int(overall["respondents"]),
        "overall": {
            "index": _r(overall["index"]),
            "level": int(overall["level"]) or None,
            "level_name": overall["level_name"],
        },
        "dimensions": [
            {
                "key": d.dimension,
                "kind": d.kind,
                "score": _r(d.score),
                "coverage": _r(d.coverage, 2),
                "insufficient": bool(d.insufficient),
                "alignment": _r(d.alignment),
                "dont_know": int(d.dont_know),
                "misaligned_questions": list(
                    questions.loc[
                        questions["misaligned"] & (questions["dimension"] == d.dimension),
                        "question",
                    ]
                ),
            }
            for d in dimensions.itertuples()
        ],
        "pitfalls": [
            {"key": p.pitfall, "triggered": bool(p.triggered), "mitigation": p.mitigation}
            for p in pitfalls.itertuples()
        ],
        "evidence_backed": _evidence_backed(questions, dimensions, assessment, model),
    }


def _evidence_backed(questions, dimensions, assessment, model) -> dict:
    """Nothing verified (DESIGN §11): claims above 2 count as 2."""
    claimed = {q.question: None if math.isnan(q.value) else q.value for q in questions.itertuples()}
    backed = evidence.evidence_backed_scores(
        assessment.pk,
        claimed,
        {q.question for q in questions.itertuples() if not q.applicable},
        {},
        model,
    )
    overall = backed.overall.iloc[0]
    return {
        "overall": {
            "index": _r(overall["index"]),
            "level": int(overall["level"]) or None,
            "level_name": overall["level_name"],
        },
        "verified_questions": 0,
        "unverified_claims": sum(1 for v in claimed.values() if v is not None and v > 2),
        "dimensions": [
            {
                "key": d.dimension,
                "claimed": _r(d.score),
                "evidence_backed": _r(b.score),
                "difference": None
                if math.isnan(d.score) or math.isnan(b.score)
                else _r(d.score - b.score),
            }
            for d, b in zip(dimensions.itertuples(), backed.dimensions.itertuples(), strict=True)
        ],
    }


def by_hand(given) -> dict[str, float | None]:
    """Dimension scores from DESIGN §3 in plain Python (no pandas): medians of the
    submitted levels, question weights from the bank file."""
    model = bank_model()
    weights = dict(zip(model.questions["question"], model.questions["weight"], strict=True))
    dimension_of = dict(zip(model.questions["question"], model.questions["dimension"], strict=True))
    levels: dict[str, list[int]] = {}
    for g in given:
        if g.submitted and isinstance(g.value, int):
            levels.setdefault(g.question, []).append(g.value)
    result = {}
    for dimension in BANK_ORDER:
        valued = [
            (weights[q], (statistics.median(levels[q]) - 1) / 4 * 100)
            for q in weights
            if dimension_of[q] == dimension and q in levels
        ]
        total = sum(w for w, _ in valued)
        result[dimension] = sum(w * s for w, s in valued) / total if total else None
    return result


def assert_shape(payload: dict) -> None:
    assert set(payload) == TOP_KEYS
    assert set(payload["overall"]) == OVERALL_KEYS
    assert [d["key"] for d in payload["dimensions"]] == BANK_ORDER
    for dimension in payload["dimensions"]:
        assert set(dimension) == DIMENSION_KEYS
    assert [p["key"] for p in payload["pitfalls"]] == PITFALL_ORDER
    for pitfall in payload["pitfalls"]:
        assert set(pitfall) == PITFALL_KEYS


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


# --- the numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(("seed", "respondents"), [(1, 2), (7, 3), (2026, 6), (99, 9)])
def test_every_number_equals_the_pure_scoring_of_the_same_answers(
    logged_in, assessment, seed, respondents
):
    rng = random.Random(seed)
    given = add_respondents(assessment, respondents, rng)

    payload = scores_of(logged_in, assessment)

    assert_shape(payload)
    assert payload == expected_payload(given, assessment)
    assert payload["respondents_submitted"] == respondents
    # And the pure function itself agrees with the rule written out by hand.
    for dimension, expected in zip(payload["dimensions"], by_hand(given).values(), strict=True):
        if expected is None:
            assert dimension["score"] is None
        else:
            assert dimension["score"] == pytest.approx(expected, abs=0.05 + 1e-9)


def test_a_worked_example_gives_the_documented_numbers(logged_in, assessment):
    """Two executives on data infrastructure: di_quality (weight 2) at 1 and 2, the six
    other questions at 3 and 5; a third only says "Don't know" to di_realtime."""
    keys = [q for q in questions_of(assessment) if q.startswith("di_")]
    first = {k: (1 if k == "di_quality" else 3) for k in keys}
    second = {k: (2 if k == "di_quality" else 5) for k in keys}
    for n, values in enumerate([first, second, {"di_realtime": "dont_know"}]):
        respondent = RespondentFactory(assessment=assessment, email=f"x{n}@acme.example")
        give(respondent, values)

    payload = scores_of(logged_in, assessment)

    data = payload["dimensions"][0]
    # di_quality: median 1.5 → 12.5; the others: median 4 → 75; (2×12.5 + 6×75) / 8
    assert data == {
        "key": "data_infrastructure",
        "kind": "challenge",
        "score": 59.4,
        "coverage": 1.0,
        "insufficient": False,
        "alignment": 1.9,  # spreads 1 and six 2s: 13 / 7
        "dont_know": 1,
        "misaligned_questions": [k for k in keys if k != "di_quality"],
    }
    assert payload["overall"] == {"index": 59.4, "level": 3, "level_name": "Operationalizing"}
    assert payload["respondents_submitted"] == 3
    for other in payload["dimensions"][1:]:
        assert (other["score"], other["coverage"], other["insufficient"]) == (None, 0.0, True)
        assert other["alignment"] is None
    triggered = {p["key"]: p["triggered"] for p in payload["pitfalls"]}
    assert triggered == {
        "data_quality": True,  # di_quality's value 1.5 ≤ 2
        "scope_creep": False,
        "resistance_to_change": False,
        "technical_debt": False,
    }
    assert payload["pitfalls"][0]["mitigation"].lower().startswith("data validation pipelines")


def test_the_payload_has_exactly_the_documented_keys_and_types(logged_in, assessment):
    add_respondents(assessment, 3, random.Random(5))

    payload = scores_of(logged_in, assessment)

    assert_shape(payload)
    assert payload["assessment"] == assessment.pk
    assert payload["bank_version"] == "2026.1"
    assert payload["provisional"] is True
    assert isinstance(payload["overall"]["index"], float)
    assert isinstance(payload["overall"]["level"], int)
    assert isinstance(payload["overall"]["level_name"], str)
    for d in payload["dimensions"]:
        assert d["kind"] == ("challenge" if d["key"] in BANK_ORDER[:4] else "pillar")
        assert d["score"] == round(d["score"], 1)
        assert d["coverage"] == round(d["coverage"], 2)
        assert 0 <= d["coverage"] <= 1
        assert d["alignment"] is None or d["alignment"] == round(d["alignment"], 1)
        assert isinstance(d["insufficient"], bool)
        assert isinstance(d["dont_know"], int)
        assert all(isinstance(k, str) for k in d["misaligned_questions"])
    for p in payload["pitfalls"]:
        assert isinstance(p["triggered"], bool)
        assert p["mitigation"]


# --- whose answers count ----------------------------------------------------------------


def test_a_draft_respondents_answers_never_count(logged_in, assessment):
    given = add_respondents(assessment, 3, random.Random(11))
    before = scores_of(logged_in, assessment)

    questions = questions_of(assessment)
    keys = list(questions)
    extreme = {k: (1 if i % 2 else 5) for i, k in enumerate(keys)}
    extreme[keys[3]] = "dont_know"
    extreme.update({k: "na" for k, q in questions.items() if q.allow_na})
    draft = RespondentFactory(assessment=assessment, email="draft@acme.example", role="ceo")
    give(draft, extreme, submit=False)
    another = RespondentFactory(assessment=assessment, email="draft2@acme.example")
    give(another, {k: 1 for k in keys}, submit=False)

    after = scores_of(logged_in, assessment)

    assert after == before
    assert after == expected_payload(given, assessment)
    assert after["respondents_submitted"] == 3


def test_results_are_provisional_while_open_and_final_once_closed(logged_in, assessment):
    given = add_respondents(assessment, 2, random.Random(3))
    assert scores_of(logged_in, assessment)["provisional"] is True

    services.assessment_close(assessment=assessment)

    payload = scores_of(logged_in, assessment)
    assert payload["provisional"] is False
    assert payload == expected_payload(given, assessment, provisional=False)


def test_scores_served_again_follow_every_change_to_their_inputs(logged_in, assessment):
    """Scores are computed once per fingerprint of the submitted answers and served again
    while it holds: a new submission, an answer changed behind the services' back (no new
    updated_at) and a deleted respondent each reach the next read."""
    given = add_respondents(assessment, 2, random.Random(5))
    assert scores_of(logged_in, assessment) == expected_payload(given, assessment)
    assert scores_of(logged_in, assessment) == expected_payload(given, assessment)

    given += add_respondents(assessment, 1, random.Random(6), start=2)
    assert scores_of(logged_in, assessment) == expected_payload(given, assessment)

    target = next(g for g in given if isinstance(g.value, int))
    changed = 1 if target.value != 1 else 5
    Answer.objects.filter(respondent_id=target.respondent, question__key=target.question).update(
        level=changed
    )
    given = [replace(g, value=changed) if g == target else g for g in given]
    assert scores_of(logged_in, assessment) == expected_payload(given, assessment)

    Respondent.objects.filter(pk=given[0].respondent).delete()
    given = [g for g in given if g.respondent != given[0].respondent]
    payload = scores_of(logged_in, assessment)
    assert payload == expected_payload(given, assessment)
    assert payload["respondents_submitted"] == 2


def test_an_assessment_without_submissions_has_no_scores(logged_in, assessment):
    draft = RespondentFactory(assessment=assessment)
    give(draft, {k: 2 for k in questions_of(assessment)}, submit=False)

    payload = scores_of(logged_in, assessment)

    assert_shape(payload)
    assert payload["respondents_submitted"] == 0
    assert payload["provisional"] is True
    assert payload["overall"] == {"index": None, "level": None, "level_name": None}
    for d in payload["dimensions"]:
        assert d["score"] is None
        assert d["coverage"] == 0
        assert d["insufficient"] is True
        assert d["alignment"] is None
        assert d["dont_know"] == 0
        assert d["misaligned_questions"] == []
    assert not any(p["triggered"] for p in payload["pitfalls"])


def test_an_assessment_without_respondents_has_no_scores(logged_in, assessment):
    payload = scores_of(logged_in, assessment)

    assert_shape(payload)
    assert payload["overall"]["index"] is None
    assert [d["score"] for d in payload["dimensions"]] == [None] * 7
    assert [d["coverage"] for d in payload["dimensions"]] == [0] * 7


def test_a_dimension_with_only_na_and_unanswered_questions_has_no_score(logged_in, assessment):
    """Talent: ta_partners N/A, ta_hiring Don't know, ta_skills_gap saved without a
    choice, the rest left out; every other question answered."""
    questions = questions_of(assessment)
    others = {k: 4 for k in questions if not k.startswith("ta_")}
    talent = {"ta_partners": "na", "ta_hiring": "dont_know", "ta_skills_gap": ""}
    first = RespondentFactory(assessment=assessment, email="a@acme.example")
    second = RespondentFactory(assessment=assessment, email="b@acme.example")
    given = give(first, {**others, **talent})
    given += give(second, {**others, "ta_partners": "na"})

    payload = scores_of(logged_in, assessment)

    talent_scores = payload["dimensions"][1]
    assert talent_scores == {
        "key": "talent",
        "kind": "challenge",
        "score": None,
        "coverage": 0.0,
        "insufficient": True,
        "alignment": None,
        "dont_know": 1,
        "misaligned_questions": [],
    }
    # The index is the mean of the six dimensions that have a score (all 75), not
    # dragged down by the one that has none.
    assert payload["overall"] == {"index": 75.0, "level": 4, "level_name": "Scaling"}
    assert payload == expected_payload(given, assessment)


def test_not_applicable_questions_leave_the_coverage_denominator(logged_in, assessment):
    """di_realtime marked N/A by everyone: the other six cover the whole dimension."""
    values = {k: 3 for k in questions_of(assessment) if k.startswith("di_")}
    values["di_realtime"] = "na"
    for n in range(2):
        give(RespondentFactory(assessment=assessment, email=f"n{n}@acme.example"), values)

    data = scores_of(logged_in, assessment)["dimensions"][0]

    assert (data["score"], data["coverage"], data["insufficient"]) == (50.0, 1.0, False)
    assert data["alignment"] == 0.0


def test_the_openapi_schema_documents_the_same_shape():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    operation = schema["paths"]["/api/v1/assessments/{assessment_id}/scores/"]["get"]
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    components = schema["components"]["schemas"]
    assert body == {"$ref": "#/components/schemas/Scores"}
    # `assessor` is there for consultants once an assessor answered (tests/practice).
    assert set(components["Scores"]["properties"]) == TOP_KEYS | {"assessor"}
    assert set(components["Overall"]["properties"]) == OVERALL_KEYS
    assert set(components["DimensionScore"]["properties"]) == DIMENSION_KEYS
    assert set(components["Pitfall"]["properties"]) == PITFALL_KEYS
    assert components["DimensionScore"]["properties"]["score"]["nullable"] is True
    assert components["DimensionScore"]["properties"]["alignment"]["nullable"] is True
    assert components["Overall"]["properties"]["index"]["nullable"] is True
