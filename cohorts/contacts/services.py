"""Every change to contacts: booking an appointment, recording a contact or its outcome,
correcting it, and turning a missed appointment into a breach of licence. One function each,
validated before anything is written, audited inside the same transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cohorts.controls import services as controls_services
from cohorts.controls.models import Breach, LicenceCondition
from cohorts.dates import YEARS_AHEAD, out_of_bounds
from cohorts.models import Nominal
from iom import access, audit, sharing
from iom.formatting import in_sentence, long_date, long_datetime
from iom.locking import lock_for_update
from iom.models import AuditAction

from .models import Absence, Attendance, Contact, ContactKind

FIELDS = (
    "kind",
    "planned_at",
    "happened_at",
    "location",
    "attendance",
    "absence",
    "absence_reason",
    "outcome",
    "note",
    "is_shared",
)
RELATED = ("attendees", "agencies")
EDITABLE_FIELDS = FIELDS + RELATED


def can_write(user, nominal: Nominal) -> bool:
    """Whoever may change the person's record may write contacts about them: the IOM unit,
    and a partner (a named offender manager, say) whose agreement covers contacts."""
    if not access.can(user, "change", nominal):
        return False
    return user.sees_whole_cohort or sharing.covers(user, sharing.CONTACTS)


def _require_write(actor: audit.Actor, nominal: Nominal) -> None:
    user = actor.user
    if user is not None and not can_write(user, nominal):
        raise PermissionDenied("You cannot record contacts with this person.")


def _is_partner(actor: audit.Actor) -> bool:
    return actor.user is not None and not actor.user.sees_whole_cohort


def _check(contact: Contact) -> None:
    """The friendly form of the table's constraints, and the rules about time."""
    errors: dict[str, str] = {}
    now = timezone.now()
    if contact.kind not in ContactKind.values:
        errors["kind"] = "Select the type of contact"
    if contact.planned_at is None and contact.happened_at is None:
        errors["planned_at"] = "Enter when the appointment is booked for, or when it took place"
    if contact.happened_at is not None and contact.happened_at > now:
        errors["happened_at"] = "The time it took place cannot be in the future"
    # Year 1 or 9999 is a typing slip: refused, as for every date of the record.
    for field, label in (("planned_at", "The appointment"), ("happened_at", "The contact")):
        moment = getattr(contact, field)
        if moment is not None and field not in errors:
            problem = out_of_bounds(moment.date(), label, years=YEARS_AHEAD)
            if problem:
                errors[field] = problem
    if contact.attendance and contact.attendance not in Attendance.values:
        errors["attendance"] = "Select attended, did not attend or refused"
    elif contact.attendance:
        if contact.happened_at is None and (contact.planned_at or now) > now:
            errors["attendance"] = (
                "The appointment is still to come: record whether the person attended after it"
            )
        if contact.attendance == Attendance.ATTENDED and contact.happened_at is None:
            errors["happened_at"] = "Enter when the contact took place"
    if contact.attendance == Attendance.DID_NOT_ATTEND:
        if contact.absence not in Absence.values:
            errors["absence"] = "Say whether a reason was given, and whether it is acceptable"
    elif contact.absence or contact.absence_reason.strip():
        errors["absence"] = "Give a reason for not attending only when the person did not attend"
    if errors:
        raise ValidationError(errors)


def _snapshot(contact: Contact, attendees=None, agencies=None) -> dict[str, Any]:
    snapshot = {name: getattr(contact, name) for name in FIELDS}
    if contact.pk:
        attendees = contact.attendees.all() if attendees is None else attendees
        agencies = contact.agencies.all() if agencies is None else agencies
        snapshot["attendees"] = sorted(str(user) for user in attendees)
        snapshot["agencies"] = sorted(str(agency) for agency in agencies)
    return snapshot


def _agencies_with_attendees(agencies, attendees) -> list:
    """The agencies present: those chosen, and those of the people who were there."""
    chosen = {agency.pk: agency for agency in agencies}
    for user in attendees:
        if user.agency is not None:
            chosen.setdefault(user.agency.pk, user.agency)
    return list(chosen.values())


@transaction.atomic
def record_contact(
    nominal: Nominal,
    *,
    by,
    kind: str,
    planned_at: datetime.datetime | None = None,
    happened_at: datetime.datetime | None = None,
    attendees=(),
    agencies=(),
    location: str = "",
    attendance: str = "",
    absence: str = "",
    absence_reason: str = "",
    outcome: str = "",
    note: str = "",
    is_shared: bool = False,
) -> Contact:
    """Book an appointment (``planned_at``, no outcome yet) or record a contact that took
    place or was missed. A partner's contacts are always shared under the agreement: a
    contact they could not see afterwards would be lost to them. Refuses a time in the future
    for what happened, an outcome of an appointment still to come, and a reason for absence
    unless the person did not attend."""
    actor = audit.as_actor(by)
    _require_write(actor, nominal)
    attendees = list(attendees)
    contact = Contact(
        nominal=nominal,
        kind=kind,
        planned_at=planned_at,
        happened_at=happened_at,
        location=location.strip(),
        attendance=attendance or "",
        absence=absence or "",
        absence_reason=absence_reason.strip(),
        outcome=outcome.strip(),
        note=note.strip(),
        is_shared=True if _is_partner(actor) else bool(is_shared),
        recorded_by=actor.user,
    )
    _check(contact)
    contact.save()
    contact.attendees.set(attendees)
    agencies = _agencies_with_attendees(agencies, attendees)
    contact.agencies.set(agencies)
    audit.record(
        actor,
        AuditAction.COLLECTION,
        contact,
        nominal=nominal,
        description=("Booked" if contact.is_appointment and not contact.is_recorded else "Recorded")
        + f" a contact: {contact}",
        changes=audit.changes_between({}, _snapshot(contact, attendees, agencies)),
    )
    return contact


@transaction.atomic
def update_contact(contact_id: int, *, by, version: int, changes: dict[str, Any]) -> Contact:
    """Record the outcome of a booked appointment, or correct a contact, edited from
    ``version``. The old and new values are audited. Refuses a stale edit
    (``StaleEditError``), the same invalid values ``record_contact`` refuses, and a partner
    making a contact IOM-unit-only; writes nothing then."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}")
    actor = audit.as_actor(by)
    contact = lock_for_update(Contact, contact_id, version)
    _require_write(actor, contact.nominal)
    if _is_partner(actor) and not contact.is_shared:
        raise PermissionDenied("You cannot change this contact.")
    before = _snapshot(contact)
    attendees = changes.get("attendees")
    agencies = changes.get("agencies")
    for name in FIELDS:
        if name in changes:
            value = changes[name]
            setattr(contact, name, value.strip() if isinstance(value, str) else value)
    contact.attendance = contact.attendance or ""
    contact.absence = contact.absence or ""
    if _is_partner(actor):
        contact.is_shared = True
    if contact.breach_id and contact.attendance not in (
        Attendance.DID_NOT_ATTEND,
        Attendance.REFUSED,
    ):
        raise ValidationError(
            {"attendance": "A breach was recorded for this missed contact: it stays missed"}
        )
    _check(contact)
    attendees = list(contact.attendees.all()) if attendees is None else list(attendees)
    agencies = list(contact.agencies.all()) if agencies is None else list(agencies)
    agencies = _agencies_with_attendees(agencies, attendees)
    diff = audit.changes_between(before, _snapshot(contact, attendees, agencies))
    if not diff:
        return Contact.objects.get(pk=contact_id)
    contact.save()
    contact.attendees.set(attendees)
    contact.agencies.set(agencies)
    audit.record(
        actor,
        AuditAction.ALTERATION,
        contact,
        nominal=contact.nominal,
        description=f"Changed {', '.join(diff)} of a contact",
        changes=diff,
    )
    return contact


def breach_evidence(contact: Contact) -> str:
    """The evidence a breach from this missed contact starts with (the officer may add)."""
    booked = contact.planned_at or contact.happened_at
    when = timezone.localtime(booked)
    said: dict[str, str] = {
        Attendance.DID_NOT_ATTEND: "Did not attend",
        Attendance.REFUSED: "Refused",
    }
    words = said.get(contact.attendance, "Missed")
    text = f"{words} the {in_sentence(contact.get_kind_display())} booked for {long_datetime(when)}"
    if contact.absence:
        text += f" ({in_sentence(contact.get_absence_display())}"
        text += f": {contact.absence_reason})" if contact.absence_reason else ")"
    return text + "."


@transaction.atomic
def record_breach_from_contact(
    contact_id: int,
    *,
    by,
    evidence: str,
    occurred_on: datetime.date | None = None,
    condition: LicenceCondition | None = None,
) -> Breach:
    """Turn a missed appointment into a breach of the licence the person was on that day,
    linking the two. Refuses a contact that was not missed, one already turned into a breach,
    and a person who was not on licence; the breach service's own checks apply."""
    actor = audit.as_actor(by)
    contact = Contact.objects.select_for_update().select_related("nominal").get(pk=contact_id)
    _require_write(actor, contact.nominal)
    if not contact.is_missed:
        raise ValidationError("Only a missed or refused appointment can become a breach")
    if contact.breach_id is not None:
        raise ValidationError("A breach was already recorded for this contact")
    day = occurred_on or timezone.localdate(contact.planned_at or contact.happened_at)
    licence = controls_services.current_licence(contact.nominal, day)
    if licence is None:
        raise ValidationError(
            {"occurred_on": f"{contact.nominal.full_name} was not on licence on {long_date(day)}"}
        )
    breach = controls_services.record_breach(
        licence, by=actor, occurred_on=day, evidence=evidence, condition=condition
    )
    contact.breach = breach
    contact.version += 1
    contact.save(update_fields=["breach", "version", "updated_at"])
    audit.record(
        actor,
        AuditAction.ALTERATION,
        contact,
        nominal=contact.nominal,
        description=f"Turned a missed contact into the breach of {long_date(day)}",
        changes={"breach": [None, str(breach)]},
    )
    return breach
