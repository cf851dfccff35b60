from django.contrib import admin

from audit.admin_changes import AuditedAdmin

from .models import Branding, Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(AuditedAdmin):
    list_display = ["name", "industry", "size_band", "region", "is_demo", "created_at"]
    list_filter = ["industry", "size_band", "region", "is_demo"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "organization__name"]
    autocomplete_fields = ["user", "organization"]


@admin.register(Branding)
class BrandingAdmin(AuditedAdmin):
    list_display = ("organization", "firm_name", "color", "updated_at")
    readonly_fields = ("logo", "updated_by", "updated_at")
