from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

admin.site.site_header = "IOM administration"
admin.site.site_title = "IOM administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-in/code/", views.mfa_verify, name="mfa-verify"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/two-factor/", views.mfa_setup, name="mfa-setup"),
    path("status/", views.status, name="status"),
    path("healthz/", views.healthz, name="healthz"),
    path("cohort/", include("cohorts.urls")),
    path("referrals/", include("referrals.urls")),
    path("pathways/", include("pathways.urls")),
    path("reports/", include("reports.urls")),
    path("api/", include("iom.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
