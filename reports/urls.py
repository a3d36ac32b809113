from django.urls import path

from iom.views import not_available

from . import my_work, views

app_name = "reports"

urlpatterns = [
    path(
        "",
        not_available,
        {
            "title": "Reports",
            "what": "the monthly cohort report, the dashboard and measures of success",
            "section": "reports",
        },
        name="index",
    ),
    path("my-work/", my_work.my_work, name="my-work"),
    path("people/<int:pk>/documents/", views.documents, name="documents"),
    path("people/<int:pk>/documents/<int:document_id>/", views.document_status, name="document"),
    path(
        "people/<int:pk>/documents/<int:document_id>/download/",
        views.document_download,
        name="document-download",
    ),
]
