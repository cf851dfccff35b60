"""Score 10,000 assessments × 5 respondents × 50 questions through `assessments.scoring.score`
and through a straightforward per-answer Python loop; check both agree; print time and ratio.

Run: .venv/bin/python perf/scoring_benchmark.py [--assessments N]
"""

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assessments.scoring import ScoringModel, score

DIMENSIONS = [
    "data_infrastructure",
    "talent",
    "legacy_integration",
    "ethics_compliance",
    "scalable_infrastructure",
    "organizational_readiness",
    "governance_risk",
]
QUESTIONS = 50
RESPONDENTS = 5


def build_model() -> ScoringModel:
    questions = [
        {
            "key": f"q{i:02d}",
            "dimension": DIMENSIONS[i % 7],
            "weight": 1 + (i % 3) * 0.5,
            "tags": ["data_quality"] if i % 11 == 0 else [],
        }
        for i in range(QUESTIONS)
    ]
    definition = {
        "dimensions": [{"key": d, "kind": "pillar", "title": d, "weight": 1} for d in DIMENSIONS],
        "maturity_levels": [
            {"level": n + 1, "name": f"L{n + 1}", "min": n * 20, "max": (n + 1) * 20}
            for n in range(5)
        ],
        "pitfalls": [{"key": "data_quality", "title": "Data quality", "mitigation": "m"}],
    }
    return ScoringModel.from_definition(definition, questions)


def build_answers(assessments: int, seed: int = 7) -> pd.DataFrame:
    """Random answers shaped like `assessments.selectors.answers_frame` builds them:
    question and kind as categoricals, levels as floats with NaN where not a level."""
    rng = np.random.default_rng(seed)
    n = assessments * RESPONDENTS * QUESTIONS
    kind_roll = rng.random(n)
    kind = np.where(kind_roll < 0.05, "dont_know", np.where(kind_roll < 0.08, "na", "level"))
    level = rng.integers(1, 6, n).astype("float64")
    level[kind != "level"] = np.nan
    keys = [f"q{i:02d}" for i in range(QUESTIONS)]
    return pd.DataFrame(
        {
            "assessment": np.repeat(np.arange(assessments), RESPONDENTS * QUESTIONS),
            "respondent": np.repeat(np.arange(assessments * RESPONDENTS), QUESTIONS),
            "question": pd.Categorical(np.tile(keys, assessments * RESPONDENTS), categories=keys),
            "kind": pd.Categorical(kind, categories=["level", "na", "dont_know"]),
            "level": level,
            "submitted": True,
        }
    )


def loop_scores(answers: pd.DataFrame, model: ScoringModel) -> dict:
    """The straightforward implementation: a loop over every answer into dictionaries, then
    DESIGN §3 question by question. Returns {assessment: (index, {dimension: (score,
    coverage, alignment, dont_know)})}."""
    weight = dict(zip(model.questions["question"], model.questions["weight"], strict=True))
    dim_of = dict(zip(model.questions["question"], model.questions["dimension"], strict=True))
    levels: dict = defaultdict(list)
    na: dict = defaultdict(int)
    dont_know: dict = defaultdict(int)
    for row in answers.itertuples(index=False):
        key = (row.assessment, row.question)
        if not row.submitted:
            continue
        if row.kind == "level":
            levels[key].append(row.level)
        elif row.kind == "na":
            na[key] += 1
        elif row.kind == "dont_know":
            dont_know[key] += 1
    result = {}
    for a in sorted(set(answers["assessment"])):
        dims = {}
        for d in DIMENSIONS:
            answered = applicable = weighted = spread_sum = spread_n = unknown = 0.0
            for q, dim in dim_of.items():
                if dim != d:
                    continue
                values = levels.get((a, q))
                unknown += dont_know.get((a, q), 0)
                if values:
                    value = statistics.median(values)
                    answered += weight[q]
                    applicable += weight[q]
                    weighted += weight[q] * (value - 1) / 4 * 100
                    if len(values) >= 2:
                        spread_sum += max(values) - min(values)
                        spread_n += 1
                elif not na.get((a, q)):
                    applicable += weight[q]
            dims[d] = (
                weighted / answered if answered else float("nan"),
                answered / applicable if applicable else 0.0,
                spread_sum / spread_n if spread_n else float("nan"),
                unknown,
            )
        scored = [v[0] for v in dims.values() if v[0] == v[0]]
        result[a] = (sum(scored) / len(scored) if scored else float("nan"), dims)
    return result


def same(scores, expected) -> bool:
    got = scores.overall.set_index("assessment")["index"]
    want_index = pd.Series({a: v[0] for a, v in expected.items()}).reindex(got.index)
    dims = scores.dimensions
    want = pd.DataFrame(
        [(a, d, *values) for a, (_, ds) in expected.items() for d, values in ds.items()],
        columns=["assessment", "dimension", "score", "coverage", "alignment", "dont_know"],
    )
    merged = dims.merge(want, on=["assessment", "dimension"], suffixes=("", "_loop"))
    return (
        len(merged) == len(dims)
        and np.allclose(got.to_numpy(), want_index.to_numpy(), equal_nan=True)
        and all(
            np.allclose(
                merged[c].to_numpy(float), merged[f"{c}_loop"].to_numpy(float), equal_nan=True
            )
            for c in ("score", "coverage", "alignment", "dont_know")
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assessments", type=int, default=10_000)
    args = parser.parse_args()
    model = build_model()
    answers = build_answers(args.assessments)
    print(
        f"{len(answers):,} answers: {args.assessments:,} assessments × {RESPONDENTS} × {QUESTIONS}"
    )

    timings = []
    for _ in range(5):
        started = time.perf_counter()
        scores = score(answers, model)
        timings.append(time.perf_counter() - started)
    vectorised = statistics.median(timings)

    started = time.perf_counter()
    expected = loop_scores(answers, model)
    looped = time.perf_counter() - started

    if not same(scores, expected):
        sys.exit("MISMATCH: the vectorised and loop scores differ")
    print(f"vectorised score(): {vectorised:.2f} s, median of 5 (target < 3 s)")
    print(f"per-answer loop:    {looped:.2f} s")
    print(f"ratio:              {looped / vectorised:.1f}× faster (target ≥ 20×)")
    print("scores identical (index, dimension score, coverage, alignment, don't know): yes")


if __name__ == "__main__":
    main()
