"""The reminder sweep (DESIGN §12) over many respondents: how long it takes to select and
claim the reminders due, and how many queries that is as the assessments multiply.

    .venv/bin/python perf/reminder_benchmark.py [--respondents 100000] [--assessments 500]
        [--compare 50] [--database-url postgres://...]

Two runs on a fresh database, each with the same number of respondents per assessment:
first `--compare` assessments, then `--assessments`. Every assessment is open and due in
2 days, so every respondent not submitted (9 in 10) is due the 2-day reminder: the worst
case. Respondents are inserted with bulk_create. The timed part is
`assessments.services.reminders_sweep` with a publish function that only counts: the
INSERT … SELECT per offset, the claim UPDATE and streaming the claimed ids, not the
sending. A second sweep at the same moment must find nothing.

Targets: the sweep over 100,000 respondents in 500 assessments under 10 s, and the same
number of queries for `--compare` assessments as for `--assessments`.

Without `--database-url` it runs on a throwaway SQLite file; with one (PostgreSQL, an
empty database of its own) it migrates it and deletes its rows when done.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--assessments", type=int, default=500)
    parser.add_argument(
        "--compare", type=int, default=50, help="assessments of the first, smaller run"
    )
    parser.add_argument("--database-url", default="", help="default: a throwaway SQLite file")
    parser.add_argument(
        "--target-seconds", type=float, default=10.0, help="fail above this (0: no check)"
    )
    return parser.parse_args(argv)


def setup(database_url: str) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="aism-reminder-bench-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="true",
        DATABASE_URL=database_url or f"sqlite:///{tmp / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp / "media"),
        LOG_LEVEL="WARNING",
        REDIS_URL="",
    )
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def clear() -> None:
    from assessments.models import Assessment, QuestionBank, ReminderSend, Respondent
    from organizations.models import Organization

    for model in (ReminderSend, Respondent, Assessment, QuestionBank, Organization):
        model.objects.filter(**_bench_filter(model)).delete()


def _bench_filter(model) -> dict:
    from assessments.models import QuestionBank

    if model is QuestionBank:
        return {"version": "bench"}
    return {}


def populate(assessments: int, per_assessment: int, now) -> int:
    from assessments.models import Assessment, QuestionBank, Respondent
    from organizations.models import Organization

    bank = QuestionBank.objects.create(
        version="bench", title="Bench", checksum="0" * 64, source="bench", definition={}
    )
    organizations = Organization.objects.bulk_create(
        [
            Organization(name=f"Bench {n}", industry="other", size_band="lt_250", region="europe")
            for n in range(max(1, assessments // 10))
        ]
    )
    due = (now + timedelta(days=2)).date()
    made = Assessment.objects.bulk_create(
        [
            Assessment(
                organization=organizations[n % len(organizations)],
                bank=bank,
                title=f"Bench {n}",
                due_date=due,
            )
            for n in range(assessments)
        ]
    )
    expires = now + timedelta(days=30)
    batch = []
    count = 0
    for assessment in made:
        for n in range(per_assessment):
            batch.append(
                Respondent(
                    assessment=assessment,
                    name=f"Executive {n}",
                    email=f"exec{n}@a{assessment.pk}.example",
                    role="cio",
                    token_expires_at=expires,
                    submitted_at=now if n % 10 == 9 else None,
                )
            )
            if len(batch) >= 5000:
                Respondent.objects.bulk_create(batch)
                count += len(batch)
                batch = []
    Respondent.objects.bulk_create(batch)
    return count + len(batch)


def timed_sweep(now) -> tuple[float, int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments import services

    published = [0]

    def publish(reminder_id, claim):
        published[0] += 1
        return True

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = services.reminders_sweep(now=now, publish=publish)
        seconds = time.perf_counter() - started
    assert result.queued == published[0] == result.claimed
    return seconds, len(queries), result


def run(assessments: int, per_assessment: int, now) -> dict:
    clear()
    started = time.perf_counter()
    respondents = populate(assessments, per_assessment, now)
    populated = time.perf_counter() - started
    seconds, queries, result = timed_sweep(now)
    again, again_queries, second = timed_sweep(now)
    clear()
    return {
        "assessments": assessments,
        "respondents": respondents,
        "populate_s": populated,
        "sweep_s": seconds,
        "queries": queries,
        "claimed": result.claimed,
        "again_s": again,
        "again_queries": again_queries,
        "again_claimed": second.claimed,
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    setup(args.database_url)
    from django.db import connection
    from django.utils import timezone

    per_assessment = max(1, args.respondents // args.assessments)
    now = timezone.now()
    print(
        f"database: {connection.vendor}; {per_assessment} respondents per assessment, "
        "9 in 10 not submitted, all due in 2 days"
    )
    rows = [run(n, per_assessment, now) for n in (args.compare, args.assessments)]
    print(
        f"{'assessments':>11} {'respondents':>11} {'claimed':>8} {'sweep s':>8} "
        f"{'queries':>7} {'again s':>8} {'again q':>7} {'again claimed':>13}"
    )
    for row in rows:
        print(
            f"{row['assessments']:>11} {row['respondents']:>11} {row['claimed']:>8} "
            f"{row['sweep_s']:>8.2f} {row['queries']:>7} {row['again_s']:>8.2f} "
            f"{row['again_queries']:>7} {row['again_claimed']:>13}"
        )
    small, large = rows
    ok = small["queries"] == large["queries"] and large["again_claimed"] == 0
    if args.target_seconds:
        ok = ok and large["sweep_s"] < args.target_seconds
    print(
        f"RESULT sweep {large['sweep_s']:.2f} s for {large['respondents']} respondents in "
        f"{large['assessments']} assessments (target < {args.target_seconds:g} s); queries "
        f"{small['queries']} for {small['assessments']} assessments, {large['queries']} for "
        f"{large['assessments']}: {'OK' if ok else 'FAILED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
