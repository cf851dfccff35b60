from django.contrib import admin

from assessments.admin import ReadOnlyAdmin
from audit.admin_changes import AuditedAdmin

from .models import Milestone, Roadmap, RoadmapReferenceData, UseCase


@admin.register(RoadmapReferenceData)
class RoadmapReferenceDataAdmin(ReadOnlyAdmin):
    list_display = ["version", "loaded_at", "source"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fields = ["phase", "position", "title", "owner", "due_date", "status", "completed_on"]
    extra = 0


@admin.register(Roadmap)
class RoadmapAdmin(AuditedAdmin):
    list_display = ["organization", "start_date", "starting_phase", "reference", "created_at"]
    readonly_fields = ["assessment", "reference", "starting_phase", "created_by"]
    inlines = [MilestoneInline]


@admin.register(UseCase)
class UseCaseAdmin(AuditedAdmin):
    list_display = ["name", "organization", "business_unit", "stage", "owner"]
    list_filter = ["stage"]
    search_fields = ["name", "organization__name"]
