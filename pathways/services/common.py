"""What the pathway services share: who is acting, their rights on a plan, today's date and
the snapshot of fields an audit event compares."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cohorts.models import Nominal
from iom import audit
from iom.models import User

from ..models import PathwayKind
from ..permissions import PlanAccess, plan_access


def acting_user(by) -> User | None:
    user = audit.as_actor(by).user
    return user if getattr(user, "is_authenticated", False) else None


def access_of(by, nominal: Nominal) -> PlanAccess | None:
    """The actor's rights on the plan; None for the system (seed, tasks), which may do all."""
    user = acting_user(by)
    if user is None:
        return None
    return plan_access(user, nominal)


def require_act(by, nominal: Nominal, pathway: str) -> PlanAccess | None:
    rights = access_of(by, nominal)
    if rights is not None and not rights.may_act(pathway):
        label = PathwayKind(pathway).label
        raise PermissionDenied(
            f"Your agency does not deliver the {label} pathway, so you cannot change it."
        )
    return rights


def today() -> datetime.date:
    return timezone.localdate()


def snapshot(obj, fields) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}
