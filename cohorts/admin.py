"""Reference data is configured here. Nominals are not in the admin at all: every consultation
of a person's record must go through the pages or the API, which check access and audit it."""

from django.contrib import admin

from iom.admin import ConfigurationAdmin

from .models import CohortConfiguration, NeighbourhoodPolicingArea


@admin.register(NeighbourhoodPolicingArea)
class NeighbourhoodPolicingAreaAdmin(ConfigurationAdmin):
    list_display = ["name", "area"]
    list_filter = ["area"]
    search_fields = ["name"]


@admin.register(CohortConfiguration)
class CohortConfigurationAdmin(ConfigurationAdmin):
    list_display = ["cap", "updated_at"]

    def has_add_permission(self, request):
        return not CohortConfiguration.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
