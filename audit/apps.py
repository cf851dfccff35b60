from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        # Connect the login receivers (audit entries, the session's login time).
        from common import security  # noqa: F401

        from . import signals  # noqa: F401
