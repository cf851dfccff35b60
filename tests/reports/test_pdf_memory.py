"""The cyclic garbage collector during and after a PDF render: paused while WeasyPrint
works (its full collections cost a sixth of a render), running again afterwards whatever
happened, and the render's garbage collected by the worker once the report is saved."""

import gc
import threading

import pytest

from reports import pdf, services, tasks
from reports.fetcher import SafeFetcher
from reports.models import ReportKind, ReportStatus

HTML = """<!doctype html><html lang="en"><head><title>t</title>
  <link rel="stylesheet" href="/static/css/report.css"></head>
  <body><h1>Report</h1><p>Text.</p></body></html>"""


class CollectorWatchingFetcher(SafeFetcher):
    """Notes whether the collector runs when WeasyPrint fetches the stylesheet."""

    def __init__(self, fail: bool = False) -> None:
        super().__init__()
        self.collector_running: list[bool] = []
        self.fail = fail

    def fetch(self, url, headers=None):
        self.collector_running.append(gc.isenabled())
        if self.fail:
            raise SystemExit("the worker is stopping")  # WeasyPrint catches Exceptions
        return super().fetch(url, headers)


@pytest.fixture
def collector_running():
    assert gc.isenabled()
    yield
    gc.enable()


def test_the_collector_is_paused_during_a_render_and_runs_again_after(collector_running):
    fetcher = CollectorWatchingFetcher()

    rendered = pdf.render_pdf(HTML, fetcher)

    assert rendered.pages == 1
    assert fetcher.collector_running == [False]
    assert gc.isenabled()


def test_a_render_that_is_interrupted_still_resumes_the_collector(collector_running):
    with pytest.raises(SystemExit):
        pdf.render_pdf(HTML, CollectorWatchingFetcher(fail=True))

    assert gc.isenabled()


def test_a_render_in_another_thread_keeps_the_pause_until_the_last_one_ends(
    collector_running,
):
    first_inside, second_done = threading.Event(), threading.Event()
    seen = []

    def first() -> None:
        with pdf._cyclic_collector_paused():
            first_inside.set()
            second_done.wait(10)
            seen.append(("first, after the second ended", gc.isenabled()))

    thread = threading.Thread(target=first)
    thread.start()
    first_inside.wait(10)
    pdf.render_pdf(HTML)
    second_done.set()
    thread.join(10)

    assert seen == [("first, after the second ended", False)]
    assert gc.isenabled()


def test_a_collector_switched_off_by_someone_else_stays_off(collector_running):
    gc.disable()

    pdf.render_pdf(HTML)

    assert not gc.isenabled()


@pytest.mark.django_db
def test_the_worker_collects_the_renders_garbage_after_saving_the_report(
    assessment, alice, monkeypatch, media, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("reports.tasks.render_report.apply_async", lambda *a, **k: None)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request_create(
            assessment=assessment, kind=ReportKind.FULL_ASSESSMENT, user=alice
        )
    status_when_collected = []

    def collect() -> int:
        report.refresh_from_db()
        status_when_collected.append(report.status)
        return 0

    monkeypatch.setattr(
        "reports.rendering.render_report",
        lambda *a, **k: pdf.RenderedPdf(content=b"%PDF-1.7 x", pages=1, checksum="c" * 64),
    )
    monkeypatch.setattr(pdf, "collect_render_garbage", collect)

    assert tasks.render_report(report.pk) == "ready"

    assert status_when_collected == [ReportStatus.READY]
