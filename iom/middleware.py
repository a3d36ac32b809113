from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import mfa


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
