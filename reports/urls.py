from django.urls import include, path

from . import dashboard, geography, my_work, views

app_name = "reports"

cohort_reports = [
    path("", dashboard.cohort_reports, name="cohort-reports"),
    path("<int:report_id>/", dashboard.cohort_report, name="cohort-report"),
    path(
        "<int:report_id>/<str:file_format>/",
        dashboard.cohort_report_download,
        name="cohort-report-download",
    ),
]

# A person's documents: ``pk`` is the person's.
documents = [
    path("", views.documents, name="documents"),
    path("<int:document_id>/", views.document_status, name="document"),
    path("<int:document_id>/download/", views.document_download, name="document-download"),
]

urlpatterns = [
    path("", dashboard.dashboard, name="index"),
    path("cohort-reports/", include(cohort_reports)),
    path("geography/", geography.geography, name="geography"),
    path("my-work/", my_work.my_work, name="my-work"),
    path("people/<int:pk>/documents/", include(documents)),
]
