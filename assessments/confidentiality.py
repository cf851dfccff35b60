"""Confidentiality of answers (DESIGN §9): which groups of a breakdown client members see.

Executives answer candidly only if their colleagues cannot tell who said what. So a
breakdown shown to the organization's members (CoE lead, executives) by role, title,
business unit or respondent shows a group only when at least `min_group` submitted
respondents are in it. The smaller groups are merged into one "Other" group, scored
again from the merged respondents' answers (never an average of the groups' scores);
when "Other" itself has fewer than `min_group` respondents it is left out. A note says
how many groups and respondents were merged or left out. Consultants see every group.

Pure: pandas only, no Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .scoring import ScoringModel, breakdown

OTHER = "Other"
# The merged group's key when a real group is called "Other" (a business unit, say).
OTHER_MERGED = "Other (merged)"


@dataclass(frozen=True)
class GroupPlan:
    """What a breakdown shows: `shown` groups as they are, the `merged` ones together as
    the `other` group (None when there is none), the `left_out` ones not at all."""

    min_group: int
    shown: tuple = ()
    merged: tuple = ()
    left_out: tuple = ()
    merged_respondents: int = 0
    left_out_respondents: int = 0
    other: str | None = None

    @property
    def suppressed(self) -> bool:
        """Were any groups merged or left out (and so must the note be shown)?"""
        return bool(self.merged or self.left_out)

    def key_of(self, group) -> str | None:
        """The group a respondent of `group` is counted in, or None when left out."""
        if group in self.merged:
            return self.other
        if group in self.left_out:
            return None
        return group

    def note(self) -> str:
        """What was merged or left out, in a sentence or two ("" when nothing was)."""
        if not self.suppressed:
            return ""
        parts = []
        if self.merged:
            parts.append(
                _(
                    "Groups of fewer than %(min_group)s respondents are merged into "
                    "%(other)s to keep answers confidential: %(groups)s (%(respondents)s)."
                )
                % {
                    "min_group": self.min_group,
                    "other": other_label(),
                    "groups": _groups(len(self.merged)),
                    "respondents": _respondents(self.merged_respondents),
                }
            )
        if self.left_out:
            parts.append(
                _(
                    "Groups of fewer than %(min_group)s respondents are left out to keep "
                    "answers confidential (together still fewer than %(min_group)s): "
                    "%(groups)s (%(respondents)s)."
                )
                % {
                    "min_group": self.min_group,
                    "groups": _groups(len(self.left_out)),
                    "respondents": _respondents(self.left_out_respondents),
                }
            )
        return " ".join(parts)


def plan_groups(sizes: Mapping, min_group: int) -> GroupPlan:
    """Which groups to show, merge into "Other" or leave out, from each group's number
    of submitted respondents. Groups keep the order of `sizes`."""
    if min_group <= 1:
        return GroupPlan(min_group=min_group, shown=tuple(g for g, n in sizes.items() if n > 0))
    shown = tuple(g for g, n in sizes.items() if n >= min_group)
    small = tuple(g for g, n in sizes.items() if 0 < n < min_group)
    together = sum(sizes[g] for g in small)
    if not small:
        return GroupPlan(min_group=min_group, shown=shown)
    if together >= min_group:
        other = OTHER if OTHER not in shown else OTHER_MERGED
        return GroupPlan(
            min_group=min_group,
            shown=shown,
            merged=small,
            merged_respondents=together,
            other=other,
        )
    return GroupPlan(
        min_group=min_group, shown=shown, left_out=small, left_out_respondents=together
    )


def group_sizes(answers: pd.DataFrame, column: str) -> dict:
    """Submitted respondents per value of `column` ("" for none given), in first-seen order."""
    submitted = _submitted(answers)
    keys = submitted[column].fillna("")
    pairs = pd.DataFrame({"group": keys, "respondent": submitted["respondent"]})
    counts = pairs.drop_duplicates().groupby("group", sort=False).size()
    return {group: int(n) for group, n in counts.items()}


def merge_small_groups(
    answers: pd.DataFrame, column: str, min_group: int
) -> tuple[pd.DataFrame, GroupPlan]:
    """Submitted answers with `column` rewritten by the plan: small groups become the
    "Other" group, or their rows are dropped when "Other" is still too small."""
    submitted = _submitted(answers)
    plan = plan_groups(group_sizes(submitted, column), min_group)
    keys = submitted[column].fillna("")
    if not plan.suppressed:
        return submitted.assign(**{column: keys}), plan
    rewritten = keys.map(plan.key_of)
    merged = submitted.assign(**{column: rewritten})
    return merged[rewritten.notna()].reset_index(drop=True), plan


def confidential_breakdown(
    answers: pd.DataFrame, model: ScoringModel, column: str, min_group: int
) -> tuple[pd.DataFrame, GroupPlan]:
    """`scoring.breakdown` by `column` after merging the small groups (one assessment)."""
    merged, plan = merge_small_groups(answers, column, min_group)
    return breakdown(merged, model, column), plan


def level_counts(levels) -> list[tuple[int, int]]:
    """How many chose each level (levels nobody chose left out), lowest level first:
    what a misalignment shows instead of who chose what."""
    counts: dict[int, int] = {}
    for level in levels:
        counts[int(level)] = counts.get(int(level), 0) + 1
    return sorted(counts.items())


def _submitted(answers: pd.DataFrame) -> pd.DataFrame:
    if "submitted" not in answers:
        return answers
    return answers[answers["submitted"].astype(bool)]


def other_label(group: str = OTHER) -> str:
    """The merged group as people read it ("Other", German "Sonstige"); its key stays
    English."""
    if group == OTHER_MERGED:
        return _("Other (merged)")
    return _("Other")


def _groups(n: int) -> str:
    return ngettext("%(count)s group", "%(count)s groups", n) % {"count": n}


def _respondents(n: int) -> str:
    return ngettext("%(count)s respondent", "%(count)s respondents", n) % {"count": n}
