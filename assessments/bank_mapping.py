"""Comparing assessments answered on different question bank versions, like with like.

A bank that replaces another says what became of each of its questions (its
`predecessor` changes: same, reworded, split, merged, retired). An older assessment's
answers are carried forward onto the newer bank's questions, and both are then scored
over the questions the two versions share; questions new in the newer version and
questions retired from the older one are listed instead of silently counted.

Pure: no Django. Answers are the table `assessments.scoring.score` reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import pandas as pd

# Answer kinds, as stored (assessments.models.Answer.Kind).
LEVEL, NOT_APPLICABLE, DONT_KNOW = "level", "na", "dont_know"


@dataclass(frozen=True)
class Mapping:
    """From the questions of an older version to those of a newer one (possibly over
    several versions): each older key to the newer keys it became."""

    old_version: str
    new_version: str
    successors: dict[str, tuple[str, ...]]

    @classmethod
    def from_changes(cls, old_version: str, new_version: str, changes: list[dict]) -> Mapping:
        """From a bank's stored predecessor changes ({"from", "change", "to"} each)."""
        return cls(
            old_version,
            new_version,
            {c["from"]: tuple(c["to"]) for c in changes if c["change"] != "retired"},
        )

    def then(self, later: Mapping) -> Mapping:
        """This mapping followed by `later` (older → middle → newer)."""
        return Mapping(
            self.old_version,
            later.new_version,
            {
                old: tuple(
                    dict.fromkeys(
                        new for middle in news for new in later.successors.get(middle, ())
                    )
                )
                for old, news in self.successors.items()
            },
        )

    def carried_keys(self) -> set[str]:
        """Newer questions that some older question flows into."""
        return {new for news in self.successors.values() for new in news}

    def retired(self, old_keys) -> list[str]:
        return [key for key in old_keys if not self.successors.get(key)]


def chain(versions: list[str], changes_by_version: dict[str, tuple[str, list[dict]]]):
    """The mapping from `versions[0]` to `versions[-1]` through each bank's declared
    predecessor, or None when a version in between declares none.

    `changes_by_version`: newer version → (its predecessor's version, its changes)."""
    mapping = None
    for older, newer in pairwise(versions):
        predecessor, changes = changes_by_version.get(newer, (None, []))
        if predecessor != older:
            return None
        step = Mapping.from_changes(older, newer, changes)
        mapping = step if mapping is None else mapping.then(step)
    return mapping


def carry_forward(answers: pd.DataFrame, mapping: Mapping) -> pd.DataFrame:
    """The older assessment's answers as answers to the newer questions.

    Same, reworded and split: each successor gets the respondent's answer. Merged: the
    successor gets the mean of the respondent's levels on the questions merged into it
    (N/A when they marked all of those N/A, else Don't know when they gave no level).
    Answers to retired questions are dropped."""
    flows = [(old, new) for old, news in mapping.successors.items() for new in news]
    links = pd.DataFrame(flows, columns=["question", "successor"])
    carried = answers.merge(links, on="question", how="inner")
    carried = carried.drop(columns="question").rename(columns={"successor": "question"})
    keys = [c for c in answers.columns if c not in ("question", "kind", "level")]
    grouped = carried.groupby([*keys, "question"], dropna=False, sort=False)
    rows = grouped.agg(
        level=("level", "mean"),
        levels=("kind", lambda kinds: (kinds == LEVEL).sum()),
        not_applicable=("kind", lambda kinds: (kinds == NOT_APPLICABLE).all()),
    ).reset_index()
    rows["kind"] = DONT_KNOW
    rows.loc[rows["not_applicable"], "kind"] = NOT_APPLICABLE
    rows.loc[rows["levels"] > 0, "kind"] = LEVEL
    rows.loc[rows["kind"] != LEVEL, "level"] = float("nan")
    return rows[list(answers.columns)].reset_index(drop=True)


@dataclass(frozen=True)
class Comparison:
    """What a trend across versions compares on, and what it leaves out."""

    version: str  # the version every point is scored on
    shared: tuple[str, ...]  # its questions every older version flows into
    new: tuple[str, ...]  # its questions no older version has
    retired: dict[str, tuple[str, ...]]  # older version → its questions with no successor
