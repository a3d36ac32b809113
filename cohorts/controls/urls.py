"""Included by cohorts/urls.py under ``<int:pk>/controls/``: names are in the ``cohorts``
namespace, and ``pk`` is the nominal's."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.controls, name="controls"),
    path("licences/new/", views.licence_create, name="controls-licence-new"),
    path("licences/<int:licence_id>/", views.licence_edit, name="controls-licence"),
    path(
        "licences/<int:licence_id>/conditions/new/",
        views.condition_create,
        name="controls-condition-new",
    ),
    path("breaches/new/", views.breach_create, name="controls-breach-new"),
    path("breaches/<int:breach_id>/recall/", views.recall_create, name="controls-recall-new"),
    path("recalls/<int:recall_id>/", views.recall_detail, name="controls-recall"),
    path(
        "recalls/<int:recall_id>/decision/", views.recall_decision, name="controls-recall-decision"
    ),
    path("sanctions/new/", views.sanction_create, name="controls-sanction-new"),
    path("tests/new/", views.drug_test_create, name="controls-test-new"),
    path("measures/new/", views.measure_create, name="controls-measure-new"),
    path("measures/<int:measure_id>/", views.measure_edit, name="controls-measure"),
]
