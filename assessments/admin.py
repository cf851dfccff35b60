from django.contrib import admin

from audit.admin_changes import AuditedAdmin

from .models import Answer, Assessment, Dimension, Question, QuestionBank, Respondent, ScoreSnapshot


class ReadOnlyAdmin(AuditedAdmin):
    """Published reference data and given answers are never edited by hand: a bank
    changes by loading a new version (`manage.py load_reference_data`)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DimensionInline(admin.TabularInline):
    model = Dimension
    fields = ["position", "key", "kind", "title", "weight"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(QuestionBank)
class QuestionBankAdmin(ReadOnlyAdmin):
    list_display = ["version", "title", "published_at", "source"]
    inlines = [DimensionInline]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["key", "bank", "dimension", "weight", "allow_na", "tags"]
    list_filter = ["bank", "dimension__key", "allow_na"]
    search_fields = ["key", "text"]


class RespondentInline(admin.TabularInline):
    model = Respondent
    fields = ["name", "email", "role", "title", "business_unit", "submitted_at", "revoked_at"]
    readonly_fields = ["submitted_at", "revoked_at"]
    extra = 0
    show_change_link = True


@admin.register(Assessment)
class AssessmentAdmin(AuditedAdmin):
    list_display = ["title", "organization", "bank", "status", "created_at", "closed_at"]
    list_filter = ["status", "bank", "organization__is_demo"]
    search_fields = ["title", "organization__name"]
    readonly_fields = ["status", "closed_at", "created_by"]
    autocomplete_fields = ["organization"]
    inlines = [RespondentInline]


@admin.register(Respondent)
class RespondentAdmin(AuditedAdmin):
    list_display = ["name", "email", "assessment", "role", "submitted_at", "revoked_at"]
    list_filter = ["role", "assessment__status"]
    search_fields = ["name", "email", "assessment__title"]
    readonly_fields = ["token", "submitted_at", "invited_at", "assessment"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["respondent", "question", "kind", "level", "updated_at"]
    list_filter = ["kind", "question__dimension__key"]
    search_fields = ["respondent__name", "question__key"]


@admin.register(ScoreSnapshot)
class ScoreSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "organization", "closed_at", "index", "level"]
