"""Included by cohorts/urls.py under ``<int:pk>/contacts/``: names are in the ``cohorts``
namespace, and ``pk`` is the nominal's."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.contact_log, name="contacts"),
    path("new/", views.contact_create, name="contact-new"),
    path("<int:contact_id>/", views.contact_detail, name="contact"),
    path("<int:contact_id>/breach/", views.contact_breach, name="contact-breach"),
]
