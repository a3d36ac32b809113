"""Documents are not in the admin: each download must be audited as a disclosure, which only
the pages and the API do. The reports' configuration (unit costs, price year, age bands) is."""

from django import forms
from django.contrib import admin, messages

from iom.admin import ConfigurationAdmin

from .models import CohortReport, ReportConfiguration, UnitCost, unpriced_acquisitive


@admin.register(UnitCost)
class UnitCostAdmin(ConfigurationAdmin):
    """The unit costs of crime the reports price offences with, each with its source."""

    list_display = ["price_year", "offence", "category", "cost", "source"]
    list_filter = ["price_year", "category"]


class ReportConfigurationForm(forms.ModelForm):
    class Meta:
        model = ReportConfiguration
        fields = ["unit_cost_price_year", "age_bands"]

    def clean_unit_cost_price_year(self):
        price_year = self.cleaned_data["unit_cost_price_year"].strip()
        if not UnitCost.objects.filter(price_year=price_year).exclude(category="").exists():
            years = sorted(
                set(UnitCost.objects.exclude(category="").values_list("price_year", flat=True))
            )
            raise forms.ValidationError(
                f"No unit cost prices an offence category in {price_year}: select one of "
                f"{', '.join(years) or 'the price years under Unit costs'}, or add its unit "
                "costs first"
            )
        return price_year


@admin.register(ReportConfiguration)
class ReportConfigurationAdmin(ConfigurationAdmin):
    form = ReportConfigurationForm
    list_display = ["__str__", "unit_cost_price_year", "age_bands", "updated_at"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        missing = unpriced_acquisitive(obj.unit_cost_price_year)
        if missing:
            messages.warning(
                request,
                f"{obj.unit_cost_price_year} has no unit cost for {', '.join(missing)}: the "
                "cost avoided leaves these offences out (the reports say so). Add them under "
                "Unit costs, or choose a price year that prices every serious acquisitive "
                "crime category, such as 2003/04.",
            )

    def has_add_permission(self, request) -> bool:
        return not ReportConfiguration.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CohortReport)
class CohortReportAdmin(ConfigurationAdmin):
    """Progress and errors of cohort reports, for support. The files are downloaded from the
    Reports pages, where each download is audited; they are not offered here."""

    list_display = ["period_start", "period_end", "trigger", "status", "with_annex", "requested_at"]
    list_filter = ["status", "trigger"]
    fields = [
        "period_start", "period_end", "with_annex", "trigger", "status", "price_year",
        "page_count", "build_seconds", "error", "requested_by", "requested_at", "started_at",
        "completed_at",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False
