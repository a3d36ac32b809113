"""Included by cohorts/urls.py, so that these names are in the ``cohorts`` namespace."""

from django.urls import path

from . import custody_views, recording_views, views
from .ogrs3 import views as ogrs3_views

urlpatterns = [
    path("<int:pk>/risk/", views.risk_section, name="risk"),
    path("<int:pk>/risk/override/", views.risk_override, name="risk-override"),
    path("<int:pk>/risk/ogrs3/", ogrs3_views.ogrs3_inputs, name="risk-ogrs3"),
    path("<int:pk>/offending/", views.offending_section, name="offending"),
    path("<int:pk>/offending/factors/new/", views.dynamic_factor_new, name="factor-new"),
    path("<int:pk>/offending/factors/end/", views.dynamic_factor_end, name="factor-end"),
    path("<int:pk>/offending/custody/new/", views.custody_new, name="custody-new"),
    path("<int:pk>/custody/", custody_views.custody_page, name="custody"),
    path(
        "<int:pk>/custody/open/",
        custody_views.custody_page,
        {"action": "open"},
        name="custody-open",
    ),
    path(
        "<int:pk>/custody/<int:period_id>/plan/<int:item_id>/",
        custody_views.plan_item_page,
        name="custody-plan-item",
    ),
    path(
        "<int:pk>/custody/<int:period_id>/<slug:action>/",
        custody_views.custody_page,
        name="custody-action",
    ),
    path("<int:pk>/offending/residence/new/", views.residence_new, name="residence-new"),
    path("<int:pk>/offending/arrests/new/", recording_views.arrest_new, name="arrest-new"),
    path(
        "<int:pk>/offending/arrests/<int:row_id>/", recording_views.arrest_edit, name="arrest-edit"
    ),
    path("<int:pk>/offending/detections/new/", recording_views.detection_new, name="detection-new"),
    path(
        "<int:pk>/offending/detections/<int:row_id>/",
        recording_views.detection_edit,
        name="detection-edit",
    ),
    path(
        "<int:pk>/offending/intelligence/new/",
        recording_views.intelligence_new,
        name="intelligence-new",
    ),
    path(
        "<int:pk>/offending/intelligence/<int:row_id>/",
        recording_views.intelligence_edit,
        name="intelligence-edit",
    ),
    path(
        "<int:pk>/offending/intelligence/submit/",
        recording_views.intelligence_submit,
        name="intelligence-submit",
    ),
    path(
        "<int:pk>/offending/intelligence/submissions/<int:submission_id>/",
        recording_views.submission_decide,
        name="submission-decide",
    ),
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
