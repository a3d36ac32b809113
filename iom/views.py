"""Pages of the shared core: sign-in, service status and sections not built yet."""

import base64

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from . import audit, mfa
from .forms import OneTimeCodeForm
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
def status(request):
    """What an administrator checks first: database, worker and scheduler. Refused (not a
    redirect to sign in again) to anyone else who is signed in."""
    if not (request.user.is_staff or request.user.is_iom_manager):
        raise PermissionDenied("The service status is for administrators and the IOM managers.")
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


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@never_cache
@login_required
def mfa_verify(request):
    """The second step of signing in: the code from the user's authenticator app."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.verify(request, form.cleaned_data["code"]):
            return redirect(_next_url(request))
        audit.record(
            audit.actor_from_request(request),
            AuditAction.SIGN_IN_FAILED,
            request.user,
            description="Entered a wrong two-factor code",
        )
        form.add_error("code", "The security code is wrong or has expired: enter the new one")
    return render(
        request,
        "registration/mfa_verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def mfa_setup(request):
    """Set up (or replace) the authenticator app: scan the QR code, enter the first code.

    Someone who already has an authenticator must pass it first, so that a stolen password
    alone cannot replace it.
    """
    if mfa.has_device(request.user) and not request.user.is_verified():
        return redirect("mfa-verify")
    device = mfa.pending_device(request.user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.confirm_device(request, device, form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error("code", "The security code is wrong or has expired: enter the new one")
    return render(
        request,
        "registration/mfa_setup.html",
        {
            "form": form,
            "qr_code": mfa.qr_code_svg(device),
            "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
            "required": settings.IOM_REQUIRE_MFA,
            "next": _next_url(request),
        },
        status=400 if form.errors else 200,
    )
