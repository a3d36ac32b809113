"""What administrators may do in the admin site.

Administrators (staff) configure the service: agencies, teams, users, information-sharing
agreements, reference data and settings, and they unlock sign-in. They see no case record:
no permission on a person's record is listed here, and those models are not in the admin at
all. Keeping the list in code, rather than in a group edited in the admin, means every
administrator has the same rights and a change to them is reviewed like any other change.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import OuterRef, Subquery
from django_otp.plugins.otp_totp.models import TOTPDevice

VIEW_ADD_CHANGE = ("view", "add", "change")

ADMINISTRATOR_PERMISSIONS: frozenset[str] = frozenset(
    f"{app}.{action}_{model}"
    for app, model, actions in (
        ("iom", "agency", VIEW_ADD_CHANGE),
        ("iom", "team", VIEW_ADD_CHANGE),
        ("iom", "user", VIEW_ADD_CHANGE),
        ("iom", "sharingagreement", VIEW_ADD_CHANGE),
        ("iom", "auditevent", ("view",)),
        ("cohorts", "neighbourhoodpolicingarea", VIEW_ADD_CHANGE),
        ("cohorts", "cohortconfiguration", VIEW_ADD_CHANGE),
        ("risk", "offencetype", VIEW_ADD_CHANGE),
        ("risk", "riskmodelversion", VIEW_ADD_CHANGE),
        ("risk", "rankingrun", ("view",)),
        ("controls", "controlsconfiguration", VIEW_ADD_CHANGE),
        ("pathways", "agencypathwaysettings", VIEW_ADD_CHANGE),
        ("pathways", "agencypathway", (*VIEW_ADD_CHANGE, "delete")),
        ("pathways", "pathwayconfiguration", VIEW_ADD_CHANGE),
        ("reports", "unitcost", (*VIEW_ADD_CHANGE, "delete")),
        ("reports", "reportconfiguration", VIEW_ADD_CHANGE),
        ("reports", "cohortreport", ("view",)),
        # Sign-in lock-outs: deleting the attempts is unlocking (audited by the admin action).
        ("axes", "accessattempt", ("view", "delete")),
        ("axes", "accessfailurelog", ("view",)),
        ("axes", "accesslog", ("view",)),
        # API tokens, for system accounts only.
        ("iom", "systemtoken", ("view", "add", "delete")),
    )
    for action in actions
)


def is_administrator(user) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_staff", False))


class AdministratorPermissionBackend:
    """Grants administrators the model permissions above; authenticates nobody."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user, perm: str, obj=None) -> bool:
        return obj is None and is_administrator(user) and perm in ADMINISTRATOR_PERMISSIONS

    def has_module_perms(self, user, app_label: str) -> bool:
        return is_administrator(user) and any(
            perm.startswith(f"{app_label}.") for perm in ADMINISTRATOR_PERMISSIONS
        )


class UserBackend(ModelBackend):
    """Django's ModelBackend, whose ``get_user`` (run on every signed-in request) reads the
    user's agency and team and their confirmed authenticator in the same query: every page
    needs them (the access gate, the audit log, the two-factor check). ``confirmed_device_id``
    is the authenticator's id, or None; ``iom.middleware.OTPMiddleware`` verifies the session
    with it instead of reading the authenticator again."""

    def get_user(self, user_id):
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True).order_by("pk")
        found = list(
            get_user_model()
            ._default_manager.select_related("agency", "team")
            .annotate(confirmed_device_id=Subquery(confirmed.values("pk")[:1]))
            .filter(pk=user_id)
            .order_by()[:1]
        )
        # The user with what the query annotated, and what this request adds for mfa.
        user: Any = found[0] if found else None
        if user is None or not self.user_can_authenticate(user):
            return None
        user.has_confirmed_device = user.confirmed_device_id is not None
        return user
