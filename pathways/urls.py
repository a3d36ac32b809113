from django.urls import path

from . import views

app_name = "pathways"

# ``pk`` is the nominal's: every page is part of one person's record.
urlpatterns = [
    path("<int:pk>/", views.plan, name="plan"),
    path("<int:pk>/<slug:pathway>/edit/", views.pathway_edit, name="pathway-edit"),
    path("<int:pk>/<slug:pathway>/review/", views.review_new, name="review-new"),
    path("<int:pk>/<slug:pathway>/actions/new/", views.action_new, name="action-new"),
    path("<int:pk>/actions/<int:action_id>/", views.action_edit, name="action-edit"),
]
