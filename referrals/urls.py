from django.urls import path

from . import panel_views, views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.referral_create, name="new"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("panels/", panel_views.panel_list, name="panels"),
    path("panels/new/", panel_views.panel_create, name="panel-new"),
    path("panels/<int:pk>/", panel_views.panel_detail, name="panel"),
    path("panels/<int:pk>/minutes/", panel_views.panel_minutes, name="panel-minutes"),
    path("panels/<int:pk>/actions/", panel_views.panel_action, name="panel-action"),
]
