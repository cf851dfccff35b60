from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "roadmap"
    verbose_name = "Roadmap placement and CoE tracking"

    def ready(self) -> None:
        # Register the Celery tasks in every process: the services queue them by name
        # (`services.DIGEST_TASK`), since tasks import services.
        from . import tasks  # noqa: F401
