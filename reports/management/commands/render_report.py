"""Render one report synchronously, for scripts and tests:

    python manage.py render_report --assessment 12 --kind full_assessment --output out.pdf
    python manage.py render_report ... --audience consultant   # the named edition
    python manage.py render_report ... --format pptx   # executive summary as slides
    python manage.py render_report ... --format docx   # full assessment as Word
    python manage.py render_report ... --language de   # written in German

No record is stored and no worker is involved; the file goes to --output. The chart
export browser starts on first use and stops when the process exits.
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from assessments.models import Assessment
from common.errors import InputError
from reports import chart_export, rendering, services
from reports.models import DEFAULT_LANGUAGE, ReportAudience, ReportFormat, ReportKind
from reports.pdf import AccessibilityError


class Command(BaseCommand):
    help = "Render a PDF report of an assessment to a file (synchronously)."

    def add_arguments(self, parser):
        parser.add_argument("--assessment", type=int, required=True, help="Assessment id.")
        parser.add_argument("--kind", required=True, choices=list(ReportKind.values))
        parser.add_argument("--output", required=True, type=Path, help="PDF file to write.")
        parser.add_argument(
            "--format",
            dest="file_format",
            default=ReportFormat.PDF.value,
            choices=list(ReportFormat.values),
            help="pdf (default); pptx for the executive summary's slides; docx for the full "
            "assessment's Word document.",
        )
        parser.add_argument(
            "--audience",
            default=ReportAudience.CLIENT.value,
            choices=list(ReportAudience.values),
            help="client (default): nobody named; consultant: adds the named appendix and "
            "marks every page confidential.",
        )
        parser.add_argument(
            "--language",
            default=DEFAULT_LANGUAGE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="The language the document is written in (default: en).",
        )

    def handle(
        self,
        *args,
        assessment: int,
        kind: str,
        output: Path,
        audience: str = ReportAudience.CLIENT,
        file_format: str = ReportFormat.PDF,
        language: str = DEFAULT_LANGUAGE,
        **options,
    ):
        with translation.override(language):
            self._render(assessment, kind, output, audience, file_format)

    def _render(self, assessment: int, kind: str, output: Path, audience: str, file_format: str):
        found = Assessment.objects.select_related("organization", "bank").filter(pk=assessment)
        if not found.exists():
            raise CommandError(f"No assessment {assessment}.")
        if file_format != ReportFormat.PDF:
            return self._office(found.get(), kind, output, audience, file_format)
        timings = rendering.Timings()
        try:
            rendered = rendering.render_report(
                found.get(), kind, timezone.localdate(), timings=timings, audience=audience
            )
        except (
            rendering.ReportUnavailable,
            chart_export.ChartExportError,
            AccessibilityError,
        ) as exc:
            raise CommandError(str(exc)) from exc
        output = Path(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(rendered.content)
        self.stdout.write(
            f"{output}: {rendered.pages} pages, {rendered.size:,} bytes, sha256 "
            f"{rendered.checksum} ({timings.total:.2f} s: charts {timings.charts:.2f} s, "
            f"WeasyPrint {timings.weasyprint:.2f} s)"
        )

    def _office(self, assessment, kind: str, output: Path, audience: str, file_format: str):
        started = time.perf_counter()
        try:
            services.check_format(kind=kind, file_format=file_format)
            rendered = rendering.render_file(
                assessment, kind, timezone.localdate(), audience=audience, file_format=file_format
            )
        except (rendering.ReportUnavailable, InputError) as exc:
            raise CommandError(str(exc)) from exc
        output = Path(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(rendered.content)
        slides = f"{rendered.pages} slides, " if rendered.pages else ""
        self.stdout.write(
            f"{output}: {slides}{rendered.size:,} bytes, sha256 {rendered.checksum} "
            f"({time.perf_counter() - started:.2f} s)"
        )
