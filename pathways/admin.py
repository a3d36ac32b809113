"""Configuration of the pathways: which agency delivers which pathways, and the review
settings (what an agency sees of the other pathways is its sharing agreement's to say).
Plans themselves are personal records: they are changed only through their pages or the API,
which check access and audit every change."""

from django.contrib import admin

from iom.admin import ConfigurationAdmin

from .models import AgencyPathway, AgencyPathwaySettings, PathwayConfiguration


class AgencyPathwayInline(admin.StackedInline):
    """Stacked rather than tabular: each pathway's choice and its delete box then have labels
    of their own, which a table's column headings do not give them."""

    model = AgencyPathway
    extra = 1
    verbose_name = "pathway delivered"
    verbose_name_plural = "pathways delivered"


@admin.register(AgencyPathwaySettings)
class AgencyPathwaySettingsAdmin(ConfigurationAdmin):
    list_display = ["agency", "delivered"]
    list_filter = ["agency__kind"]
    search_fields = ["agency__name"]
    inlines = [AgencyPathwayInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agency").prefetch_related("pathways")

    @admin.display(description="Pathways delivered")
    def delivered(self, obj) -> str:
        return ", ".join(p.get_pathway_display() for p in obj.pathways.all()) or "None"


@admin.register(PathwayConfiguration)
class PathwayConfigurationAdmin(ConfigurationAdmin):
    list_display = ["review_interval_days", "my_work_horizon_days", "updated_at"]

    def has_add_permission(self, request):
        return not PathwayConfiguration.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
