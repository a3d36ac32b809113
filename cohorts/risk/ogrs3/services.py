"""Officers' corrections of OGRS3 inputs: one function each, one transaction, validation before
writing, the audit event (with the old and new value and the reason) inside. The next run
uses the corrected value (``run``)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cohorts.models import Nominal
from iom import access, audit
from iom.formatting import in_sentence
from iom.locking import lock_for_update
from iom.models import AuditAction

from ..models import Ogrs3Correction, Ogrs3Input
from .inputs import as_text, record_inputs
from .reference import OGRS3_V3

DATE_INPUTS = (
    Ogrs3Input.CONVICTION_DATE,
    Ogrs3Input.FIRST_SANCTION_DATE,
    Ogrs3Input.FOLLOW_UP_START,
)


def can_correct(user, nominal: Nominal) -> bool:
    return access.can(user, "change", nominal)


def _require(actor, nominal: Nominal) -> None:
    if actor.user is None or not can_correct(actor.user, nominal):
        raise PermissionDenied("You cannot change this person's OGRS3 inputs.")


def checked_value(field: str, value) -> str:
    """The value as stored (ISO date, whole number or category code); ValidationError naming
    the field when it cannot be right."""
    if field not in Ogrs3Input.values:
        raise ValidationError({"field": "Select an input from the list"})
    if field in DATE_INPUTS:
        if not isinstance(value, datetime.date):
            raise ValidationError({"value": "Enter a date"})
        if value > timezone.localdate():
            raise ValidationError({"value": "The date must be today or in the past"})
        return value.isoformat()
    if field == Ogrs3Input.PREVIOUS_SANCTIONS:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError({"value": "Enter the number of previous sanctions, 0 or more"})
        return str(value)
    if OGRS3_V3.category(value) is None or not isinstance(value, str):
        raise ValidationError({"value": "Select an OGRS3 category from the list"})
    return value


def correct_input(nominal: Nominal, *, by, field: str, value, reason: str) -> Ogrs3Correction:
    """Record an officer's value for one input, replacing a correction of it already in force."""
    actor = audit.as_actor(by)
    _require(actor, nominal)
    stored = checked_value(field, value)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the record's value is not right"})
    with transaction.atomic():
        in_force = list(
            Ogrs3Correction.objects.select_for_update().filter(
                nominal=nominal, field=field, withdrawn_at__isnull=True
            )
        )
        if in_force:
            old = in_force[0].value
        else:
            old = as_text(getattr(record_inputs(nominal.pk, timezone.localdate()), field))
        now = timezone.now()
        Ogrs3Correction.objects.filter(pk__in=[c.pk for c in in_force]).update(
            withdrawn_at=now, withdrawn_by=actor.user
        )
        correction = Ogrs3Correction.objects.create(
            nominal=nominal, field=field, value=stored, reason=reason.strip(),
            recorded_by=actor.user,
        )  # fmt: skip
        audit.record(
            actor,
            AuditAction.ALTERATION,
            correction,
            nominal=nominal,
            description=f"Corrected the OGRS3 input: {in_sentence(correction.get_field_display())}",
            changes={field: [old, stored]},
            reason=reason.strip(),
        )
    return correction


def withdraw_correction(correction_id: int, *, by, version: int) -> Ogrs3Correction:
    """Stop using an officer's value: the next run reads the input from the record again."""
    actor = audit.as_actor(by)
    with transaction.atomic():
        correction = lock_for_update(Ogrs3Correction, correction_id, version)
        _require(actor, correction.nominal)
        if correction.withdrawn_at is not None:
            raise ValidationError("This correction is no longer in force")
        correction.withdrawn_at = timezone.now()
        correction.withdrawn_by = actor.user
        correction.save()
        record = as_text(
            getattr(record_inputs(correction.nominal_id, timezone.localdate()), correction.field)
        )
        audit.record(
            actor,
            AuditAction.ALTERATION,
            correction,
            nominal=correction.nominal,
            description="Withdrew the OGRS3 correction: "
            f"{in_sentence(correction.get_field_display())}",
            changes={correction.field: [correction.value, record]},
        )
    return correction
