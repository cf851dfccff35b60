"""Scores per business unit (DESIGN §10): each unit scores the submitted answers of the
respondents of the unit *and of every unit below it*, with `scoring.score` itself, never
by averaging its children's scores. Pure: plain data and DataFrames in and out.

All units score in one call: every answer row is repeated once for each unit it rolls up
to (its respondent's unit and that unit's ancestors), with the unit as the "assessment"
being scored, so the cost grows with answers × depth, not with a query or a loop per unit.
Client members (DESIGN §9) see no scores of a unit with fewer than `min_group` submitted
respondents in its subtree: its row is *suppressed* (scores left out, with a flag).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from organizations.unit_tree import Unit, ancestors, tree_order

from .scoring import ScoringModel, score


@dataclass(frozen=True)
class UnitScores:
    unit: Unit
    depth: int  # 0 for a top unit
    respondents: int  # submitted respondents in the unit and below
    suppressed: bool  # below the confidentiality threshold: no scores shown
    index: float | None
    level: int | None
    dimensions: tuple[tuple[str, float | None], ...]  # (dimension key, score), bank order

    @property
    def indent(self) -> str:
        """What sets a sub-unit's name in under its parent's, in text."""
        return "· " * self.depth


def rolled_up_answers(
    answers: pd.DataFrame, respondent_units: Mapping[int, int | None], units: Mapping[int, Unit]
) -> pd.DataFrame:
    """The answers once per unit they count for, with "assessment" set to that unit and
    each copy of a respondent under its own id (scoring counts a respondent in one group)."""
    pairs = [
        (respondent, unit)
        for respondent, own in respondent_units.items()
        if own is not None
        for unit in ancestors(units, own)
    ]
    if not pairs:
        return answers.iloc[0:0].assign(assessment=pd.Series(dtype="int64"))
    mapping = pd.DataFrame(pairs, columns=["respondent", "unit"])
    mapping["copy"] = np.arange(len(mapping))
    # Only what the scores need: no role or free-text unit, so no breakdown is computed.
    needed = [c for c in ("respondent", "question", "kind", "level", "submitted") if c in answers]
    rows = answers[needed].merge(mapping, on="respondent", how="inner")
    rows = rows.drop(columns=["respondent"])
    return rows.rename(columns={"unit": "assessment", "copy": "respondent"})


def unit_scores(
    answers: pd.DataFrame,
    model: ScoringModel,
    units: Iterable[Unit],
    respondent_units: Mapping[int, int | None],
    min_group: int | None = None,
) -> list[UnitScores]:
    """Scores of every unit from its subtree's answers (one `score` call for all units).
    `answers`: one assessment's answers as `scoring.score` reads them; `respondent_units`:
    respondent → their unit (or None)."""
    ordered = tree_order(units)
    by_id = {unit.id: unit for unit, _ in ordered}
    rows = rolled_up_answers(answers, respondent_units, by_id)
    result = score(rows, model, assessments=list(by_id))
    overall = result.overall.set_index("assessment")
    dimensions = result.dimensions
    keys = list(model.dimensions["dimension"])
    per_unit = {
        unit_id: dict(zip(group["dimension"], group["score"], strict=True))
        for unit_id, group in dimensions.groupby("assessment")
    }
    scored = []
    for unit, depth in ordered:
        respondents = int(overall.loc[unit.id, "respondents"])
        suppressed = min_group is not None and 0 < respondents < min_group
        hidden = suppressed or respondents == 0
        index = overall.loc[unit.id, "index"]
        scored.append(
            UnitScores(
                unit=unit,
                depth=depth,
                respondents=respondents,
                suppressed=suppressed,
                index=None if hidden or np.isnan(index) else float(index),
                level=None if hidden else (int(overall.loc[unit.id, "level"]) or None),
                dimensions=tuple(
                    (key, None if hidden else _number(per_unit.get(unit.id, {}).get(key)))
                    for key in keys
                ),
            )
        )
    return scored


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
