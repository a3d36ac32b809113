"""Pages of the shared core: sign-in, service status and sections not built yet."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, user_passes_test
from django.db import connection
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from . import audit
from .models import AuditAction, Heartbeat


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(
            audit.actor_from_request(self.request),
            AuditAction.SIGN_IN,
            self.request.user,
            description="Signed in",
        )
        return response


def home(request):
    return redirect("cohorts:list")


@login_required
def not_available(request, *, title: str, what: str, section: str):
    """A top-level section whose feature has not been built yet says so plainly."""
    return render(
        request,
        "iom/not_available.html",
        {"title": title, "what": what, "current_section": section},
    )


@never_cache
@login_required
@user_passes_test(lambda user: user.is_staff or user.is_manager)
def status(request):
    """What an administrator checks first: database, worker and scheduler."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    beats = {beat.source: beat for beat in Heartbeat.objects.all()}
    return render(
        request,
        "iom/status.html",
        {
            "database_vendor": connection.vendor,
            "worker": beats.get("worker"),
            "now": timezone.now(),
        },
    )
