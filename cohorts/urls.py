from django.urls import include, path

from . import list_views, people_views, task_views, views

app_name = "cohorts"

urlpatterns = [
    path("", list_views.cohort_list, name="list"),
    path("export.csv", list_views.cohort_export, name="export"),
    path("new/", people_views.person_add, name="person-new"),
    path("<int:pk>/", views.nominal_summary, name="nominal"),
    path("tasks/<int:task_id>/", task_views.task_detail, name="task"),
    path("<int:pk>/aliases/", people_views.aliases, name="aliases"),
    path("<int:pk>/aliases/<int:alias_id>/", people_views.alias_edit, name="alias"),
    path("<int:pk>/offender-managers/", people_views.offender_managers, name="offender-managers"),
    path("<int:pk>/photograph/", people_views.photograph, name="photograph"),
    path("<int:pk>/photograph/change/", people_views.photograph_change, name="photograph-change"),
    path("<int:pk>/edit/", views.nominal_edit, name="edit"),
    path("<int:pk>/audit/", views.nominal_audit, name="audit"),
    path("<int:pk>/erase/", people_views.person_erase, name="erase"),
    path("<int:pk>/sharing/", views.nominal_sharing, name="sharing"),
    path("<int:pk>/engagement/", views.engagement_record, name="engagement"),
    path("<int:pk>/membership/", views.membership_change, name="membership"),
    path("", include("cohorts.risk.urls")),
    path("<int:pk>/controls/", include("cohorts.controls.urls")),
    path("<int:pk>/contacts/", include("cohorts.contacts.urls")),
]
