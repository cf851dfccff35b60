"""The Celery settings that make report tasks survive a lost worker or broker."""

from django.conf import settings

from config.celery_app import app


def test_tasks_are_acknowledged_late_and_requeued_when_their_worker_dies():
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


def test_time_limits_fall_below_the_visibility_timeout():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    soft, hard = settings.CELERY_TASK_SOFT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT
    assert soft < hard < visibility


def test_a_killed_render_is_requeued_well_within_a_minute_by_default():
    """Heartbeat 10 s, lease 30 s, sweep every 10 s: the claim of a killed render is
    free at most 30 s after the kill and seen by the sweeper at most 10 s later."""
    assert settings.REPORT_HEARTBEAT_SECONDS == 10
    assert 2 * settings.REPORT_HEARTBEAT_SECONDS < settings.REPORT_LEASE_SECONDS == 30
    assert settings.REPORT_LEASE_SECONDS + settings.REPORT_SWEEP_INTERVAL_SECONDS <= 40


def test_periodic_tasks_have_their_own_queue_that_every_worker_consumes():
    import assessments.tasks  # noqa: F401  (registers the tasks)
    import reports.tasks  # noqa: F401
    import roadmap.tasks  # noqa: F401

    periodic = settings.PERIODIC_QUEUE
    assert periodic != settings.CELERY_TASK_DEFAULT_QUEUE
    # A worker started without --queues consumes every queue of task_queues.
    assert {q.name for q in app.conf.task_queues} == {settings.CELERY_TASK_DEFAULT_QUEUE, periodic}
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
        assert app.amqp.router.route({}, entry["task"])["queue"].name == periodic
    assert app.amqp.router.route({}, "reports.tasks.render_report")["queue"].name == (
        settings.CELERY_TASK_DEFAULT_QUEUE
    )


def test_no_worker_recycles_its_processes_by_task_count():
    """The sweepers run every few seconds in the same pool: counted by
    --max-tasks-per-child they would restart the render processes (and their browsers)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for name in ("docker-compose.yml", "Makefile"):
        assert "max-tasks-per-child" not in (root / name).read_text()
    assert not app.conf.worker_max_tasks_per_child


def test_beat_runs_the_report_sweeper():
    import reports.tasks  # noqa: F401  (registers the tasks)

    entry = settings.CELERY_BEAT_SCHEDULE["sweep-reports"]
    assert entry["task"] == "reports.tasks.sweep_reports"
    assert entry["task"] in app.tasks
    assert app.tasks["reports.tasks.render_report"].acks_late is True
