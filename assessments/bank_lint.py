"""The bank linter: the quality rules a question bank is held to, as pure functions.

`lint(bank, ...)` returns, per rule, the problems found (empty: the rule holds). The rules
were written for bank 2026.2; `NOT_APPLICABLE` names the rules an older, immutable bank
was published without, with the reason, and tests/assessments/test_bank_lint.py checks
every bank file against every other rule (and that each declared exception still fails,
so the list stays true).
"""

from __future__ import annotations

import re
from collections import Counter

from .bank import Bank, count_words, unmapped_predecessors

MAX_ANCHOR_WORDS = 24
READING_MINUTES = (15, 25)
WORDS_PER_MINUTE = 230
PITFALL_QUESTIONS = (3, 6)
PITFALL_MIN_DIMENSIONS = 2
# Words that make a level unverifiable unless it says what, how and how often: an
# assessor cannot ask for evidence of "measured" or "continuously".
VAGUE_WORDS = re.compile(
    r"\b(measured|continuous(ly)?|regularly|periodically|best practices?|world-class|"
    r"as needed|appropriate(ly)?|mature)\b",
    re.IGNORECASE,
)
# A question joining two practices with " and " ("explain ... and is there human
# oversight?", "build, deploy and maintain") gets one answer for two things. Heuristic:
# " and " (an aside in commas allowed) followed by a verb of practice or an auxiliary.
PRACTICE_VERBS = (
    "approv|assess|audit|build|captur|check|clos|decid|deploy|document|enforc|explain|"
    "fed|feed|fix|fund|govern|hir|improv|integrat|keep|kept|maintain|manag|measur|monitor|"
    "operat|plan|prioriti|prov|publish|report|retain|retir|review|run|scal|select|shar|"
    "stop|test|track|train|updat|us"
)
AUXILIARIES = "is|are|does|do|can|has|have|was|were|will|did"
DOUBLE_BARRELLED = re.compile(
    rf"\band\b(?:,[^,]*,)?\s+(?:(?:{AUXILIARIES})\b|(?:{PRACTICE_VERBS})\w*)", re.IGNORECASE
)

RULES = (
    "five_levels",
    "distinct_anchors",
    "anchor_length",
    "observable_anchors",
    "single_practice_questions",
    "pitfall_balance",
    "weight_reasons",
    "reading_time",
    "recommended",
    "predecessor_mapped",
)

# (bank version, rule) → why the rule does not apply. Only for banks published before
# the rule existed: a published bank never changes, its successor fixes what it lacks.
NOT_APPLICABLE = {
    ("2026.1", "anchor_length"): (
        "Published with levels of up to 29 words; 2026.2 shortened them to fit 15-25 minutes."
    ),
    ("2026.1", "observable_anchors"): (
        "25 of 47 level-5 anchors say 'measured' and 13 'continuously' without saying what or "
        "how often; 2026.2 rewrote every level around an artefact, a frequency, an owner or "
        "a number."
    ),
    ("2026.1", "single_practice_questions"): (
        "The heuristic flags 16 question texts, among them the seven that ask about two "
        "practices at once (e.g. ec_transparency, or_adoption); 2026.2 splits or rewords "
        "each of them (see its predecessor mapping)."
    ),
    ("2026.1", "pitfall_balance"): (
        "Technical debt is tagged on 7 questions, scope creep and resistance to change on 3 "
        "each in one dimension; 2026.2 rebalances the tags."
    ),
    ("2026.1", "weight_reasons"): (
        "Its seven weights other than 1 were published without a rationale; 2026.2 states one "
        "for each of its weights."
    ),
    ("2026.1", "reading_time"): (
        "About 7,800 words, 34 minutes at 230 words a minute, with no stated reading time; "
        "2026.2 states 23 minutes."
    ),
    ("2026.1", "predecessor_mapped"): "The first published bank: it replaces none.",
}

# (bank version, question key) → why its text is not double-barrelled although the
# heuristic flags it. Add an entry only with a reason a reviewer would accept.
SINGLE_PRACTICE_EXCEPTIONS: dict[tuple[str, str], str] = {}


def lint(
    bank: Bank, *, recommended: set[str], predecessor: Bank | None = None
) -> dict[str, list[str]]:
    """Problems per rule. `recommended`: the question keys that at least one recommendation
    of the roadmap reference paired with this bank names; `predecessor`: the bank this one
    replaces, when it declares one."""
    questions = bank.questions
    return {
        "five_levels": [
            f"{q.key}: {len(q.levels)} levels" for q in questions if len(q.levels) != 5
        ],
        "distinct_anchors": _repeated_anchors(bank),
        "anchor_length": [
            f"{q.key} level {n}: {count_words(text)} words (at most {MAX_ANCHOR_WORDS})"
            for q in questions
            for n, text in enumerate(q.levels, start=1)
            if count_words(text) > MAX_ANCHOR_WORDS
        ],
        "observable_anchors": [
            f"{q.key} level {n}: '{match.group(0)}' says neither what nor how often"
            for q in questions
            for n, text in enumerate(q.levels, start=1)
            for match in VAGUE_WORDS.finditer(text)
        ],
        "single_practice_questions": [
            f"{q.key}: '{match.group(0)}' joins two practices in \"{q.text}\""
            for q in questions
            if (bank.version, q.key) not in SINGLE_PRACTICE_EXCEPTIONS
            and (match := DOUBLE_BARRELLED.search(q.text))
        ],
        "pitfall_balance": _pitfall_balance(bank),
        "weight_reasons": [
            f"{item.key}: weight {item.weight:g} without a weight_reason"
            for item in (*bank.dimensions, *questions)
            if item.weight != 1 and not item.weight_reason
        ],
        "reading_time": _reading_time(bank),
        "recommended": [
            f"{q.key}: no recommendation improves it" for q in questions if q.key not in recommended
        ],
        "predecessor_mapped": _predecessor_mapped(bank, predecessor),
    }


def _repeated_anchors(bank: Bank) -> list[str]:
    normal = Counter(" ".join(text.lower().split()) for q in bank.questions for text in q.levels)
    return [f"'{text}' appears {count} times" for text, count in normal.items() if count > 1]


def _pitfall_balance(bank: Bank) -> list[str]:
    low, high = PITFALL_QUESTIONS
    problems = []
    for pitfall in bank.pitfalls:
        tagged = [q for q in bank.questions if pitfall.key in q.tags]
        dimensions = {q.dimension for q in tagged}
        if not low <= len(tagged) <= high:
            problems.append(f"{pitfall.key}: tagged on {len(tagged)} questions ({low}-{high})")
        if len(dimensions) < PITFALL_MIN_DIMENSIONS:
            problems.append(
                f"{pitfall.key}: tagged in {len(dimensions)} dimension(s) "
                f"(at least {PITFALL_MIN_DIMENSIONS})"
            )
    return problems


def _reading_time(bank: Bank) -> list[str]:
    if bank.reading_time is None:
        return ["the bank states no reading_time"]
    low, high = READING_MINUTES
    minutes = bank.words / WORDS_PER_MINUTE
    problems = []
    if bank.reading_time.words_per_minute != WORDS_PER_MINUTE:
        problems.append(f"reading_time must be stated at {WORDS_PER_MINUTE} words a minute")
    if not low <= minutes <= high:
        problems.append(f"{bank.words} words take {minutes:.1f} minutes ({low}-{high})")
    return problems


def _predecessor_mapped(bank: Bank, predecessor: Bank | None) -> list[str]:
    if bank.predecessor is None:
        return ["the bank declares no predecessor"]
    if predecessor is None:
        return [f"predecessor bank {bank.predecessor.version} not found"]
    return [f"{key}: not mapped" for key in unmapped_predecessors(bank, predecessor)]
