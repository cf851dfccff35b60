"""The Celery settings that make report tasks survive a lost worker or broker."""

from django.conf import settings

from config.celery_app import app


def test_tasks_are_acknowledged_late_and_requeued_when_their_worker_dies():
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


def test_time_limits_fall_below_the_visibility_timeout_and_the_lease():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    soft, hard = settings.CELERY_TASK_SOFT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT
    assert soft < hard < visibility
    assert hard < settings.REPORT_LEASE_SECONDS < visibility


def test_beat_runs_the_report_sweeper():
    import reports.tasks  # noqa: F401  (registers the tasks)

    entry = settings.CELERY_BEAT_SCHEDULE["sweep-reports"]
    assert entry["task"] == "reports.tasks.sweep_reports"
    assert entry["task"] in app.tasks
    assert app.tasks["reports.tasks.render_report"].acks_late is True
