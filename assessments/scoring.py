"""Scoring (DESIGN §3 and §5): submitted answers in, scores out.

Pure: pandas and numpy only, no Django, no clock. Answers are counted into a dense
assessment × question × level array, from which medians, spreads and coverage
follow without a Python loop, so one assessment and ten thousand score the same
way (the benchmark in perf/ scores 2.5 million answers).

Inputs:

- ``answers``: a DataFrame with one row per respondent × question: ``assessment``
  (int), ``respondent``, ``question`` (key), ``kind`` ("level", "na", "dont_know"
  or "" for no choice), ``level`` (1–5, NaN unless kind is "level"), ``submitted``
  (bool) and, for the breakdowns, ``role`` and ``business_unit``. Rows of
  respondents who have not submitted, and of questions outside the bank, are ignored.
- ``model``: the bank as a `ScoringModel`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

LEVELS = 5
MISALIGNMENT_SPREAD = 2
MIN_COVERAGE = 0.5
PITFALL_MAX_LEVEL = 2
KINDS = ("level", "na", "dont_know")


@dataclass(frozen=True)
class ScoringModel:
    """What scoring needs from a question bank, as DataFrames in bank order."""

    questions: pd.DataFrame  # question, dimension, weight, tags (tuple of pitfall keys)
    dimensions: pd.DataFrame  # dimension, kind, title, weight
    bands: pd.DataFrame  # level, name, min, max (ascending)
    pitfalls: pd.DataFrame  # pitfall, title, mitigation

    @classmethod
    def from_definition(cls, definition: dict, questions: list[dict]) -> ScoringModel:
        """From a stored bank definition and its questions (key, dimension, weight, tags)."""
        return cls(
            questions=pd.DataFrame(
                {
                    "question": [q["key"] for q in questions],
                    "dimension": [q["dimension"] for q in questions],
                    "weight": [float(q["weight"]) for q in questions],
                    "tags": [tuple(q.get("tags") or ()) for q in questions],
                }
            ),
            dimensions=pd.DataFrame(
                {
                    "dimension": [d["key"] for d in definition["dimensions"]],
                    "kind": [d["kind"] for d in definition["dimensions"]],
                    "title": [d["title"] for d in definition["dimensions"]],
                    "weight": [float(d["weight"]) for d in definition["dimensions"]],
                }
            ),
            bands=pd.DataFrame(definition["maturity_levels"])[["level", "name", "min", "max"]]
            .sort_values("min")
            .reset_index(drop=True),
            pitfalls=pd.DataFrame(
                {
                    "pitfall": [p["key"] for p in definition["pitfalls"]],
                    "title": [p["title"] for p in definition["pitfalls"]],
                    "mitigation": [p["mitigation"] for p in definition["pitfalls"]],
                }
            ),
        )

    def dimension_matrix(self) -> np.ndarray:
        """Question × dimension indicator (1 where the question belongs to the dimension)."""
        position = pd.Index(self.dimensions["dimension"]).get_indexer(self.questions["dimension"])
        matrix = np.zeros((len(self.questions), len(self.dimensions)))
        matrix[np.arange(len(self.questions)), position] = 1.0
        return matrix

    def pitfall_matrix(self) -> np.ndarray:
        """Question × pitfall indicator (1 where the question is tagged with the pitfall)."""
        keys = list(self.pitfalls["pitfall"])
        matrix = np.zeros((len(self.questions), len(keys)), dtype=bool)
        for row, tags in enumerate(self.questions["tags"]):
            for tag in tags:
                matrix[row, keys.index(tag)] = True
        return matrix


@dataclass(frozen=True)
class Scores:
    """Results keyed by ``assessment``; rows follow the bank's order."""

    questions: pd.DataFrame  # assessment, question, dimension, weight, value, score, levels,
    #                          not_applicable, dont_know, applicable, spread, misaligned
    dimensions: pd.DataFrame  # assessment, dimension, kind, score, coverage, insufficient,
    #                           alignment, dont_know, misaligned
    overall: pd.DataFrame  # assessment, index, level, level_name, respondents
    pitfalls: pd.DataFrame  # assessment, pitfall, title, triggered, mitigation
    by_role: pd.DataFrame  # assessment, role, dimension, score, respondents
    by_business_unit: pd.DataFrame  # assessment, business_unit, dimension, score, respondents


def question_score(level):
    """``(level - 1) / 4 * 100``, for scalars and arrays."""
    return (level - 1) / 4 * 100


def score(answers: pd.DataFrame, model: ScoringModel, assessments=()) -> Scores:
    """Score every assessment in ``answers``, plus ``assessments`` that have no answers.

    1. Keep submitted respondents' answers to questions of the bank.
    2. Count levels, N/A and Don't know per assessment × question.
    3. Question values (medians), spreads and applicability from the counts.
    4. Dimension scores, coverage and alignment; the index and its band.
    5. Pitfalls, and dimension scores per respondent role and business unit.
    """
    table = _Answers.of(answers, model)
    ids, rows = _assessment_rows(table.assessment, np.asarray(assessments, dtype="int64"))
    counts = _Counts.of(table, rows, groups=len(ids), questions=len(model.questions))
    dims = _dimension_arrays(counts, model)
    index = overall_index(dims["score"], model)
    level, name = maturity_level(index, model.bands)
    return Scores(
        questions=_question_frame(ids, counts, model),
        dimensions=_dimension_frame(ids, dims, model),
        overall=pd.DataFrame(
            {
                "assessment": ids,
                "index": index,
                "level": level,
                "level_name": name,
                "respondents": _distinct_respondents(table.respondent, rows, len(ids)),
            }
        ),
        pitfalls=_pitfall_frame(ids, counts, model),
        by_role=_breakdown(table, model, "role"),
        by_business_unit=_breakdown(table, model, "business_unit"),
    )


def maturity_level(index, bands: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The band of each index value: min ≤ index < max, the top band including its max.

    Compares unrounded values. NaN (no index) gives level 0 and no name.
    """
    index = np.asarray(index, dtype="float64")
    mins = bands["min"].to_numpy(dtype="float64")
    position = np.clip(np.searchsorted(mins, index, side="right") - 1, 0, len(mins) - 1)
    missing = np.isnan(index)
    levels = np.where(missing, 0, bands["level"].to_numpy()[position]).astype("int64")
    names = np.where(missing, None, bands["name"].to_numpy(dtype=object)[position])
    return levels, names


# --- steps ----------------------------------------------------------------------------


def _assessment_rows(assessment: np.ndarray, extra: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted assessment ids (with `extra` ones) and each answer's row among them."""
    codes, uniques = pd.factorize(assessment, sort=True)
    ids = np.union1d(uniques, extra)
    return ids, np.searchsorted(ids, uniques)[codes]


def _distinct_respondents(respondent: np.ndarray, rows: np.ndarray, groups: int) -> np.ndarray:
    """Respondents per group (each respondent belongs to one group)."""
    codes, uniques = pd.factorize(respondent)
    group_of = np.zeros(len(uniques), dtype="int64")
    group_of[codes] = rows
    return np.bincount(group_of, minlength=groups)[:groups]


def _codes(values: pd.Series, categories) -> np.ndarray:
    """Position of each value in `categories`, -1 when absent (fast for categoricals)."""
    index = pd.Index(categories)
    if isinstance(values.dtype, pd.CategoricalDtype):
        mapping = np.append(index.get_indexer(values.cat.categories), -1)
        return mapping[values.cat.codes.to_numpy()]  # code -1 (missing) maps to the last
    return index.get_indexer(values)


@dataclass(frozen=True)
class _Answers:
    """The answers that count, as aligned arrays (question and kind as integer codes)."""

    assessment: np.ndarray
    respondent: np.ndarray
    question: np.ndarray
    kind: np.ndarray  # index into KINDS; -1 for no choice
    level: np.ndarray
    source: pd.DataFrame
    keep: np.ndarray | None  # None when every row counts

    @classmethod
    def of(cls, answers: pd.DataFrame, model: ScoringModel) -> _Answers:
        question = _codes(answers["question"], model.questions["question"])
        keep = question >= 0
        if "submitted" in answers:
            keep &= answers["submitted"].to_numpy(dtype=bool)
        mask = None if keep.all() else keep

        def column(values: np.ndarray) -> np.ndarray:
            return values if mask is None else values[mask]

        return cls(
            assessment=column(answers["assessment"].to_numpy(dtype="int64")),
            respondent=column(answers["respondent"].to_numpy()),
            question=column(question.astype("int64")),
            kind=column(_codes(answers["kind"], KINDS)),
            level=column(answers["level"].to_numpy(dtype="float64")),
            source=answers,
            keep=mask,
        )

    def column(self, name: str) -> np.ndarray | None:
        if name not in self.source:
            return None
        values = self.source[name].to_numpy()
        return values if self.keep is None else values[self.keep]


@dataclass
class _Counts:
    """Per group × question: level histogram (G×Q×5), N/A and Don't know counts (G×Q)."""

    levels: np.ndarray
    not_applicable: np.ndarray
    dont_know: np.ndarray

    @classmethod
    def of(cls, table: _Answers, rows: np.ndarray, *, groups: int, questions: int) -> _Counts:
        cell = rows * questions + table.question
        is_level = table.kind == 0
        level = table.level[is_level].astype("int64")
        if level.size and (level.min() < 1 or level.max() > LEVELS):
            raise ValueError("levels must be between 1 and 5")
        size = groups * questions
        histogram = np.bincount(
            cell[is_level] * LEVELS + level - 1, minlength=size * LEVELS
        ).reshape(groups, questions, LEVELS)
        return cls(
            levels=histogram,
            not_applicable=np.bincount(cell[table.kind == 1], minlength=size).reshape(
                groups, questions
            ),
            dont_know=np.bincount(cell[table.kind == 2], minlength=size).reshape(groups, questions),
        )

    @cached_property
    def answered(self) -> np.ndarray:
        return self.levels.sum(axis=2)

    @cached_property
    def value(self) -> np.ndarray:
        """Median level (the mean of the middle two for an even count); NaN when none."""
        cumulative = self.levels.cumsum(axis=2)
        n = cumulative[..., -1]

        def level_at(position):
            return 1 + (cumulative <= position[..., None]).sum(axis=2)

        median = (level_at((n - 1) // 2) + level_at(n // 2)) / 2
        return np.where(n > 0, median, np.nan)

    @cached_property
    def spread(self) -> np.ndarray:
        """Max − min level where two or more levels were given; NaN otherwise."""
        present = self.levels > 0
        lowest = present.argmax(axis=2)
        highest = LEVELS - 1 - present[..., ::-1].argmax(axis=2)
        return np.where(self.answered >= 2, highest - lowest, np.nan).astype("float64")

    @cached_property
    def applicable(self) -> np.ndarray:
        return ~((self.answered == 0) & (self.not_applicable >= 1))


def _weighted_mean(values: np.ndarray, weights: np.ndarray, matrix: np.ndarray):
    """Per row and column of ``matrix``: mean of ``values`` (NaN = no value) weighted by
    ``weights``; returns (mean, weight of the values that counted)."""
    has = ~np.isnan(values)
    counted = (has * weights) @ matrix
    total = (np.where(has, values, 0.0) * weights) @ matrix
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counted > 0, total / counted, np.nan), counted


def dimension_scores(
    values: np.ndarray, applicable: np.ndarray, model: ScoringModel
) -> tuple[np.ndarray, np.ndarray]:
    """Dimension scores and coverage from question values (rows × questions in bank
    order; NaN: no value) and applicability (§3). The what-if projection reuses it."""
    matrix = model.dimension_matrix()
    weights = model.questions["weight"].to_numpy()
    scores, answered_weight = _weighted_mean(question_score(values), weights, matrix)
    applicable_weight = (applicable * weights) @ matrix
    with np.errstate(invalid="ignore", divide="ignore"):
        coverage = np.where(applicable_weight > 0, answered_weight / applicable_weight, 0.0)
    return scores, coverage


def overall_index(dimension_scores: np.ndarray, model: ScoringModel) -> np.ndarray:
    """The index of each row of dimension scores: their weighted mean (NaN when none)."""
    return _weighted_index(dimension_scores, model.dimensions["weight"].to_numpy())


def _dimension_arrays(counts: _Counts, model: ScoringModel) -> dict[str, np.ndarray]:
    weights = model.questions["weight"].to_numpy()
    matrix = model.dimension_matrix()
    scores, coverage = dimension_scores(counts.value, counts.applicable, model)
    spread = counts.spread
    alignment, _ = _weighted_mean(spread, np.ones_like(weights), matrix)
    return {
        "score": scores,
        "coverage": coverage,
        "alignment": alignment,
        "dont_know": counts.dont_know @ matrix,
        "misaligned": (spread >= MISALIGNMENT_SPREAD) @ matrix,
    }


def _weighted_index(dimension_scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    index, _ = _weighted_mean(dimension_scores, weights, np.ones((len(weights), 1)))
    return index[:, 0]


def _question_frame(ids, counts: _Counts, model: ScoringModel) -> pd.DataFrame:
    n_ids, n_questions = len(ids), len(model.questions)
    value = counts.value.ravel()
    spread = counts.spread.ravel()
    return pd.DataFrame(
        {
            "assessment": np.repeat(ids, n_questions),
            "question": np.tile(model.questions["question"].to_numpy(), n_ids),
            "dimension": np.tile(model.questions["dimension"].to_numpy(), n_ids),
            "weight": np.tile(model.questions["weight"].to_numpy(), n_ids),
            "value": value,
            "score": question_score(value),
            "levels": counts.answered.ravel(),
            "not_applicable": counts.not_applicable.ravel(),
            "dont_know": counts.dont_know.ravel(),
            "applicable": counts.applicable.ravel(),
            "spread": spread,
            "misaligned": spread >= MISALIGNMENT_SPREAD,
        }
    )


def _dimension_frame(ids, dims: dict[str, np.ndarray], model: ScoringModel) -> pd.DataFrame:
    n_ids, n_dims = len(ids), len(model.dimensions)
    coverage = dims["coverage"].ravel()
    return pd.DataFrame(
        {
            "assessment": np.repeat(ids, n_dims),
            "dimension": np.tile(model.dimensions["dimension"].to_numpy(), n_ids),
            "kind": np.tile(model.dimensions["kind"].to_numpy(), n_ids),
            "score": dims["score"].ravel(),
            "coverage": coverage,
            "insufficient": coverage < MIN_COVERAGE,
            "alignment": dims["alignment"].ravel(),
            "dont_know": dims["dont_know"].ravel().astype("int64"),
            "misaligned": dims["misaligned"].ravel().astype("int64"),
        }
    )


def _pitfall_frame(ids, counts: _Counts, model: ScoringModel) -> pd.DataFrame:
    low = np.nan_to_num(counts.value, nan=np.inf) <= PITFALL_MAX_LEVEL
    triggered = (low.astype("int64") @ model.pitfall_matrix().astype("int64")) > 0
    n_ids, n_pitfalls = len(ids), len(model.pitfalls)
    return pd.DataFrame(
        {
            "assessment": np.repeat(ids, n_pitfalls),
            "pitfall": np.tile(model.pitfalls["pitfall"].to_numpy(), n_ids),
            "title": np.tile(model.pitfalls["title"].to_numpy(), n_ids),
            "triggered": triggered.ravel(),
            "mitigation": np.tile(model.pitfalls["mitigation"].to_numpy(), n_ids),
        }
    )


def breakdown(answers: pd.DataFrame, model: ScoringModel, group: str) -> pd.DataFrame:
    """Dimension scores per assessment × value of the `group` column, each scored from
    that group's submitted respondents' answers (as `score` does for by_role)."""
    return _breakdown(_Answers.of(answers, model), model, group)


def _breakdown(table: _Answers, model: ScoringModel, group: str) -> pd.DataFrame:
    """Dimension scores from one group of respondents at a time (same median rule)."""
    columns = ["assessment", group, "dimension", "score", "respondents"]
    values = table.column(group)
    if values is None or not len(values):
        return pd.DataFrame(columns=columns)
    keys = pd.DataFrame({"assessment": table.assessment, group: values}).fillna({group: ""})
    rows, uniques = pd.MultiIndex.from_frame(keys).factorize()
    counts = _Counts.of(table, rows, groups=len(uniques), questions=len(model.questions))
    scores, _ = _weighted_mean(
        question_score(counts.value), model.questions["weight"].to_numpy(), model.dimension_matrix()
    )
    sizes = _distinct_respondents(table.respondent, rows, len(uniques))
    n_dims = len(model.dimensions)
    frame = pd.DataFrame(
        {
            "assessment": np.repeat(uniques.get_level_values(0).to_numpy(), n_dims),
            group: np.repeat(uniques.get_level_values(1).to_numpy(), n_dims),
            "dimension": np.tile(model.dimensions["dimension"].to_numpy(), len(uniques)),
            "score": scores.ravel(),
            "respondents": np.repeat(sizes, n_dims),
        }
    )
    return frame.sort_values(["assessment", group], kind="stable").reset_index(drop=True)


# --- one assessment, for pages, the API and reports -----------------------------------


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def summarize(scores: Scores, assessment: int, model: ScoringModel) -> dict:
    """One assessment's results as plain data (unrounded; ``None`` for no value)."""
    overall = scores.overall.set_index("assessment").loc[assessment]
    questions = scores.questions[scores.questions["assessment"] == assessment]
    dimensions = scores.dimensions[scores.dimensions["assessment"] == assessment]
    pitfalls = scores.pitfalls[scores.pitfalls["assessment"] == assessment]
    titles = dict(zip(model.dimensions["dimension"], model.dimensions["title"], strict=True))
    tags = model.questions.set_index("question")["tags"]
    misaligned = questions.loc[questions["misaligned"]]
    low = questions.loc[questions["value"] <= PITFALL_MAX_LEVEL, "question"]
    return {
        "assessment": int(assessment),
        "respondents": int(overall["respondents"]),
        "overall": {
            "index": _number(overall["index"]),
            "level": int(overall["level"]) or None,
            "level_name": overall["level_name"],
        },
        "dimensions": [
            {
                "key": row.dimension,
                "title": titles[row.dimension],
                "kind": row.kind,
                "score": _number(row.score),
                "coverage": float(row.coverage),
                "insufficient": bool(row.insufficient),
                "alignment": _number(row.alignment),
                "dont_know": int(row.dont_know),
                "misaligned_questions": list(
                    misaligned.loc[misaligned["dimension"] == row.dimension, "question"]
                ),
            }
            for row in dimensions.itertuples()
        ],
        "questions": {
            row.question: {
                "dimension": row.dimension,
                "value": _number(row.value),
                "score": _number(row.score),
                "applicable": bool(row.applicable),
                "spread": _number(row.spread),
                "dont_know": int(row.dont_know),
                "not_applicable": int(row.not_applicable),
            }
            for row in questions.itertuples()
        },
        "pitfalls": [
            {
                "key": row.pitfall,
                "title": row.title,
                "triggered": bool(row.triggered),
                "mitigation": row.mitigation,
                "questions": [key for key in low if row.pitfall in tags[key]],
            }
            for row in pitfalls.itertuples()
        ],
        "by_role": group_rows(scores.by_role, assessment, "role"),
        "by_business_unit": group_rows(scores.by_business_unit, assessment, "business_unit"),
    }


def group_rows(table: pd.DataFrame, assessment: int, group: str) -> list[dict]:
    """A breakdown's rows of one assessment as plain data (summary["by_role"] ...)."""
    rows = table[table["assessment"] == assessment]
    return [
        {
            "group": getattr(row, group),
            "dimension": row.dimension,
            "score": _number(row.score),
            "respondents": int(row.respondents),
        }
        for row in rows.itertuples()
    ]
