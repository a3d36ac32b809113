"""Writing the audit log (Data Protection Act 2018, s.62).

Services call ``record`` inside their transaction, so that a change and its audit event are
committed together or not at all. Views call it for consultations, searches and disclosures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from . import sharing
from .models import AuditAction, AuditEvent


@dataclass(frozen=True)
class Actor:
    """Who acted, and from where. Built once per request by ``actor_from_request``."""

    user: Any
    ip_address: str | None = None
    path: str = ""

    @property
    def username(self) -> str:
        return getattr(self.user, "username", "") or "system"

    @property
    def agency_name(self) -> str:
        agency = getattr(self.user, "agency", None)
        return agency.name if agency else ""


SYSTEM = Actor(user=None, path="")


def actor_from_request(request) -> Actor:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    ip = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
    return Actor(user=request.user, ip_address=ip or None, path=request.get_full_path()[:255])


def as_actor(who) -> Actor:
    """Accept an Actor, a user or None (the system) wherever a service asks who acted."""
    if isinstance(who, Actor):
        return who
    return Actor(user=who) if who is not None else SYSTEM


# A partner consults and is disclosed records under an agreement, which their events name.
_UNDER_AGREEMENT = (AuditAction.CONSULTATION, AuditAction.DISCLOSURE)


def _agreement_id(user, action: str) -> int | None:
    if user is None or action not in _UNDER_AGREEMENT:
        return None
    return sharing.terms_for(user).agreement_id


def _event(actor: Actor, action: str, obj: models.Model | None, nominal, **fields) -> AuditEvent:
    user = actor.user if getattr(actor.user, "is_authenticated", False) else None
    return AuditEvent(
        agreement_id=_agreement_id(user, action),
        user=user,
        username=actor.username,
        agency_name=actor.agency_name,
        action=action,
        nominal=nominal,
        object_type=obj._meta.label if obj is not None else fields.pop("object_type", ""),
        object_id=str(obj.pk) if obj is not None else fields.pop("object_id", ""),
        ip_address=actor.ip_address,
        path=actor.path,
        **fields,
    )


def record(
    who,
    action: AuditAction | str,
    obj: models.Model | None = None,
    *,
    nominal=None,
    description: str = "",
    changes: dict | None = None,
    disclosure_format: str = "",
    recipient: str = "",
    reason: str = "",
) -> AuditEvent:
    """Write one audit event. ``nominal`` is the person the record is about, if any."""
    event = _event(
        as_actor(who),
        action,
        obj,
        nominal,
        description=description[:255],
        changes=changes or {},
        disclosure_format=disclosure_format,
        recipient=recipient[:255],
        reason=reason[:255],
    )
    event.save()
    return event


def record_disclosures(
    who, nominals: Iterable, *, disclosure_format: str, recipient: str, description: str
) -> int:
    """Write one disclosure event per nominal in a single INSERT (exports, API lists)."""
    actor = as_actor(who)
    events = [
        _event(
            actor,
            AuditAction.DISCLOSURE,
            nominal,
            nominal,
            description=description[:255],
            disclosure_format=disclosure_format,
            recipient=recipient[:255],
        )
        for nominal in nominals
    ]
    AuditEvent.objects.bulk_create(events)
    return len(events)


def record_consultations(who, nominal_ids: Iterable[int], *, description: str) -> int:
    """Write one consultation event per person listed on a page, in a single INSERT."""
    actor = as_actor(who)
    events = []
    for nominal_id in sorted(set(nominal_ids)):
        event = _event(
            actor,
            AuditAction.CONSULTATION,
            None,
            None,
            object_type="cohorts.Nominal",
            object_id=str(nominal_id),
            description=description[:255],
        )
        event.nominal_id = nominal_id
        events.append(event)
    AuditEvent.objects.bulk_create(events)
    return len(events)


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """The fields whose values differ, as ``{field: [old, new]}`` in JSON-safe form."""
    return {
        name: [_jsonable(before.get(name)), _jsonable(value)]
        for name, value in after.items()
        if before.get(name) != value
    }


def _jsonable(value):
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    return str(value)
