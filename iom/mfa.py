"""Two-factor sign-in with a time-based one-time code (TOTP) from an authenticator app.

After the password, a user with a confirmed authenticator must enter a code; where two-factor
sign-in is required (production), a user without one must set one up before going further.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .models import AuditAction


def has_device(user) -> bool:
    """Whether the user has a confirmed authenticator. The user a request signs in with says
    so already (``iom.backends.UserBackend`` reads it with the user, for this request)."""
    known = getattr(user, "has_confirmed_device", None)
    if known is not None:
        return bool(known)
    return any(True for _ in devices_for_user(user, confirmed=True))


def needs_verification(request, user) -> bool:
    """Whether this signed-in session must still pass the second factor (or set one up)."""
    if not user.is_authenticated or user.is_verified():
        return False
    # Where two-factor is optional, an unverified user needs to know whether they have a
    # device: read with the user at each request, not kept in the session, where it would go
    # stale the moment an administrator resets a device.
    return settings.IOM_REQUIRE_MFA or has_device(user)


def verify(request, code: str) -> bool:
    """Check a code against the user's confirmed authenticators; on success, the session is
    verified and the sign-in audited."""
    code = "".join(code.split())
    for device in devices_for_user(request.user, confirmed=True):
        if device.verify_token(code):
            otp_login(request, device)
            audit.record(
                audit.actor_from_request(request),
                AuditAction.SIGN_IN,
                request.user,
                description="Passed two-factor verification",
            )
            return True
    return False


def pending_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (one per user, made on first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    """The setup QR code as inline SVG (no image request, nothing leaves the service)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#0b0c0c")


@transaction.atomic
def confirm_device(request, device: TOTPDevice, code: str) -> bool:
    """Confirm a new authenticator with its first code; it replaces any earlier one."""
    if not device.verify_token("".join(code.split())):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    request.user.has_confirmed_device = True
    otp_login(request, device)
    audit.record(
        audit.actor_from_request(request),
        AuditAction.ALTERATION,
        request.user,
        description="Set up two-factor sign-in",
    )
    return True
