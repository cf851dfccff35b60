"""Scores per business unit (DESIGN §10), rolled up by re-scoring each unit's subtree:
`assessments.selectors.business_unit_scores` for one assessment, including its queries.

    .venv/bin/python perf/unit_rollup_benchmark.py [--units 50] [--per-unit 20]

On a throwaway SQLite database: an organization with `--units` units (a tree: a fifth of
them at the top, the rest spread under them), `--per-unit` submitted respondents in each
and every question of the shipped bank (47) answered: 50 × 20 × 47 = 47,000 answers.
A second organization with a tenth of the units (same respondents per unit) shows the
query count does not grow with the units. Target: under 300 ms (median of 5).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]


def build(units: int, per_unit: int, tag: str):
    from django.utils import timezone

    from assessments.models import Answer, Assessment, Question, QuestionBank, Respondent
    from organizations.models import BusinessUnit, Organization

    bank = QuestionBank.objects.first()
    organization = Organization.objects.create(name=f"Bench {tag}")
    assessment = Assessment.objects.create(organization=organization, bank=bank, title=tag)
    top = max(1, units // 5)
    tops = [
        BusinessUnit.objects.create(organization=organization, name=f"Top {n}") for n in range(top)
    ]
    created = list(tops)
    for n in range(units - top):
        created.append(
            BusinessUnit.objects.create(
                organization=organization, name=f"Unit {n}", parent=tops[n % top]
            )
        )
    now = timezone.now()
    respondents = Respondent.objects.bulk_create(
        Respondent(
            assessment=assessment,
            name=f"R{n}",
            email=f"r{n}@{tag}.example",
            role="cio",
            unit=created[n % len(created)],
            token=f"{tag}-{n}",
            token_expires_at=now,
            submitted_at=now,
        )
        for n in range(units * per_unit)
    )
    questions = list(Question.objects.filter(bank=bank).order_by("position"))
    Answer.objects.bulk_create(
        (
            Answer(respondent=r, question=q, kind="level", level=1 + (i + j) % 5)
            for i, r in enumerate(respondents)
            for j, q in enumerate(questions)
        ),
        batch_size=5000,
    )
    return assessment, len(questions)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--per-unit", type=int, default=20)
    parser.add_argument("--target-ms", type=float, default=300.0)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="aism-unit-bench-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp / "media"),
        LOG_LEVEL="WARNING",
        REDIS_URL="",
    )
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.selectors import business_unit_scores

    for command in ("migrate", "load_reference_data"):
        call_command(command, verbosity=0, stdout=io.StringIO())
    large, questions = build(args.units, args.per_unit, "large")
    small, _ = build(max(1, args.units // 10), args.per_unit, "small")
    business_unit_scores(large)  # warm the bank's scoring model
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        scored = business_unit_scores(large)
        timings.append((time.perf_counter() - started) * 1000)
    queries = {}
    for name, assessment in (("small", small), ("large", large)):
        with CaptureQueriesContext(connection) as captured:
            business_unit_scores(assessment)
        queries[name] = len(captured)
    answers = args.units * args.per_unit * questions
    median = statistics.median(timings)
    print(
        f"{args.units} units × {args.per_unit} respondents × {questions} questions "
        f"= {answers:,} answers; top unit rolls up {scored[0].respondents} respondents"
    )
    print(
        f"  roll-up with its queries: {median:.0f} ms, median of 5 (target < {args.target_ms:g} ms)"
    )
    print(
        f"  queries: {queries['small']} for {max(1, args.units // 10)} units, "
        f"{queries['large']} for {args.units} units"
    )
    ok = median < args.target_ms and queries["small"] == queries["large"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
