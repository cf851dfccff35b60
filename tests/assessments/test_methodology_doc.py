"""docs/methodology.md stays true to the bank it explains: it names every question of the
newest bank, every change from its predecessor, each weight with its reason, and the
reading time the file states."""

from pathlib import Path

import pytest

from assessments.bank import load_bank_file

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")
BANK = load_bank_file(ROOT / "assessments" / "banks" / "2026.2.yaml")


@pytest.mark.parametrize("key", [q.key for q in BANK.questions])
def test_it_names_every_question_of_the_bank(key):
    assert f"`{key}`" in DOC


@pytest.mark.parametrize("change", BANK.predecessor.changes, ids=lambda c: c.predecessor)
def test_it_explains_every_change_from_the_predecessor(change):
    successors = ", ".join(f"`{key}`" for key in change.successors)
    assert f"| `{change.predecessor}` | {change.change} | {successors} | {change.reason} |" in DOC


@pytest.mark.parametrize(
    "question", [q for q in BANK.questions if q.weight != 1], ids=lambda q: q.key
)
def test_it_gives_each_weight_with_its_reason(question):
    assert f"| `{question.key}` | {question.weight:g} | {question.weight_reason} |" in DOC


def test_it_states_the_reading_time_of_the_file():
    words = f"{BANK.reading_time.words:,}"
    assert f"{words} words at 230 words a minute" in DOC
    assert f"reads in {BANK.reading_time.minutes} minutes" in DOC
