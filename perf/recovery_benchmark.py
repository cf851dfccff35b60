"""Recovery of a killed render: seconds from the SIGKILL of the worker child rendering a
report to that report ready, with default settings (heartbeat 10 s, lease 30 s, sweep
every 10 s).

    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python perf/recovery_benchmark.py [--runs 5]

It starts `celery worker --concurrency 1` on queues of its own (renders and periodic, as
`make worker` consumes both) and `celery beat`, requests the demo full report, kills the
pool child with SIGKILL one second into the render, and times until the report is ready.
Prints each run and the median. Target: under 60 s. Runs on a throwaway SQLite database
and media folder.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
TMP = Path(tempfile.mkdtemp(prefix="aism-recovery-bench-"))
QUEUE = f"aism-recovery-{uuid.uuid4().hex[:10]}"
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings",
    DJANGO_DEBUG="true",
    DATABASE_URL=f"sqlite:///{TMP / 'db.sqlite3'}",
    MEDIA_ROOT=str(TMP / "media"),
    LOG_LEVEL="WARNING",
    CELERY_TASK_DEFAULT_QUEUE=QUEUE,
)
sys.path.insert(0, str(BASE_DIR))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from assessments.models import Assessment  # noqa: E402
from reports import services  # noqa: E402
from reports.models import ReportKind, ReportRequest, ReportStatus  # noqa: E402

TARGET = 60.0


class Quiet:
    def write(self, *_):
        pass

    def flush(self):
        pass


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _start(args: list[str], log_name: str) -> subprocess.Popen:
    log = (TMP / log_name).open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", *args],
        cwd=BASE_DIR, env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def _wait(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {what} (logs in {TMP})")


def one_run(assessment: Assessment, worker: subprocess.Popen) -> float:
    with transaction.atomic():
        report = services.report_request_create(
            assessment=assessment, kind=ReportKind.FULL_ASSESSMENT, user=None
        )
    rendering = ReportRequest.objects.filter(pk=report.pk, status=ReportStatus.RENDERING)
    _wait(rendering.exists, 120, "the render to start")
    time.sleep(1.0)  # into the render: charts and layout under way
    children = _children(worker.pid)
    for child in children:
        os.kill(child, signal.SIGKILL)
    killed_at = time.monotonic()
    ready = ReportRequest.objects.filter(pk=report.pk, status=ReportStatus.READY)
    _wait(ready.exists, 300, "the report to be ready again")
    return time.monotonic() - killed_at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("set REDIS_URL (e.g. redis://127.0.0.1:6379/0): a worker is needed")
    call_command("migrate", verbosity=0, stdout=Quiet())
    call_command("load_reference_data", verbosity=0, stdout=Quiet())
    call_command("load_demo_data", verbosity=0, stdout=Quiet())
    assessment = (
        Assessment.objects.filter(organization__name__startswith="Northwind").order_by("pk").first()
    )
    print(
        f"settings: heartbeat {settings.REPORT_HEARTBEAT_SECONDS} s, lease "
        f"{settings.REPORT_LEASE_SECONDS} s, sweep every {settings.REPORT_SWEEP_INTERVAL_SECONDS} s"
    )
    queues = f"{QUEUE},{settings.PERIODIC_QUEUE}"
    worker = _start(
        ["worker", "--pool", "prefork", "--concurrency", "1", "--queues", queues,
         "--hostname", f"{QUEUE}@%h", "--loglevel", "warning", "--without-gossip",
         "--without-mingle", "--without-heartbeat"],
        "worker.log",
    )  # fmt: skip
    beat = _start(
        ["beat", "--loglevel", "warning", "--schedule", str(TMP / "celerybeat-schedule")],
        "beat.log",
    )
    try:
        _wait(lambda: _children(worker.pid), 60, "the worker's pool")
        times = []
        for run in range(1, options.runs + 1):
            seconds = one_run(assessment, worker)
            times.append(seconds)
            print(f"run {run}: SIGKILL of the rendering child -> ready in {seconds:.1f} s")
        median = statistics.median(times)
        verdict = "met" if median < TARGET else "MISSED"
        print(
            f"median of {len(times)}: {median:.1f} s (min {min(times):.1f}, max "
            f"{max(times):.1f}); target < {TARGET:.0f} s: {verdict}"
        )
    finally:
        _stop(beat)
        _stop(worker)


if __name__ == "__main__":
    main()
