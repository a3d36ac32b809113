"""What officers record of a person's circumstances, each from a date: dynamic factors (drug
use, accommodation, work...), periods in custody and where the person lives. One function
each, one transaction, validation before writing, the audit event inside."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cohorts.models import Nominal
from iom import access, audit
from iom.formatting import in_sentence, long_date
from iom.locking import lock_for_update
from iom.models import AuditAction

from .models import (
    OFFICER_SOURCE,
    CustodyPeriod,
    DynamicFactor,
    DynamicFactorKind,
    ResidencePeriod,
)

# An override is an officer's judgement for now: it lapses within a year, to be set again if
# it still holds, rather than standing for ever beside the computed band.


def _officer_ref() -> str:
    return f"officer-{uuid.uuid4().hex}"


def _check_period(started_on, ended_on) -> dict:
    errors = {}
    if started_on > timezone.localdate():
        errors["started_on"] = "The start date must be today or in the past"
    if ended_on is not None and ended_on < started_on:
        errors["ended_on"] = "The end date must be the same as or after the start date"
    return errors


def _require_change(actor, nominal) -> None:
    if actor.user is None or not access.can(actor.user, "change", nominal):
        raise PermissionDenied("You cannot change this person's record.")


def _record_period(model, nominal: Nominal, actor, errors: dict, describe, **fields):
    """Write one period a person's record gains, after its checks, with its audit event."""
    _require_change(actor, nominal)
    errors = {**_check_period(fields["started_on"], fields.get("ended_on")), **errors}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = model.objects.create(
            nominal=nominal, source=OFFICER_SOURCE, external_ref=_officer_ref(),
            recorded_by=actor.user, **fields,
        )  # fmt: skip
        audit.record(actor, AuditAction.COLLECTION, row, nominal=nominal, description=describe(row))
    return row


def record_dynamic_factor(
    nominal: Nominal,
    *,
    by,
    factor: str,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
    note: str = "",
) -> DynamicFactor:
    """Record a circumstance an officer saw (drug use, accommodation, work...) from a date."""
    errors = {}
    if factor not in DynamicFactorKind.values:
        errors["factor"] = "Select a factor from the list"
    return _record_period(
        DynamicFactor, nominal, audit.as_actor(by), errors,
        lambda row: f"Recorded {in_sentence(row.get_factor_display())} "
        f"from {long_date(started_on)}",
        factor=factor, started_on=started_on, ended_on=ended_on, note=note.strip(),
    )  # fmt: skip


def end_dynamic_factor(
    factor_id: int, *, by, version: int, ended_on: datetime.date
) -> DynamicFactor:
    """Record that a circumstance ended on a date (it stops counting after that day)."""
    actor = audit.as_actor(by)
    with transaction.atomic():
        row = lock_for_update(DynamicFactor, factor_id, version)
        _require_change(actor, row.nominal)
        if ended_on < row.started_on:
            raise ValidationError(
                {"ended_on": "The end date must be the same as or after the start date"}
            )
        row.ended_on = ended_on
        row.save()
        audit.record(
            actor,
            AuditAction.ALTERATION,
            row,
            nominal=row.nominal,
            description=f"Ended {in_sentence(row.get_factor_display())} on {long_date(ended_on)}",
        )
    return row


def record_custody_period(
    nominal: Nominal,
    *,
    by,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
    establishment: str = "",
) -> CustodyPeriod:
    """Record a period in custody (open while the person is still inside)."""
    return _record_period(
        CustodyPeriod, nominal, audit.as_actor(by), {},
        lambda row: f"Recorded custody from {long_date(started_on)}",
        started_on=started_on, ended_on=ended_on, establishment=establishment.strip(),
    )  # fmt: skip


def record_residence_period(
    nominal: Nominal,
    *,
    by,
    in_area: bool,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
    details: str = "",
) -> ResidencePeriod:
    """Record where the person lives or stays: in the area or out of it, from a date."""
    where = "in the area" if in_area else "out of the area"
    return _record_period(
        ResidencePeriod, nominal, audit.as_actor(by), {},
        lambda row: f"Recorded living {where} from {long_date(started_on)}",
        in_area=in_area, started_on=started_on, ended_on=ended_on, details=details.strip(),
    )  # fmt: skip
