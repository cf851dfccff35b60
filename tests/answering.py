"""Answering an assessment through the services, for the results, scores and export tests.

Every answer goes through `services.answer_save` and `services.respondent_submit`, the
same writes the questionnaire uses; what was given is also kept as plain `Given` rows,
so that tests can build the scoring table themselves instead of reading it back through
`selectors.answers_frame`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from assessments import services
from assessments.bank import load_bank_file
from assessments.models import Assessment, ExecutiveRole, Question, Respondent
from assessments.scoring import ScoringModel

from .factories import RespondentFactory

BANK_FILE = Path(__file__).resolve().parents[1] / "assessments" / "banks" / "2026.1.yaml"
ROLES = [r for r, _ in ExecutiveRole.choices]
UNITS = ["Group", "Group IT", "Plants", "Retail banking"]


@dataclass(frozen=True)
class Given:
    """One answer as a respondent gave it: value is 1–5, "na", "dont_know" or "" (no choice)."""

    assessment: int
    respondent: int
    question: str
    value: int | str
    submitted: bool
    role: str
    business_unit: str
    comment: str = ""
    evidence: str = ""


def bank_model() -> ScoringModel:
    """The scoring model read straight from the shipped bank file (not from the database)."""
    bank = load_bank_file(BANK_FILE)
    definition = {
        "maturity_levels": [vars(level) for level in bank.maturity_levels],
        "pitfalls": [vars(pitfall) for pitfall in bank.pitfalls],
        "dimensions": [
            {"key": d.key, "kind": d.kind, "title": d.title, "weight": d.weight}
            for d in bank.dimensions
        ],
    }
    questions = [
        {"key": q.key, "dimension": q.dimension, "weight": q.weight, "tags": list(q.tags)}
        for q in bank.questions
    ]
    return ScoringModel.from_definition(definition, questions)


def questions_of(assessment: Assessment) -> dict[str, Question]:
    return {q.key: q for q in Question.objects.filter(bank=assessment.bank).order_by("position")}


def give(
    respondent: Respondent,
    values: dict[str, int | str],
    *,
    comments: dict[str, str] | None = None,
    evidence: dict[str, str] | None = None,
    submit: bool = True,
    questions: dict[str, Question] | None = None,
) -> list[Given]:
    """Save `values` (question key → value) for the respondent, then submit unless told not."""
    questions = questions or questions_of(respondent.assessment)
    comments, evidence = comments or {}, evidence or {}
    for key, value in values.items():
        services.answer_save(
            respondent=respondent,
            question=questions[key],
            value=value,
            comment=comments.get(key, ""),
            evidence=evidence.get(key, ""),
            from_form=value == "",  # "" (a comment, no choice yet) only comes from forms
        )
    if submit:
        services.respondent_submit(respondent=respondent)
    return [
        Given(
            assessment=respondent.assessment_id,
            respondent=respondent.pk,
            question=key,
            value=value,
            submitted=submit,
            role=respondent.role,
            business_unit=respondent.business_unit,
            comment=comments.get(key, ""),
            evidence=evidence.get(key, ""),
        )
        for key, value in values.items()
    ]


def random_values(
    rng: random.Random,
    questions: dict[str, Question],
    *,
    skip: float = 0.08,
    dont_know: float = 0.07,
    not_applicable: float = 0.4,
    no_choice: float = 0.03,
) -> dict[str, int | str]:
    """A plausible, varied set of answers: mostly levels, some Don't know, N/A where the
    question allows it, a few left out and a few saved without a choice."""
    bias = rng.choice([-1, 0, 0, 1])
    values: dict[str, int | str] = {}
    for key, question in questions.items():
        roll = rng.random()
        if roll < skip:
            continue
        if roll < skip + dont_know:
            values[key] = "dont_know"
        elif roll < skip + dont_know + no_choice:
            values[key] = ""
        elif question.allow_na and rng.random() < not_applicable:
            values[key] = "na"
        else:
            values[key] = max(1, min(5, rng.randint(1, 5) + bias))
    if not any(isinstance(v, int) for v in values.values()):
        values[next(iter(questions))] = 3  # submitting needs at least one answer
    return values


def all_levels(rng: random.Random, questions: dict[str, Question]) -> dict[str, int]:
    """A level for every question of the bank."""
    return {key: rng.randint(1, 5) for key in questions}


def add_respondents(
    assessment: Assessment,
    count: int,
    rng: random.Random,
    *,
    values=random_values,
    submit: bool = True,
    start: int = 0,
) -> list[Given]:
    """`count` respondents with varied roles and business units, each answering `values`."""
    questions = questions_of(assessment)
    given: list[Given] = []
    for n in range(start, start + count):
        respondent = RespondentFactory(
            assessment=assessment,
            name=f"Respondent {n:02d}",
            email=f"r{n}@acme.example",
            role=ROLES[n % len(ROLES)],
            title=f"Title {n}",
            business_unit=UNITS[n % len(UNITS)],
        )
        given += give(respondent, values(rng, questions), submit=submit, questions=questions)
    return given


def frame(given: list[Given]) -> pd.DataFrame:
    """The table `scoring.score` reads, built from what was given."""
    return pd.DataFrame(
        {
            "assessment": [g.assessment for g in given],
            "respondent": [g.respondent for g in given],
            "question": [g.question for g in given],
            "kind": ["level" if isinstance(g.value, int) else g.value for g in given],
            "level": [float(g.value) if isinstance(g.value, int) else np.nan for g in given],
            "submitted": [g.submitted for g in given],
            "role": [g.role for g in given],
            "business_unit": [g.business_unit for g in given],
        },
        columns=[
            "assessment",
            "respondent",
            "question",
            "kind",
            "level",
            "submitted",
            "role",
            "business_unit",
        ],
    )
