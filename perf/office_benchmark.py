"""The editable editions: how long the demo executive summary takes as PowerPoint slides
and the demo full report as a Word document, each from its assessment to the file's
bytes (context, slides or HTML and document), as a worker renders them.

    .venv/bin/python perf/office_benchmark.py [--runs 5]

Each is made `--runs` times in this process after one warm-up (templates and imports
loaded, as in a running worker); the median and the slowest run are printed with the
targets: slides under 2 s, Word under 3 s. Each file is then opened again with
python-pptx / python-docx, so a broken file cannot pass. Everything runs on a
throwaway SQLite database.
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
TMP = Path(tempfile.mkdtemp(prefix="aism-office-bench-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings",
    DJANGO_DEBUG="true",
    DATABASE_URL=f"sqlite:///{TMP / 'db.sqlite3'}",
    MEDIA_ROOT=str(TMP / "media"),
    LOG_LEVEL="WARNING",
)
os.environ.pop("REDIS_URL", None)
sys.path.insert(0, str(BASE_DIR))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from docx import Document  # noqa: E402
from pptx import Presentation  # noqa: E402

from assessments.models import Assessment  # noqa: E402
from reports import rendering  # noqa: E402
from reports.models import ReportFormat, ReportKind  # noqa: E402

TARGETS = {ReportFormat.PPTX: 2.0, ReportFormat.DOCX: 3.0}
KINDS = {
    ReportFormat.PPTX: ReportKind.EXECUTIVE_SUMMARY,
    ReportFormat.DOCX: ReportKind.FULL_ASSESSMENT,
}


class Quiet:
    def write(self, *_):
        pass

    def flush(self):
        pass


def demo_assessment() -> Assessment:
    call_command("migrate", verbosity=0, stdout=Quiet())
    call_command("load_reference_data", verbosity=0, stdout=Quiet())
    call_command("load_demo_data", verbosity=0, stdout=Quiet())
    return (
        Assessment.objects.filter(organization__name__startswith="Northwind")
        .select_related("organization", "bank")
        .order_by("pk")
        .first()
    )


def measure(assessment: Assessment, file_format: str, runs: int) -> tuple[list[float], bytes]:
    today = timezone.localdate()
    kind = KINDS[file_format]
    rendering.render_file(assessment, kind, today, file_format=file_format)  # warm-up
    times, content = [], b""
    for _ in range(runs):
        started = time.perf_counter()
        content = rendering.render_file(assessment, kind, today, file_format=file_format).content
        times.append(time.perf_counter() - started)
    return times, content


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    args = parser.parse_args()
    assessment = demo_assessment()
    ok = True
    for file_format, target in TARGETS.items():
        times, content = measure(assessment, file_format, args.runs)
        if file_format == ReportFormat.PPTX:
            opened = f"{len(Presentation(io.BytesIO(content)).slides)} slides"
        else:
            document = Document(io.BytesIO(content))
            headings = [p for p in document.paragraphs if p.style.name == "Heading 1"]
            opened = f"{len(headings)} chapters, {len(document.tables)} tables"
        median = statistics.median(times)
        met = max(times) < target
        ok = ok and met
        print(
            f"RESULT {KINDS[file_format].label} as {file_format}: median {median:.2f} s, "
            f"slowest {max(times):.2f} s over {args.runs} runs ({opened}, "
            f"{len(content):,} bytes); target < {target:.0f} s: {'OK' if met else 'MISSED'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
