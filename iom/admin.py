"""The admin site: for staff (administrators) only, to configure agencies, teams and users.

Personal records are not edited here: a nominal is changed through its pages or the API, which
check the version and write the audit log. The audit log is read-only for everyone.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group

from . import services
from .models import Agency, AuditEvent, Team, User


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    exclude = ["group"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            obj.pk = services.create_agency(name=obj.name, kind=obj.kind, by=request.user).pk


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "is_iom_unit"]
    list_filter = ["is_iom_unit", "agency"]
    search_fields = ["name"]
    exclude = ["group"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            team = services.create_team(
                agency=obj.agency, name=obj.name, is_iom_unit=obj.is_iom_unit, by=request.user
            )
            obj.pk = team.pk


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "team", "role", "is_active"]
    list_filter = ["role", "agency", "is_active", "is_staff"]
    list_select_related = ["agency", "team"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Agency and role", {"fields": ("agency", "team", "role", "job_title")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Agency and role", {"fields": ("agency", "team", "role", "job_title")}),
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.sync_groups(form.instance)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "agency_name", "action", "object_type", "description"]
    list_filter = ["action"]
    search_fields = ["username", "description", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(Group)
