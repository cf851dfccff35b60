"""What-if recompute (DESIGN §10) for one assessment, in-process from request to
response: `POST /api/v1/assessments/<id>/what-if/` through Django's test client (the
whole middleware stack, authentication, the policy check, reading and scoring the
answers, the projection and the cheapest path, the JSON response).

    .venv/bin/python perf/what_if_benchmark.py [--requests 50]

Runs on a throwaway SQLite database with the reference data and the demo organization
(`load_demo_data`); each request changes a different set of five questions.
Target: median under 100 ms.
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--target-ms", type=float, default=100.0)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="aism-what-if-bench-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp / "media"),
        LOG_LEVEL="WARNING",
        REDIS_URL="",
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from assessments.models import Assessment, Question

    for command in ("migrate", "load_reference_data", "load_demo_data"):
        call_command(command, verbosity=0, stdout=io.StringIO())
    user = get_user_model().objects.get(username="coe")
    assessment = (
        Assessment.objects.filter(
            organization__memberships__user=user, respondents__submitted_at__isnull=False
        )
        .distinct()
        .first()
    )
    keys = list(
        Question.objects.filter(bank=assessment.bank)
        .order_by("position")
        .values_list("key", flat=True)
    )
    client = Client()
    client.force_login(user)
    url = f"/api/v1/assessments/{assessment.pk}/what-if/"
    timings = []
    for number in range(args.requests + 1):
        changes = {keys[(number * 5 + i) % len(keys)]: 1 + (number + i) % 5 for i in range(5)}
        started = time.perf_counter()
        response = client.post(url, {"changes": changes}, content_type="application/json")
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        if number:  # the first request warms the caches (bank model, reference data)
            timings.append(elapsed)
    median = statistics.median(timings)
    print(f"what-if for one assessment ({len(keys)} questions), {args.requests} requests")
    print(
        f"  request to response: {median:.1f} ms median, {min(timings):.1f}–{max(timings):.1f} ms "
        f"(target < {args.target_ms:g} ms)"
    )
    return 0 if median < args.target_ms else 1


if __name__ == "__main__":
    sys.exit(main())
