from django.urls import path

from iom.views import not_available

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
]
