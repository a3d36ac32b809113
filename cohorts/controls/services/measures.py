"""Bail conditions, civil orders and targeted-enforcement flags."""

from __future__ import annotations

import datetime

from django.db import transaction

from cohorts.models import Nominal
from iom import audit
from iom.formatting import in_sentence
from iom.locking import lock_for_update
from iom.models import AuditAction

from .. import dates
from ..models import (
    CATEGORY_OF_KIND,
    CURFEW_KINDS,
    ControlMeasure,
    MeasureKind,
    MeasureStatus,
)
from .checks import raise_if_any, require_change


def _measure_errors(kind, starts_on, ends_on, curfew_from, curfew_until) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in MeasureKind.values:
        errors["kind"] = "Select the kind of measure"
    bounds = dates.bounds_errors(
        starts_on=("The start date", starts_on), ends_on=("The end date", ends_on)
    )
    errors.update(bounds)
    if not bounds and ends_on is not None and starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = "The end date must be on or after the start date"
    if kind in CURFEW_KINDS:
        if curfew_from is None:
            errors["curfew_from"] = "Enter the time the curfew starts, for example 19:00"
        if curfew_until is None:
            errors["curfew_until"] = "Enter the time the curfew ends, for example 07:00"
    return errors


@transaction.atomic
def add_control_measure(
    nominal: Nominal,
    *,
    by,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    details: str = "",
    imposed_by: str = "",
    curfew_from: datetime.time | None = None,
    curfew_until: datetime.time | None = None,
) -> ControlMeasure:
    """Record a bail condition, civil order or targeted-enforcement flag. A curfew needs its
    hours; an end date cannot precede the start."""
    actor = audit.as_actor(by)
    require_change(actor, nominal)
    raise_if_any(_measure_errors(kind, starts_on, ends_on, curfew_from, curfew_until))
    measure = ControlMeasure.objects.create(
        nominal=nominal,
        category=CATEGORY_OF_KIND[MeasureKind(kind)],
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        details=details.strip(),
        imposed_by=imposed_by.strip(),
        curfew_from=curfew_from if kind in CURFEW_KINDS else None,
        curfew_until=curfew_until if kind in CURFEW_KINDS else None,
        created_by=actor.user,
    )
    audit.record(
        actor,
        AuditAction.COLLECTION,
        measure,
        nominal=nominal,
        description=f"{measure.get_category_display()}: {measure}",
    )
    return measure


@transaction.atomic
def change_control_measure(
    measure_id: int,
    *,
    by,
    version: int,
    status: str,
    ends_on: datetime.date | None,
    details: str | None = None,
) -> ControlMeasure:
    """Change the status (active, breached, ended) or end date of a measure. Ending it needs
    an end date. Refuses a stale ``version``."""
    actor = audit.as_actor(by)
    measure = lock_for_update(ControlMeasure, measure_id, version)
    require_change(actor, measure.nominal)
    errors = _measure_errors(
        measure.kind, measure.starts_on, ends_on, measure.curfew_from, measure.curfew_until
    )
    if status not in MeasureStatus.values:
        errors["status"] = "Select a status"
    elif status == MeasureStatus.ENDED and ends_on is None:
        errors["ends_on"] = "Enter the date the measure ended"
    raise_if_any(errors)
    before = {"status": measure.status, "ends_on": measure.ends_on, "details": measure.details}
    measure.status = status
    measure.ends_on = ends_on
    if details is not None:
        measure.details = details.strip()
    measure.save()
    audit.record(
        actor,
        AuditAction.ALTERATION,
        measure,
        nominal=measure.nominal,
        description=f"Changed {in_sentence(measure.get_kind_display())}",
        changes=audit.changes_between(
            before, {"status": status, "ends_on": ends_on, "details": measure.details}
        ),
    )
    return measure
