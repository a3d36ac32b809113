from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import agreement_views, views

# The API answers an address it does not know in JSON, like the rest of its refusals.
handler404 = "iom.api.errors.page_not_found"

admin.site.site_header = "IOM administration"
admin.site.site_title = "IOM administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-in/code/", views.mfa_verify, name="mfa-verify"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/two-factor/", views.mfa_setup, name="mfa-setup"),
    path(
        "account/password/",
        login_required(views.PasswordChangeView.as_view()),
        name="password-change",
    ),
    path(
        "account/set-password/<uidb64>/<token>/",
        views.SetPasswordView.as_view(),
        name="password-set",
    ),
    path("status/", views.status, name="status"),
    path("sharing-agreements/", agreement_views.agreement_list, name="agreements"),
    path("sharing-agreements/<int:pk>/", agreement_views.agreement_detail, name="agreement"),
    path("healthz/", views.healthz, name="healthz"),
    path("cohort/", include("cohorts.urls")),
    path("referrals/", include("referrals.urls")),
    path("pathways/", include("pathways.urls")),
    path("reports/", include("reports.urls")),
    path("api/", include("iom.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]
