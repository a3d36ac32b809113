from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.referral_create, name="new"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("panels/", views.panel_list, name="panels"),
    path("panels/new/", views.panel_create, name="panel-new"),
    path("panels/<int:pk>/", views.panel_detail, name="panel"),
    path("panels/<int:pk>/minutes/", views.panel_minutes, name="panel-minutes"),
    path("panels/<int:pk>/actions/", views.panel_action, name="panel-action"),
]
