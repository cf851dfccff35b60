from django.contrib import admin

from audit.admin_changes import AuditedAdmin

from .models import ReportRequest


@admin.register(ReportRequest)
class ReportRequestAdmin(AuditedAdmin):
    list_display = (
        "id", "kind", "audience", "assessment", "status", "attempts", "created_at", "finished_at",
    )  # fmt: skip
    list_filter = ("status", "kind", "audience")
    search_fields = ("assessment__organization__name", "assessment__title")
    readonly_fields = [f.name for f in ReportRequest._meta.fields]

    def has_add_permission(self, request):
        return False  # requests are made on the reports page, the API or the command line
