from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "PDF reports"

    def ready(self) -> None:
        # Register the Celery tasks in every process, as receivers are registered: the
        # services queue them by name (`services.RENDER_TASK`), since tasks import services.
        from . import tasks  # noqa: F401
