from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessments and questionnaires"

    def ready(self) -> None:
        # Register the Celery tasks in every process: the services queue them by name
        # (`services.INVITATION_TASK`, `services.REMINDER_TASK`), since tasks import services.
        from . import tasks  # noqa: F401
