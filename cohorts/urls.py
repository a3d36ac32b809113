from django.urls import include, path

from . import views

app_name = "cohorts"

urlpatterns = [
    path("", views.cohort_list, name="list"),
    path("export.csv", views.cohort_export, name="export"),
    path("<int:pk>/", views.nominal_summary, name="nominal"),
    path("<int:pk>/edit/", views.nominal_edit, name="edit"),
    path("<int:pk>/audit/", views.nominal_audit, name="audit"),
    path("<int:pk>/sharing/", views.nominal_sharing, name="sharing"),
    path("<int:pk>/engagement/", views.engagement_record, name="engagement"),
    path("<int:pk>/membership/", views.membership_change, name="membership"),
    path("", include("cohorts.risk.urls")),
    path("<int:pk>/controls/", include("cohorts.controls.urls")),
    path("<int:pk>/contacts/", include("cohorts.contacts.urls")),
]
