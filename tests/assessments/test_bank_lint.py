"""The bank linter, run on every bank file in assessments/banks/: five levels, distinct
and short observable anchors, one practice per question, balanced pitfall tags, a reason
for every weight other than 1, a reading time of 15-25 minutes, every question improved
by a recommendation, every question of the predecessor bank mapped.

A rule an older, immutable bank was published without is declared in
`bank_lint.NOT_APPLICABLE` with its reason; the declaration must stay true (the rule
still fails there) and may never cover the newest bank.
"""

from pathlib import Path

import pytest

from assessments import bank_lint
from assessments.bank import load_bank_file
from assessments.bank_lint import DOUBLE_BARRELLED, NOT_APPLICABLE, RULES, lint
from roadmap.reference import load_roadmap_file

ROOT = Path(__file__).resolve().parents[2]
BANK_FILES = sorted((ROOT / "assessments" / "banks").glob("*.yaml"))
ROADMAP_FILES = sorted(
    p for p in (ROOT / "roadmap" / "data").glob("*.yaml") if not p.stem.endswith(".de")
)
BANKS = {bank.version: bank for bank in map(load_bank_file, BANK_FILES)}
ROADMAPS = [load_roadmap_file(path) for path in ROADMAP_FILES]
NEWEST = max(BANKS, key=lambda v: tuple(int(p) for p in v.split(".")))


def _problems(version: str) -> dict[str, list[str]]:
    bank = BANKS[version]
    recommended = {
        key
        for roadmap in ROADMAPS
        if roadmap.bank_version == version
        for recommendation in roadmap.recommendations
        for key in recommendation.questions
    }
    predecessor = BANKS.get(bank.predecessor.version) if bank.predecessor else None
    return lint(bank, recommended=recommended, predecessor=predecessor)


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("version", sorted(BANKS))
def test_every_bank_file_passes_every_rule_that_applies_to_it(version, rule):
    problems = _problems(version)[rule]

    if (version, rule) in NOT_APPLICABLE:
        assert problems, f"{rule} now holds for {version}: remove it from NOT_APPLICABLE"
    else:
        assert problems == []


def test_rules_are_waived_only_for_older_banks_and_always_with_a_reason():
    assert NEWEST == "2026.2"
    for (version, rule), reason in NOT_APPLICABLE.items():
        assert version in BANKS and version != NEWEST
        assert rule in RULES
        assert len(reason.split()) >= 6


def test_each_bank_has_a_paired_roadmap_reference():
    assert {roadmap.bank_version for roadmap in ROADMAPS} == set(BANKS)


@pytest.mark.parametrize(
    "text",
    [
        "Can you explain AI-supported decisions, and is there meaningful human oversight?",
        "How much capacity do you have to build, deploy and maintain models?",
        "How are AI use cases selected, prioritized and, when necessary, stopped?",
        "Do you track and prove compliance over time?",
    ],
)
def test_the_heuristic_flags_a_question_joining_two_practices(text):
    assert DOUBLE_BARRELLED.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "How are production models monitored for accuracy, latency and drift?",
        "How is the environmental footprint of your AI workloads governed?",
        "Who is accountable for the quality and meaning of the key data?",
        "Is AI and data code held to the same engineering standards?",
    ],
)
def test_the_heuristic_leaves_nouns_joined_by_and_alone(text):
    assert not DOUBLE_BARRELLED.search(text)


def test_an_allow_listed_question_is_not_reported_and_each_exception_is_still_needed(
    monkeypatch,
):
    bank = BANKS["2026.1"]
    flagged = _problems("2026.1")["single_practice_questions"]
    key = flagged[0].split(":")[0]
    monkeypatch.setitem(
        bank_lint.SINGLE_PRACTICE_EXCEPTIONS, ("2026.1", key), "a reviewer's reason"
    )

    after = _problems("2026.1")["single_practice_questions"]

    assert len(after) == len(flagged) - 1
    assert not any(problem.startswith(f"{key}:") for problem in after)
    for (version, question), reason in bank_lint.SINGLE_PRACTICE_EXCEPTIONS.items():
        if (version, question) == ("2026.1", key):
            continue
        text = next(q.text for q in BANKS[version].questions if q.key == question)
        assert DOUBLE_BARRELLED.search(text), f"{question} no longer needs its exception"
        assert reason.strip()
    assert bank.version == "2026.1"
