"""The recall thresholds are configured here. Control-measure records are not in the admin:
every consultation of a person's record goes through the pages or the API, which audit it."""

from django.contrib import admin

from iom.admin import ConfigurationAdmin

from .models import ControlsConfiguration


@admin.register(ControlsConfiguration)
class ControlsConfigurationAdmin(ConfigurationAdmin):
    list_display = ["class_a_positive_threshold", "missed_test_threshold", "updated_at"]

    def has_add_permission(self, request):
        return not ControlsConfiguration.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
