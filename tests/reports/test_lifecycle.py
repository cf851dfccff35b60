"""The report lifecycle through the services: stored, queued on commit, claimed once,
stored at one path, retried, failed with its reason, swept up when lost. Rendering
itself is replaced by a stand-in here (test_rendering.py renders for real)."""

from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from common.errors import ConflictError, InputError
from reports import chart_export, rendering, services
from reports.models import ReportKind, ReportRequest, ReportStatus
from reports.pdf import RenderedPdf

pytestmark = pytest.mark.django_db

PDF = RenderedPdf(content=b"%PDF-1.7 stand-in", pages=12, checksum="c" * 64)


@pytest.fixture
def queued(monkeypatch):
    """Capture what would be published instead of publishing it."""
    calls = []
    monkeypatch.setattr(
        "reports.tasks.render_report.apply_async",
        lambda args, countdown=None, **kw: calls.append((args[0], countdown)),
    )
    return calls


@pytest.fixture
def renders(monkeypatch):
    """rendering.render_report answers from this list: a RenderedPdf, or an exception."""
    outcomes = Outcomes()

    def fake(assessment, kind, today, timings=None, audience="client"):
        outcomes.audiences.append(audience)
        outcome = outcomes.pop(0) if outcomes else PDF
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    monkeypatch.setattr(rendering, "render_report", fake)
    return outcomes


class Outcomes(list):
    """What the fake renderer answers, in order, and the audiences it was asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.audiences: list[str] = []


@pytest.fixture
def report(assessment, alice, django_capture_on_commit_callbacks, queued):
    with django_capture_on_commit_callbacks(execute=True):
        return services.report_request_create(
            assessment=assessment, kind=ReportKind.FULL_ASSESSMENT, user=alice
        )


def test_a_request_is_stored_pending_and_queued_only_after_commit(
    assessment, alice, django_capture_on_commit_callbacks, queued
):
    with django_capture_on_commit_callbacks() as callbacks:
        report = services.report_request_create(
            assessment=assessment, kind=ReportKind.EXECUTIVE_SUMMARY, user=alice
        )
        assert queued == []
    assert report.status == ReportStatus.PENDING and report.attempts == 0
    for callback in callbacks:
        callback()
    assert queued == [(report.pk, None)]
    assert ReportRequest.objects.get(pk=report.pk).queued_at is not None


def test_an_unknown_kind_is_refused(assessment, alice):
    with pytest.raises(InputError, match="Unknown report kind"):
        services.report_request_create(assessment=assessment, kind="annual_review", user=alice)
    assert not ReportRequest.objects.exists()


def test_with_the_broker_down_the_request_stays_pending_for_the_sweeper(
    assessment, alice, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("reports.tasks.render_report.apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request_create(
            assessment=assessment, kind=ReportKind.FULL_ASSESSMENT, user=alice
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING and report.queued_at is None
    assert "broker is unreachable" in caplog.text


def test_a_render_stores_one_file_at_its_path_and_marks_it_ready(report, renders, media):
    assert services.report_render(report_id=report.pk) == "ready"

    report.refresh_from_db()
    assert report.status == ReportStatus.READY
    assert (report.file.name, report.pages, report.size) == (f"reports/{report.pk}.pdf", 12, 17)
    assert report.checksum == "c" * 64 and report.finished_at and report.attempts == 1
    assert Path(report.file.path).read_bytes() == PDF.content
    assert [p.name for p in (Path(media) / "reports").iterdir()] == [f"{report.pk}.pdf"]


def test_the_worker_renders_the_requested_audience(assessment, alice, renders, queued):
    client_edition = services.report_request_create(
        assessment=assessment, kind=ReportKind.FULL_ASSESSMENT, user=alice
    )
    consultant_edition = services.report_request_create(
        assessment=assessment, kind=ReportKind.FULL_ASSESSMENT, user=alice, audience="consultant"
    )
    services.report_render(report_id=client_edition.pk)
    services.report_render(report_id=consultant_edition.pk)
    assert renders.audiences == ["client", "consultant"]


def test_an_unknown_audience_is_refused(assessment, alice):
    with pytest.raises(InputError, match="Unknown report audience"):
        services.report_request_create(
            assessment=assessment, kind=ReportKind.FULL_ASSESSMENT, user=alice, audience="board"
        )
    assert not ReportRequest.objects.exists()


def test_a_second_message_for_the_same_report_does_nothing(report, renders):
    services.report_render(report_id=report.pk)
    assert services.report_render(report_id=report.pk) == "skipped"
    assert ReportRequest.objects.get(pk=report.pk).attempts == 1


def test_a_report_being_rendered_elsewhere_is_not_claimed_again(report):
    now = timezone.now()
    assert services.claim(report.pk, now=now) is not None
    assert services.claim(report.pk, now=now + timedelta(seconds=5)) is None
    # ...until its lease has passed: the holder is presumed dead.
    later = now + timedelta(seconds=services.settings.REPORT_LEASE_SECONDS + 1)
    assert services.claim(report.pk, now=later) is not None
    assert ReportRequest.objects.get(pk=report.pk).attempts == 2


def test_a_re_render_replaces_the_file_instead_of_adding_one(report, renders, media):
    services.report_render(report_id=report.pk)
    ReportRequest.objects.filter(pk=report.pk).update(status=ReportStatus.PENDING)
    renders.append(RenderedPdf(content=b"%PDF second", pages=11, checksum="d" * 64))

    services.report_render(report_id=report.pk)

    files = list((Path(media) / "reports").iterdir())
    assert [p.read_bytes() for p in files] == [b"%PDF second"]


def test_a_stale_renderer_cannot_overwrite_the_new_claims_file(report, renders, media):
    first = services.claim(report.pk, now=timezone.now())
    ReportRequest.objects.filter(pk=report.pk).update(claim="someone-else")

    assert services._store(ReportRequest.objects.get(pk=report.pk), first, PDF) == "superseded"
    assert not (Path(media) / "reports" / f"{report.pk}.pdf").exists()
    assert not list((Path(media) / "reports").glob("*.tmp"))


def test_a_failed_attempt_is_queued_again_with_its_error(
    report, renders, queued, settings, django_capture_on_commit_callbacks
):
    renders.append(RuntimeError("fonts missing"))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.report_render(report_id=report.pk) == "retrying"

    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING and report.attempts == 1
    assert report.error == "RuntimeError: fonts missing"
    assert queued[-1] == (report.pk, settings.REPORT_RETRY_DELAY_SECONDS)


def test_after_three_failed_attempts_it_is_failed_with_its_reason(report, renders):
    renders.extend([RuntimeError("boom")] * 3)
    outcomes = [services.report_render(report_id=report.pk) for _ in range(4)]

    assert outcomes == ["retrying", "retrying", "failed", "skipped"]
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and report.attempts == 3
    assert report.error == "Failed after 3 attempts. Last error: RuntimeError: boom"


def test_a_missing_browser_fails_at_once_with_that_reason(report, renders):
    renders.append(chart_export.ChartExportError("Chromium is not installed", permanent=True))

    assert services.report_render(report_id=report.pk) == "failed"
    report.refresh_from_db()
    assert report.attempts == 1 and report.error == "Chromium is not installed"
    assert not report.file


def test_a_failed_report_can_be_retried_and_nothing_else_can(report, renders, queued, alice):
    with pytest.raises(ConflictError):
        services.report_retry(report=report, user=alice)
    ReportRequest.objects.filter(pk=report.pk).update(
        status=ReportStatus.FAILED, attempts=3, error="x"
    )
    with mock.patch("django.db.transaction.on_commit", lambda f: f()):
        retried = services.report_retry(report=report, user=alice)
    assert (retried.status, retried.attempts, retried.error) == (ReportStatus.PENDING, 0, "")
    assert queued[-1] == (report.pk, None)


# --- the sweeper ------------------------------------------------------------------------


def _lease_passed():
    return timezone.now() + timedelta(seconds=services.settings.REPORT_LEASE_SECONDS + 1)


def test_the_sweeper_requeues_a_render_whose_worker_died(report, queued):
    services.claim(report.pk, now=timezone.now())
    queued.clear()

    result = services.reports_sweep(now=_lease_passed())

    assert result.requeued == [report.pk]
    assert queued == [(report.pk, None)]
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING and "stopped" in report.error


def test_the_sweeper_fails_a_render_lost_three_times(report, queued):
    ReportRequest.objects.filter(pk=report.pk).update(attempts=2)
    services.claim(report.pk, now=timezone.now())

    result = services.reports_sweep(now=_lease_passed())

    assert result.failed == [report.pk] and result.requeued == []
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.error.startswith("Failed after 3 attempts")


def test_the_sweeper_requeues_a_pending_report_whose_message_was_lost(report, queued, settings):
    queued.clear()
    assert services.reports_sweep().requeued == []  # just queued: leave it be

    later = timezone.now() + timedelta(seconds=settings.REPORT_REQUEUE_PENDING_SECONDS + 1)
    assert services.reports_sweep(now=later).requeued == [report.pk]
    assert queued == [(report.pk, None)]


def test_the_sweeper_leaves_ready_and_live_renders_alone(report, renders, queued):
    other = ReportRequest.objects.create(assessment=report.assessment, kind="executive_summary")
    services.report_render(report_id=report.pk)
    services.claim(other.pk, now=timezone.now())
    queued.clear()

    assert services.reports_sweep() == services.SweepResult(requeued=[], failed=[])
    assert queued == []
