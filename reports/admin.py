"""Documents are not in the admin: each download must be audited as a disclosure, which only
the pages and the API do. The reports' configuration (unit costs, price year, age bands) is."""

from django.contrib import admin

from iom.admin import ConfigurationAdmin

from .report_models import CohortReport, ReportConfiguration, UnitCost


@admin.register(UnitCost)
class UnitCostAdmin(ConfigurationAdmin):
    """The unit costs of crime the reports price offences with, each with its source."""

    list_display = ["price_year", "offence", "category", "cost", "source"]
    list_filter = ["price_year", "category"]


@admin.register(ReportConfiguration)
class ReportConfigurationAdmin(ConfigurationAdmin):
    list_display = ["__str__", "unit_cost_price_year", "age_bands", "updated_at"]

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
