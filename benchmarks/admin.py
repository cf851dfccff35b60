from django.contrib import admin

from assessments.admin import ReadOnlyAdmin
from audit.admin_changes import AuditedAdmin

from .models import BenchmarkReferenceData, OrganizationBaseline


@admin.register(BenchmarkReferenceData)
class BenchmarkReferenceDataAdmin(ReadOnlyAdmin):
    list_display = ["version", "loaded_at", "source"]


@admin.register(OrganizationBaseline)
class OrganizationBaselineAdmin(AuditedAdmin):
    list_display = ["organization", "currency", "annual_revenue", "annual_operating_cost"]
    search_fields = ["organization__name"]
