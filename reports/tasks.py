"""Celery entry points for reports: thin, they receive ids and call one service.

Each worker process starts its own chart-export browser once, when the process starts
(`worker_process_init`), instead of one browser per chart or per report.
"""

import logging

from celery import shared_task
from celery.signals import worker_process_init, worker_process_shutdown

from . import chart_export, services

logger = logging.getLogger("reports")


@shared_task(acks_late=True, reject_on_worker_lost=True)
def render_report(report_id: int) -> str:
    """Render one report request; safe to run twice (the claim makes the second a no-op)."""
    return services.report_render(report_id=report_id)


@shared_task
def sweep_reports() -> dict:
    """Beat, every REPORT_SWEEP_INTERVAL_SECONDS: re-queue what was lost."""
    result = services.reports_sweep()
    return {"requeued": result.requeued, "failed": result.failed}


@worker_process_init.connect
def _start_chart_export(**kwargs) -> None:
    try:
        chart_export.start()
    except chart_export.ChartExportError as exc:
        # Not fatal: other tasks run; a report fails with this reason when it needs charts.
        logger.warning("%s", exc)


@worker_process_shutdown.connect
def _stop_chart_export(**kwargs) -> None:
    chart_export.stop()
