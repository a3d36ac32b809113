"""The service's URLs, plus (for the web benchmark only) the Django admin changelist of people
with the membership filter: the baseline the cohort list is compared with. People are not in
the real admin (administrators see no case record)."""

from django.contrib import admin
from django.urls import path

from cohorts.models import Nominal
from iom.urls import urlpatterns as service_urls

site = admin.AdminSite(name="bench-admin")


class NominalBaselineAdmin(admin.ModelAdmin):
    list_display = ["surname", "first_names", "date_of_birth", "lead_agency", "neighbourhood"]
    list_filter = ["memberships__status"]
    search_fields = ["surname", "first_names", "pnc_id"]
    list_select_related = ["lead_agency", "neighbourhood"]
    ordering = ["surname", "first_names", "id"]


site.register(Nominal, NominalBaselineAdmin)

urlpatterns = [path("bench-admin/", site.urls), *service_urls]
