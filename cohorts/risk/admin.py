"""Reference data and the risk model's versions. People's history and assessments are not in
the admin: every consultation of a person's record goes through the pages or the API, which
check access and audit it."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from iom import audit
from iom.admin import ConfigurationAdmin

from . import services
from .models import OffenceType, RankingRun, RiskModelVersion
from .parameters import ModelParameters


@admin.register(OffenceType)
class OffenceTypeAdmin(ConfigurationAdmin):
    list_display = ["code", "name", "category", "gravity"]
    list_filter = ["category", "gravity"]
    search_fields = ["code", "name"]


class RiskModelVersionForm(forms.ModelForm):
    class Meta:
        model = RiskModelVersion
        fields = ["parameters", "notes"]

    def clean_parameters(self):
        parameters = self.cleaned_data["parameters"]
        try:
            ModelParameters.from_json(parameters)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return parameters


@admin.register(RiskModelVersion)
class RiskModelVersionAdmin(ConfigurationAdmin):
    """Saving always makes a new version: a version once stored is never changed, so every
    assessment keeps meaning what it meant (docs/risk-model.md)."""

    form = RiskModelVersionForm
    list_display = ["number", "created_at", "created_by", "notes"]
    readonly_fields = ["number", "created_at", "created_by"]

    def get_changeform_initial_data(self, request):
        current = RiskModelVersion.objects.order_by("-number").first()
        return {"parameters": current.parameters} if current else {}

    def save_model(self, request, obj, form, change):
        version = services.create_model_version(
            parameters=obj.parameters, notes=obj.notes, by=audit.actor_from_request(request)
        )
        obj.pk, obj.number = version.pk, version.number

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RankingRun)
class RankingRunAdmin(ConfigurationAdmin):
    list_display = ["run_date", "kind", "status", "people_scored", "duration_seconds"]
    list_filter = ["kind", "status"]
    readonly_fields = [field.name for field in RankingRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
