"""Breaches of a licence and the sanctions ladder (warnings, then recall)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max

from iom import audit
from iom.formatting import long_date
from iom.models import AuditAction

from ..models import (
    Breach,
    Licence,
    LicenceCondition,
    Sanction,
    SanctionLevel,
)
from .checks import not_in_future, raise_if_any, require_change


@transaction.atomic
def record_breach(
    licence: Licence,
    *,
    by,
    occurred_on: datetime.date,
    evidence: str,
    condition: LicenceCondition | None = None,
) -> Breach:
    """Record a breach of a licence condition with its evidence. Refuses a date outside the
    licence or in the future, and a condition of another licence."""
    actor = audit.as_actor(by)
    require_change(actor, licence.nominal)
    errors: dict[str, str] = {}
    not_in_future(occurred_on, "occurred_on", "The date of the breach", errors)
    if not errors and not licence.is_current_on(occurred_on):
        errors["occurred_on"] = (
            f"The date of the breach must be within the licence "
            f"({long_date(licence.release_date)} to {long_date(licence.licence_expiry_date)})"
        )
    if not evidence.strip():
        errors["evidence"] = "Describe the evidence of the breach"
    if condition is not None and condition.licence_id != licence.pk:
        errors["condition"] = "Select a condition of this licence"
    raise_if_any(errors)
    breach = Breach.objects.create(
        nominal=licence.nominal,
        licence=licence,
        condition=condition,
        occurred_on=occurred_on,
        evidence=evidence.strip(),
        recorded_by=actor.user,
    )
    audit.record(
        actor,
        AuditAction.COLLECTION,
        breach,
        nominal=licence.nominal,
        description=f"Recorded a breach of licence on {long_date(occurred_on)}",
    )
    return breach


def next_sanction_level(licence: Licence) -> int:
    """The step the ladder allows next without a reason: one above the highest taken."""
    highest = Sanction.objects.filter(licence=licence).aggregate(top=Max("level"))["top"] or 0
    return min(highest + 1, SanctionLevel.RECALL)


def ladder_errors(licence: Licence, level: int, skip_reason: str) -> dict[str, str]:
    allowed = next_sanction_level(licence)
    if level > allowed and not skip_reason.strip():
        skipped = [SanctionLevel(step).label for step in range(allowed, level)]
        return {
            "skip_reason": (
                f"{SanctionLevel(level).label} comes after "
                f"{' and '.join(s.lower() for s in skipped)}, which "
                f"{'has' if len(skipped) == 1 else 'have'} not been given on this licence. "
                "Give the reason for skipping, or take the earlier step first"
            )
        }
    return {}


@transaction.atomic
def record_sanction(
    licence: Licence,
    *,
    by,
    level: int,
    issued_on: datetime.date,
    breach: Breach | None = None,
    notes: str = "",
    skip_reason: str = "",
) -> Sanction:
    """Record a warning on the sanctions ladder of a licence.

    The steps go in order (written warning, District Manager's warning, recall); a step above
    the next one needs ``skip_reason``. Recall itself is recorded by ``start_recall``.
    """
    actor = audit.as_actor(by)
    require_change(actor, licence.nominal)
    errors: dict[str, str] = {}
    if level not in SanctionLevel.values:
        errors["level"] = "Select a step of the sanctions ladder"
    elif level == SanctionLevel.RECALL:
        errors["level"] = "Start a recall from the breach it answers"
    not_in_future(issued_on, "issued_on", "The date issued", errors)
    if not errors and issued_on < licence.release_date:
        errors["issued_on"] = "The date issued must be on or after the release date"
    if breach is not None and breach.licence_id != licence.pk:
        errors["breach"] = "Select a breach of this licence"
    if not errors:
        errors.update(ladder_errors(licence, level, skip_reason))
    raise_if_any(errors)
    return write_sanction(actor, licence, level, issued_on, breach, notes, skip_reason)


def write_sanction(actor, licence, level, issued_on, breach, notes, skip_reason) -> Sanction:
    """Write a step of the ladder and its audit event; the caller has checked it (a warning in
    ``record_sanction``, the recall step in ``start_recall``)."""
    sanction = Sanction.objects.create(
        nominal=licence.nominal,
        licence=licence,
        breach=breach,
        level=level,
        issued_on=issued_on,
        notes=notes.strip(),
        skip_reason=skip_reason.strip(),
        issued_by=actor.user,
    )
    audit.record(
        actor,
        AuditAction.COLLECTION,
        sanction,
        nominal=licence.nominal,
        description=f"Sanction: {sanction}"
        + (f" (earlier steps skipped: {skip_reason.strip()})" if skip_reason.strip() else ""),
    )
    return sanction
