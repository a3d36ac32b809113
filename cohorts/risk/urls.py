"""Included by cohorts/urls.py, so that these names are in the ``cohorts`` namespace. A
person's pages are grouped by the record they are about; ``pk`` is the person's."""

from django.urls import include, path

from . import custody_views, recording_views, views
from .ogrs3 import views as ogrs3_views

risk = [
    path("", views.risk_section, name="risk"),
    path("override/", views.risk_override, name="risk-override"),
    path("ogrs3/", ogrs3_views.ogrs3_inputs, name="risk-ogrs3"),
]

arrests = [
    path("new/", recording_views.arrest_new, name="arrest-new"),
    path("<int:row_id>/", recording_views.arrest_edit, name="arrest-edit"),
]

detections = [
    path("new/", recording_views.detection_new, name="detection-new"),
    path("<int:row_id>/", recording_views.detection_edit, name="detection-edit"),
]

intelligence = [
    path("new/", recording_views.intelligence_new, name="intelligence-new"),
    path("<int:row_id>/", recording_views.intelligence_edit, name="intelligence-edit"),
    path("submit/", recording_views.intelligence_submit, name="intelligence-submit"),
    path(
        "submissions/<int:submission_id>/",
        recording_views.submission_decide,
        name="submission-decide",
    ),
]

offending = [
    path("", views.offending_section, name="offending"),
    path("factors/new/", views.dynamic_factor_new, name="factor-new"),
    path("factors/end/", views.dynamic_factor_end, name="factor-end"),
    path("custody/new/", views.custody_new, name="custody-new"),
    path("residence/new/", views.residence_new, name="residence-new"),
    path("arrests/", include(arrests)),
    path("detections/", include(detections)),
    path("intelligence/", include(intelligence)),
]

custody = [
    path("", custody_views.custody_page, name="custody"),
    path("open/", custody_views.custody_page, {"action": "open"}, name="custody-open"),
    path(
        "<int:period_id>/plan/<int:item_id>/",
        custody_views.plan_item_page,
        name="custody-plan-item",
    ),
    path("<int:period_id>/<slug:action>/", custody_views.custody_page, name="custody-action"),
]

urlpatterns = [
    path("<int:pk>/risk/", include(risk)),
    path("<int:pk>/offending/", include(offending)),
    path("<int:pk>/custody/", include(custody)),
    # The IOM unit's pages, about no one person.
    path(
        "intelligence-submissions/",
        recording_views.submissions_waiting,
        name="intelligence-submissions",
    ),
    path("emerging-threats/", views.emerging_threats, name="emerging-threats"),
    path("risk-runs/", views.run_list, name="risk-runs"),
    path("risk-runs/start/", views.run_start, name="risk-run-start"),
    path("risk-runs/<int:run_id>/", views.run_detail, name="risk-run"),
    path("offending-imports/", views.import_list, name="offending-imports"),
    path("offending-imports/<int:job_id>/", views.import_detail, name="offending-import"),
]
