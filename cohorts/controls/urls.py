"""Included by cohorts/urls.py under ``<int:pk>/controls/``: names are in the ``cohorts``
namespace, and ``pk`` is the nominal's. The pages are grouped by the record they are about."""

from django.urls import include, path

from . import views

licences = [
    path("new/", views.licence_create, name="controls-licence-new"),
    path("<int:licence_id>/", views.licence_edit, name="controls-licence"),
    path(
        "<int:licence_id>/conditions/new/",
        views.condition_create,
        name="controls-condition-new",
    ),
]

recalls = [
    path("<int:recall_id>/", views.recall_detail, name="controls-recall"),
    path("<int:recall_id>/decision/", views.recall_decision, name="controls-recall-decision"),
]

measures = [
    path("new/", views.measure_create, name="controls-measure-new"),
    path("<int:measure_id>/", views.measure_edit, name="controls-measure"),
]

urlpatterns = [
    path("", views.controls, name="controls"),
    path("licences/", include(licences)),
    path("breaches/new/", views.breach_create, name="controls-breach-new"),
    path("breaches/<int:breach_id>/recall/", views.recall_create, name="controls-recall-new"),
    path("recalls/", include(recalls)),
    path("sanctions/new/", views.sanction_create, name="controls-sanction-new"),
    path("tests/new/", views.drug_test_create, name="controls-test-new"),
    path("measures/", include(measures)),
]
