"""Changes made in the Django admin go to the audit log like every other data change:
every ModelAdmin of the project derives from `AuditedAdmin`."""

from __future__ import annotations

from django.contrib import admin
from rest_framework.authtoken.models import Token

from . import services

# How an object reaches its organization, nearest first.
PARENTS = ("assessment", "respondent", "roadmap")
ACTIONS = {"add": "added", "change": "changed", "delete": "deleted"}


def organization_id_of(obj) -> int | None:
    for _ in range(len(PARENTS) + 1):
        if obj is None:
            return None
        if obj._meta.label == "organizations.Organization":
            return obj.pk
        if hasattr(obj, "organization_id"):
            return obj.organization_id
        obj = next((getattr(obj, name) for name in PARENTS if hasattr(obj, name)), None)
    return None


def _described(obj) -> tuple[str, str]:
    """(object id, name) for the log. An API token's key is its secret: never logged."""
    if isinstance(obj, Token):
        return str(obj.user_id), f"API token of {obj.user}"
    return str(obj.pk), f"{obj._meta.verbose_name} “{obj}”"


def record_admin_change(request, obj, kind: str, message) -> None:
    object_id, name = _described(obj)
    services.record(
        action=f"admin.{kind}",
        user=request.user,
        organization_id=organization_id_of(obj),
        object_type=obj._meta.model_name,
        object_id=object_id,
        summary=f"{request.user.get_username()} {ACTIONS[kind]} {name} in the admin",
        changes={"admin": message} if message else {},
    )


class AuditedAdmin(admin.ModelAdmin):
    def log_addition(self, request, obj, message):
        record_admin_change(request, obj, "add", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        record_admin_change(request, obj, "change", message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        # Called before the objects are deleted: they still lead to their organization.
        for obj in queryset:
            record_admin_change(request, obj, "delete", "")
        return super().log_deletions(request, queryset)
