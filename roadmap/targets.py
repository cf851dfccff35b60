"""Targets (DESIGN §10): gap and progress of each target against the scores. Pure: plain
values in, dataclasses out.

Gap = target − score (None without a score). Progress toward the target: the share of
the way from the first assessment's score to the target covered by the current score
(None without both scores, or when the first score already met the target).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class TargetState:
    target_id: int
    unit: str  # the unit's name, or the organization's
    dimension: str
    dimension_title: str
    target: float
    due_date: date
    score: float | None  # the current score
    first_score: float | None  # the first assessment's score
    for_organization: bool = True  # False: the target of a business unit

    @property
    def gap(self) -> float | None:
        return None if self.score is None else self.target - self.score

    @property
    def met(self) -> bool:
        return self.gap is not None and self.gap <= 0

    @property
    def progress(self) -> float | None:
        if self.score is None or self.first_score is None or self.first_score >= self.target:
            return None
        share = (self.score - self.first_score) / (self.target - self.first_score)
        return max(0.0, min(1.0, share))

    def overdue(self, today: date) -> bool:
        return not self.met and self.due_date < today
