from django.urls import path

from . import dashboard, geography, my_work, views

app_name = "reports"

urlpatterns = [
    path("", dashboard.dashboard, name="index"),
    path("cohort-reports/", dashboard.cohort_reports, name="cohort-reports"),
    path("cohort-reports/<int:report_id>/", dashboard.cohort_report, name="cohort-report"),
    path(
        "cohort-reports/<int:report_id>/<str:file_format>/",
        dashboard.cohort_report_download,
        name="cohort-report-download",
    ),
    path("geography/", geography.geography, name="geography"),
    path("my-work/", my_work.my_work, name="my-work"),
    path("people/<int:pk>/documents/", views.documents, name="documents"),
    path("people/<int:pk>/documents/<int:document_id>/", views.document_status, name="document"),
    path(
        "people/<int:pk>/documents/<int:document_id>/download/",
        views.document_download,
        name="document-download",
    ),
]
