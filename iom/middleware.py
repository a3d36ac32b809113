from urllib.parse import urlencode

from django.db import DEFAULT_DB_ALIAS
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import middleware as otp_middleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import mfa


class OTPMiddleware(otp_middleware.OTPMiddleware):
    """django-otp's middleware (``request.user.otp_device``, ``is_verified()``), which finds
    the authenticator that verified the session without reading it again when it is the
    user's confirmed one, as ``iom.backends.UserBackend`` loaded it with the user. Any other
    device the session names is read and checked as django-otp does.

    The device is an instance with only its id, user and confirmation loaded: any other
    field is read if asked for, and saving it writes only what was loaded."""

    def _verify_user_sync(self, request, user):
        confirmed_id = getattr(user, "confirmed_device_id", None)
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY) if confirmed_id else None
        if persistent_id is None or persistent_id != _persistent_id(confirmed_id):
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        user.otp_device = TOTPDevice.from_db(
            DEFAULT_DB_ALIAS, ["id", "user_id", "confirmed"], [confirmed_id, user.pk, True]
        )
        return user


def _persistent_id(device_id: int) -> str:
    return f"{TOTPDevice._meta.label_lower}/{device_id}"


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: a content security policy and no caching of pages
    that hold personal data (a shared computer's back button must not show a record)."""

    CSP = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.CSP)
        if request.user.is_authenticated and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class TwoFactorMiddleware:
    """Sends a signed-in user who still owes a second factor to enter it (or set it up).

    Only the pages needed to do that, signing out and static files are open meanwhile.
    """

    OPEN_PATHS = (
        "/sign-in/",
        "/sign-out/",
        "/static/",
        "/account/two-factor/",
        "/account/set-password/",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.OPEN_PATHS) or not mfa.needs_verification(
            request, request.user
        ):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "Two-factor verification is required."}, status=403)
        target = "mfa-verify" if mfa.has_device(request.user) else "mfa-setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
