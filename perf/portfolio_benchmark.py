"""The consultant's portfolio (DESIGN §11) for a consultant with many clients: the page
and GET /api/v1/portfolio/, server time and queries as the clients multiply.

    .venv/bin/python perf/portfolio_benchmark.py [--clients 200] [--compare 20]
        [--respondents 3] [--repeat 7] [--database-url postgres://...]

Two runs on a fresh database: first `--compare` client organizations, then `--clients`.
Each client has 3 assessments: two closed (frozen scores), the latest open with
`--respondents` executives who answered every question (scored on each request, as the
page does), a report ready and some audit entries. Rows are inserted with bulk_create.
The timed part is the whole request through Django's middleware (the test client, no
network): the median of `--repeat` requests after one warm-up.

Targets: page and API under 300 ms server time for `--clients`, and the same number of
queries for `--compare` clients as for `--clients`.

Without `--database-url` it runs on a throwaway SQLite file; with one (PostgreSQL, an
empty database of its own) it migrates it and deletes the bench rows of an earlier run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
URLS = ("/portfolio/", "/api/v1/portfolio/")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--compare", type=int, default=20)
    parser.add_argument("--respondents", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", default="", help="default: a throwaway SQLite file")
    parser.add_argument(
        "--target-ms", type=float, default=300.0, help="fail above this (0: no check)"
    )
    return parser.parse_args(argv)


def setup(database_url: str) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="aism-portfolio-bench-"))
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
    call_command("load_reference_data", stdout=StringIO())


def populate(consultant, start: int, count: int, respondents: int) -> None:
    """`count` more client organizations of `consultant`, numbered from `start`."""
    from datetime import timedelta

    from django.utils import timezone

    from assessments.models import Answer, Assessment, Question, Respondent, ScoreSnapshot
    from assessments.selectors import latest_bank
    from audit.models import AuditEntry
    from organizations.models import Membership, Organization, Role
    from reports.models import ReportRequest, ReportStatus

    bank = latest_bank()
    questions = list(Question.objects.filter(bank=bank).order_by("position"))
    dimensions = [d.key for d in bank.dimensions.order_by("position")]
    now = timezone.now()
    industries = ["manufacturing", "retail", "financial_services", "healthcare", "technology"]
    organizations = Organization.objects.bulk_create(
        [
            Organization(
                name=f"Client {n:04d}",
                industry=industries[n % len(industries)],
                size_band="from_1000",
                region="europe",
            )
            for n in range(start, start + count)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(user=consultant, organization=o, role=Role.CONSULTANT) for o in organizations]
    )
    assessments = []
    for organization in organizations:
        for age, status in ((700, "closed"), (350, "closed"), (10, "open")):
            assessments.append(
                Assessment(
                    organization=organization,
                    bank=bank,
                    title=f"Assessment {age}",
                    status=status,
                    closed_at=now - timedelta(days=age - 30) if status == "closed" else None,
                )
            )
    Assessment.objects.bulk_create(assessments)
    snapshots, people, reports = [], [], []
    for n, assessment in enumerate(assessments):
        level = 1 + (n % 4)
        if assessment.status == "closed":
            scores = {key: (level + (n % 2) - 1) * 25 for key in dimensions}
            snapshots.append(
                ScoreSnapshot(
                    assessment=assessment,
                    organization_id=assessment.organization_id,
                    closed_at=assessment.closed_at,
                    index=sum(scores.values()) / len(scores),
                    level=1 + min(4, int(sum(scores.values()) / len(scores) // 20)),
                    **scores,
                )
            )
            continue
        reports.append(
            ReportRequest(assessment=assessment, kind="full_assessment", status=ReportStatus.READY)
        )
        for r in range(respondents + 1):  # one more, not submitted
            people.append(
                Respondent(
                    assessment=assessment,
                    name=f"Executive {r}",
                    email=f"e{r}@a{assessment.pk}.example",
                    role="cio",
                    token_expires_at=now + timedelta(days=30),
                    submitted_at=now if r < respondents else None,
                )
            )
    ScoreSnapshot.objects.bulk_create(snapshots)
    ReportRequest.objects.bulk_create(reports)
    Respondent.objects.bulk_create(people, batch_size=2000)
    answers = [
        Answer(respondent=p, question=q, kind="level", level=1 + (p.pk + q.pk) % 5)
        for p in people
        if p.submitted_at
        for q in questions
    ]
    Answer.objects.bulk_create(answers, batch_size=5000)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(organization=o, action="answer.saved", summary="bench", created_at=now)
            for o in organizations
            for _ in range(5)
        ]
    )


def measure(client, url: str, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries)


def main(argv=None) -> int:
    args = parse_args(argv)
    setup(args.database_url)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from organizations.models import Organization

    # A database used before (PostgreSQL): start from no bench rows.
    Organization.objects.filter(name__startswith="Client ").delete()
    get_user_model().objects.filter(username="bench-consultant").delete()
    consultant = get_user_model().objects.create_user("bench-consultant")
    client = Client(HTTP_HOST="localhost")
    client.force_login(consultant)
    print(
        f"database: {connection.vendor}; 3 assessments per client (2 closed, the latest open "
        f"with {args.respondents} submitted executives scored on each request)"
    )
    print(f"{'clients':>7} {'url':<20} {'median ms':>9} {'queries':>7}")
    results = {}
    made = 0
    for clients in (args.compare, args.clients):
        populate(consultant, made, clients - made, args.respondents)
        made = clients
        for url in URLS:
            ms, queries = measure(client, url, args.repeat)
            results[(clients, url)] = (ms, queries)
            print(f"{clients:>7} {url:<20} {ms:>9.1f} {queries:>7}")
    same = all(results[(args.compare, u)][1] == results[(args.clients, u)][1] for u in URLS)
    fast = all(results[(args.clients, u)][0] < args.target_ms for u in URLS) or not args.target_ms
    print(
        f"queries independent of the clients: {'yes' if same else 'NO'}; "
        f"under {args.target_ms:.0f} ms at {args.clients} clients: {'yes' if fast else 'NO'}"
    )
    return 0 if same and fast else 1


if __name__ == "__main__":
    sys.exit(main())
