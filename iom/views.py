"""Pages of the shared core: sign-in, passwords, service status and sections not built yet."""

import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from . import audit, mfa, services
from .forms import OneTimeCodeForm, PasswordChangeForm, SetPasswordForm, SignInForm
from .models import AuditAction, Heartbeat


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = SignInForm
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


class PasswordChangeView(auth_views.PasswordChangeView):
    """Any signed-in user changes their password, giving the current one first."""

    template_name = "registration/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("cohorts:list")

    def form_valid(self, form):
        services.set_password(
            form.user,
            form.cleaned_data["new_password1"],
            by=audit.actor_from_request(self.request),
            description="Changed their password",
        )
        # Changing the password signs out the user's other sessions, not this one.
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, "Your password has been changed.")
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The page a set-password link opens, signed out: a new password, once, before the link
    expires. A used or expired link is refused, saying what to do."""

    template_name = "registration/password_set.html"
    form_class = SetPasswordForm
    post_reset_login = False
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        services.set_password(
            form.user,
            form.cleaned_data["new_password1"],
            by=audit.Actor(
                user=form.user,
                ip_address=audit.client_ip(self.request),
                path=self.request.path[:255],
            ),
            description="Set their password with a link from an administrator",
        )
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        messages.success(self.request, "Your password is set. Sign in with it.")
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def dispatch(self, *args, **kwargs):
        response = super().dispatch(*args, **kwargs)
        if not self.validlink and not isinstance(response, HttpResponseRedirect):
            audit.record(
                audit.Actor(
                    user=None, ip_address=audit.client_ip(self.request), path=self.request.path
                ),
                AuditAction.SIGN_IN_FAILED,
                self.user,
                description="Opened a set-password link that was used, expired or wrong",
            )
            response.status_code = 400
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
    """What an administrator checks first: database, worker and scheduler. Anyone else is
    told they may not see it (a redirect to sign-in would loop for a signed-in user)."""
    if not (request.user.is_staff or request.user.is_iom_manager):
        raise PermissionDenied("The service status is for administrators and IOM managers.")
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


@never_cache
def healthz(request):
    """The load balancer's and the container's health check: can this process reach its
    database? Open to anyone, so it says nothing else: no version, no names, no counts."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


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
