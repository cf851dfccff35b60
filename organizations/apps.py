from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = "Organizations and memberships"

    def ready(self):
        from . import language  # noqa: F401  (its login signal keeps the choice in the session)
