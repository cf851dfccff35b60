"""Celery entry points for reports: thin, they receive ids and call one service.

Each worker process starts its own chart-export browser once, lazily, on its first chart
(`chart_export.export_svgs`), and keeps it: never one browser per chart or per report, and
never at process start. Celery kills a pool child that has not reported itself up
within `worker_proc_alive_timeout` of its start (see config/celery_app.py); on a loaded
machine Chromium's start takes longer than that, and a child that started it in
`worker_process_init` was killed and replaced over and over (issue 11).
"""

from celery import shared_task
from celery.signals import worker_process_shutdown
from django.conf import settings

from . import chart_export, pdf, services

_renders = 0  # in this process, since its browser started


@shared_task(acks_late=True, reject_on_worker_lost=True)
def render_report(report_id: int) -> str:
    """Render one report request; safe to run twice (the claim makes the second a no-op).

    Every REPORT_RENDERS_PER_BROWSER renders the process restarts its browser (whose
    memory grows with the charts it draws). Only renders count: the sweepers running
    every few seconds in the same pool never recycle anything (a worker-wide
    --max-tasks-per-child would count them and restart every child over and over).

    The garbage a render leaves is collected after the report is saved, not during the
    render (see `pdf.render_pdf`): the person waiting for the report does not wait for it."""
    global _renders
    try:
        return services.report_render(report_id=report_id)
    finally:
        pdf.collect_render_garbage()
        _renders += 1
        if _renders >= settings.REPORT_RENDERS_PER_BROWSER:
            _renders = 0
            chart_export.stop()


@shared_task
def sweep_reports() -> dict:
    """Beat, every REPORT_SWEEP_INTERVAL_SECONDS, on the periodic queue: re-queue what
    was lost."""
    result = services.reports_sweep()
    return {"requeued": result.requeued, "failed": result.failed}


@worker_process_shutdown.connect
def _stop_chart_export(**kwargs) -> None:
    chart_export.stop()
