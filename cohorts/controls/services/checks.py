"""The checks every control-measures service makes first."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError

from cohorts.models import Nominal
from iom import access, audit

from .. import dates


def require_change(actor: audit.Actor, nominal: Nominal) -> None:
    """A user changes control measures only on a record they may change (the system may)."""
    user = actor.user
    if user is not None and not access.can(user, "change", nominal):
        raise PermissionDenied("You cannot change this person's control measures.")


def not_in_future(day: datetime.date, field: str, label: str, errors: dict) -> None:
    dates.in_the_past(day, field, label, errors)


def raise_if_any(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)
