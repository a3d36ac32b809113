"""The recall thresholds are configured here. Control-measure records are not in the admin:
every consultation of a person's record goes through the pages or the API, which audit it."""

from django.contrib import admin

from iom import audit
from iom.admin import ConfigurationAdmin

from . import services
from .models import ControlsConfiguration


@admin.register(ControlsConfiguration)
class ControlsConfigurationAdmin(ConfigurationAdmin):
    list_display = ["class_a_positive_threshold", "missed_test_threshold", "updated_at"]

    def save_model(self, request, obj, form, change):
        """Through the service, which validates the thresholds and audits old and new."""
        services.update_configuration(
            by=audit.actor_from_request(request),
            class_a_positive_threshold=obj.class_a_positive_threshold,
            missed_test_threshold=obj.missed_test_threshold,
        )

    def has_add_permission(self, request):
        return not ControlsConfiguration.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
