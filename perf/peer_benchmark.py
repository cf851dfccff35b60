"""Peer comparison for one organization against 10,000 organizations' latest closed
assessments, on PostgreSQL, including the database query: `benchmarks.selectors.peer_frame`
+ `benchmarks.peers.compare` against a straightforward Python loop over model instances.
Checks both agree; prints the times and the ratio.

Run: .venv/bin/python perf/peer_benchmark.py [--organizations N] [--runs R]

The data lives in its own database (PERF_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/aism_perf; never the application's DATABASE_URL, so
10,000 synthetic organizations cannot land there), created and migrated when missing; the
organizations are created once and reused by later runs. Each has two closed
assessments, so "latest" has to be chosen.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/aism_perf"
PREFIX = "Perf peer "


def ensure_database(url: str) -> None:
    """Create the database if it does not exist (connecting to the server's `postgres`)."""
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_DEBUG", "true")  # a development secret is fine here
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def ensure_organizations(count: int, seed: int = 11) -> None:
    """`count` organizations across every industry, each with two closed assessments
    (the later one is what counts) and their frozen scores. Bulk inserts, done once."""
    from django.db import transaction
    from django.utils import timezone

    from assessments.bank import DIMENSION_KEYS
    from assessments.models import Assessment, QuestionBank, ScoreSnapshot
    from organizations.models import Industry, Organization

    existing = Organization.objects.filter(name__startswith=PREFIX).count()
    if existing >= count:
        return
    rng = random.Random(seed + existing)
    bank = QuestionBank.objects.first()
    industries = list(Industry.values)
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        organizations = Organization.objects.bulk_create(
            Organization(
                name=f"{PREFIX}{n:05d}",
                industry=industries[n % len(industries)],
                size_band="1000_4999",
                region="europe",
            )
            for n in range(existing, count)
        )
        assessments = Assessment.objects.bulk_create(
            Assessment(
                organization=o,
                bank=bank,
                title=title,
                status=Assessment.Status.CLOSED,
                closed_at=now - timedelta(days=days + rng.randint(0, 20)),
            )
            for o in organizations
            for title, days in (("2025", 400), ("2026", 30))
        )
        snapshots = []
        for a in assessments:
            dims = {k: rng.uniform(0, 100) if rng.random() > 0.02 else None for k in DIMENSION_KEYS}
            scored = [v for v in dims.values() if v is not None]
            index = sum(scored) / len(scored) if scored else None
            snapshots.append(
                ScoreSnapshot(
                    assessment=a,
                    organization_id=a.organization_id,
                    closed_at=a.closed_at,
                    index=index,
                    level=None if index is None else min(5, int(index // 20) + 1),
                    **dims,
                )
            )
        ScoreSnapshot.objects.bulk_create(snapshots, batch_size=5000)
    print(
        f"created {len(organizations):,} organizations, {len(assessments):,} closed "
        f"assessments in {time.perf_counter() - started:.1f} s"
    )


def vectorised(organization, scores: dict, keys: list[str]):
    """What the results page and the API run: one query into a DataFrame, then pandas."""
    from benchmarks import peers, selectors

    frame = selectors.peer_frame(
        exclude_organization=organization.pk,
        demo=organization.is_demo,
        industry=organization.industry,
    )
    return peers.compare(
        frame,
        organization=organization.pk,
        industry=organization.industry,
        scores=scores,
        keys=keys,
    )


def loop(organization, scores: dict, keys: list[str]) -> dict:
    """The straightforward way: iterate over model instances, keep each organization's
    latest snapshot in a dict, then rank and interpolate quartiles by hand."""
    from assessments.models import ScoreSnapshot

    latest = {}
    for snapshot in ScoreSnapshot.objects.select_related("organization"):
        org = snapshot.organization
        if org.pk == organization.pk or org.is_demo != organization.is_demo:
            continue
        kept = latest.get(org.pk)
        if kept is None or (snapshot.closed_at, snapshot.pk) > (kept.closed_at, kept.pk):
            latest[org.pk] = snapshot
    same = [s for s in latest.values() if s.organization.industry == organization.industry]
    cohort = same if len(same) >= 5 else list(latest.values())
    if len(cohort) < 5:
        return {"suppressed": True}
    result = {"size": len(cohort)}
    for key in keys:
        values = sorted(getattr(s, key) for s in cohort if getattr(s, key) is not None)
        if len(values) < 5:
            result[key] = None
            continue
        mine = scores[key]
        below = sum(1 for v in values if v < mine)
        equal = sum(1 for v in values if v == mine)
        result[key] = (
            100 * (below + equal / 2) / len(values),
            _quantile(values, 0.25),
            _quantile(values, 0.5),
            _quantile(values, 0.75),
        )
    return result


def _quantile(values: list[float], p: float) -> float:
    position = (len(values) - 1) * p
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def agree(comparison, expected: dict) -> bool:
    if comparison.suppressed or expected.get("suppressed"):
        return comparison.suppressed == bool(expected.get("suppressed"))
    stats = [comparison.overall, *comparison.dimensions]
    return comparison.size == expected["size"] and all(
        (expected[s.key] is None and s.median is None)
        or all(
            abs(a - b) < 1e-9
            for a, b in zip((s.percentile, s.q1, s.median, s.q3), expected[s.key], strict=True)
        )
        for s in stats
    )


def timed(function, runs: int):
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return result, statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizations", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7, help="timed runs; the median counts")
    args = parser.parse_args()
    url = os.environ.get("PERF_DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit("This benchmark measures PostgreSQL: set PERF_DATABASE_URL=postgres://…")
    ensure_database(url)
    setup_django(url)
    ensure_organizations(args.organizations)

    from django.db import connection

    from assessments.models import ScoreSnapshot
    from benchmarks.selectors import SCORE_KEYS
    from organizations.models import Organization

    subject = Organization.objects.filter(name__startswith=PREFIX).order_by("pk").first()
    own = ScoreSnapshot.objects.filter(organization=subject).order_by("-closed_at").first()
    keys = list(SCORE_KEYS)
    scores = {k: getattr(own, k) for k in keys}
    organizations = Organization.objects.filter(name__startswith=PREFIX).count()
    print(
        f"{organizations:,} organizations, {ScoreSnapshot.objects.count():,} closed assessments "
        f"(PostgreSQL {connection.cursor().connection.info.server_version // 10000}); "
        f"one {subject.industry} organization compared"
    )

    vectorised(subject, scores, keys)  # warm: connection, imports, plans
    comparison, fast = timed(lambda: vectorised(subject, scores, keys), args.runs)
    expected, slow = timed(lambda: loop(subject, scores, keys), 3)
    if not agree(comparison, expected):
        sys.exit("MISMATCH: the selector + pandas comparison and the loop differ")
    # Worst case: an industry with fewer than 5 organizations falls back to all of them.
    alone = SimpleNamespace(pk=subject.pk, is_demo=False, industry="no_such_industry")
    fallback, fast_all = timed(lambda: vectorised(alone, scores, keys), args.runs)
    expected_all, slow_all = timed(lambda: loop(alone, scores, keys), 3)
    if not agree(fallback, expected_all):
        sys.exit("MISMATCH in the all-industries fallback")

    for label, result, quick, looped in (
        ("industry cohort", comparison, fast, slow),
        ("all-industries fallback", fallback, fast_all, slow_all),
    ):
        print(f"{label}: {result.cohort}, {result.size:,} organizations")
        print(
            f"  selector + compare: {quick * 1000:.0f} ms, median of {args.runs} (target < 200 ms)"
        )
        print(f"  Python loop:        {looped * 1000:.0f} ms, median of 3")
        print(f"  ratio:              {looped / quick:.1f}× faster")
    print("percentiles, medians and quartiles identical (index and 7 dimensions): yes")


if __name__ == "__main__":
    main()
