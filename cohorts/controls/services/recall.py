"""A recall in progress: starting it from a breach, its checklist up to the return to
custody, its recommendation and its cancellation."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cohorts.models import Nominal
from cohorts.risk import custody
from cohorts.risk.models import (
    CustodyKind,
)
from iom import audit
from iom.formatting import long_date, long_datetime
from iom.locking import lock_for_update
from iom.models import AuditAction

from ..models import (
    OPEN_RECALL_STATUSES,
    RECALL_STEP_FIELDS,
    RECALL_STEPS,
    Breach,
    Licence,
    Recall,
    RecallStatus,
    SanctionLevel,
)
from .checks import raise_if_any, require_change
from .sanctions import ladder_errors, write_sanction


@transaction.atomic
def start_recall(
    breach: Breach,
    *,
    by,
    reason: str,
    recommendation: str = "",
    skip_reason: str = "",
) -> Recall:
    """Start a fast-tracked recall from a breach: the recall step of the sanctions ladder and
    its checklist. Refuses a second recall in progress, a breach of an expired licence, and a
    recall before the warnings unless ``skip_reason`` says why."""
    actor = audit.as_actor(by)
    licence = breach.licence
    nominal = breach.nominal
    require_change(actor, nominal)
    # Lock the person's row so that two officers starting a recall at once cannot both pass.
    Nominal.objects.select_for_update().filter(pk=nominal.pk).first()
    errors: dict[str, str] = {}
    in_progress = Recall.objects.filter(nominal=nominal, status__in=OPEN_RECALL_STATUSES).first()
    if in_progress is not None:
        raise ValidationError(
            f"A recall of {nominal.full_name} is already in progress "
            f"(started {long_datetime(timezone.localtime(in_progress.started_at))})"
        )
    today = timezone.localdate()
    if licence.licence_expiry_date < today:
        errors["__all__"] = "The licence has expired: a person can only be recalled on licence"
    if not reason.strip():
        errors["reason"] = "Say why recall is being sought"
    if not errors:
        errors.update(ladder_errors(licence, SanctionLevel.RECALL, skip_reason))
    raise_if_any(errors)
    sanction = write_sanction(
        actor, licence, SanctionLevel.RECALL, today, breach, reason, skip_reason
    )
    recall = Recall.objects.create(
        nominal=nominal,
        licence=licence,
        breach=breach,
        sanction=sanction,
        reason=reason.strip(),
        recommendation=recommendation.strip(),
        started_at=timezone.now(),
        started_by=actor.user,
    )
    audit.record(
        actor, AuditAction.COLLECTION, recall, nominal=nominal, description="Recall started"
    )
    return recall


RECALL_STEP_LABELS = dict(RECALL_STEPS)


# Steps that may be ticked while the decision is still being made; every later step needs a
# countersigned decision to recall.
STEPS_BEFORE_DECISION = ("probation_contacted_at",)


def _order_errors(recall: Recall, step: str, at: datetime.datetime) -> str | None:
    """Why ticking ``step`` at ``at`` breaks the checklist's order, or None: a later step is
    already ticked, or an earlier one was ticked after ``at``."""
    index = RECALL_STEP_FIELDS.index(step)
    later = [name for name in RECALL_STEP_FIELDS[index + 1 :] if getattr(recall, name)]
    if later:
        return (
            f"“{RECALL_STEP_LABELS[step]}” comes before “{RECALL_STEP_LABELS[later[0]]}”, "
            "which is already ticked"
        )
    after = [
        name
        for name in RECALL_STEP_FIELDS[:index]
        if getattr(recall, name) is not None and getattr(recall, name) > at
    ]
    if after:
        return (
            f"“{RECALL_STEP_LABELS[after[0]]}” was ticked at "
            f"{long_datetime(getattr(recall, after[0]))}, after this time"
        )
    return None


def _check_step(recall: Recall, step: str) -> str:
    """The step's label, once it is known to be one that may be ticked on this recall now."""
    if step not in RECALL_STEP_FIELDS:
        raise ValidationError({"step": "Select a step of the recall checklist"})
    label = RECALL_STEP_LABELS[step]
    if not recall.is_in_progress:
        raise ValidationError(
            f"The recall is no longer in progress ({recall.get_status_display()})"
        )
    if step not in STEPS_BEFORE_DECISION and not recall.is_proceeding:
        raise ValidationError(
            {"step": f"“{label}” needs a decision to recall countersigned by a manager first"}
        )
    if getattr(recall, step) is not None:
        raise ValidationError({"step": f"“{label}” is already ticked"})
    return label


def _step_time(recall: Recall, label: str, at: datetime.datetime | None) -> datetime.datetime:
    """When the step was done (now if not given), between the recall's start and now."""
    now = timezone.now()
    at = at or now
    # A time typed to the minute in which the recall started means its start.
    if recall.started_at.replace(second=0, microsecond=0) <= at < recall.started_at:
        at = recall.started_at
    if at < recall.started_at:
        raise ValidationError({"at": f"“{label}” cannot be before the recall started"})
    if at > now:
        raise ValidationError({"at": f"“{label}” cannot be in the future"})
    return at


@transaction.atomic
def complete_recall_step(
    recall_id: int,
    *,
    by,
    version: int,
    step: str,
    at: datetime.datetime | None = None,
    out_of_order_reason: str = "",
) -> Recall:
    """Tick one step of the recall checklist at the time it was done (now if not given).
    Arrest and return to custody completes the recall.

    Refuses a step already ticked, a time before the recall started or in the future, a
    recall no longer in progress, a step past the decision before a manager countersigned
    a decision to recall, a step out of order (an earlier step ticked after a later one)
    unless ``out_of_order_reason`` says why, and a stale ``version``."""
    actor = audit.as_actor(by)
    recall = lock_for_update(Recall, recall_id, version)
    require_change(actor, recall.nominal)
    label = _check_step(recall, step)
    at = _step_time(recall, label, at)
    out_of_order = _order_errors(recall, step, at)
    reason = out_of_order_reason.strip()
    if out_of_order and not reason:
        raise ValidationError(
            {"out_of_order_reason": f"{out_of_order}: give the reason for the order"}
        )
    setattr(recall, step, at)
    if out_of_order:
        recall.out_of_order_reasons = {**recall.out_of_order_reasons, step: reason}
    if step == "returned_to_custody_at":
        recall.status = RecallStatus.RETURNED
    recall.save()
    audit.record(
        actor,
        AuditAction.ALTERATION,
        recall,
        nominal=recall.nominal,
        description=f"Recall checklist: {label}"
        + (f" (out of order: {reason})" if out_of_order else ""),
        changes={step: [None, timezone.localtime(at).isoformat()]},
    )
    if step == "returned_to_custody_at":
        _return_to_custody(recall, timezone.localdate(at), actor)
    return recall


def _return_to_custody(recall: Recall, day: datetime.date, actor: audit.Actor) -> None:
    """The consequences of the return to custody, in the step's transaction: a custody period
    of kind recall (unless the person is already inside, e.g. on remand), the membership "in
    custody" (``custody.open_custody_period``), and the licence marked recalled."""
    if custody.open_period(recall.nominal) is None:
        custody.open_custody_period(
            recall.nominal, kind=CustodyKind.RECALL, starts_on=day, by=actor
        )
    licence = Licence.objects.select_for_update().get(pk=recall.licence_id)
    licence.recalled_on, licence.re_released_on = day, None
    licence.version += 1
    licence.save(update_fields=["recalled_on", "re_released_on", "version"])
    audit.record(
        actor,
        AuditAction.ALTERATION,
        licence,
        nominal=recall.nominal,
        description=f"Licence recalled: returned to custody on {long_date(day)}",
        changes={"recalled_on": [None, day.isoformat()]},
    )


@transaction.atomic
def update_recall_recommendation(
    recall_id: int, *, by, version: int, recommendation: str
) -> Recall:
    """Change the recommendation written into the recall pack."""
    actor = audit.as_actor(by)
    recall = lock_for_update(Recall, recall_id, version)
    require_change(actor, recall.nominal)
    before = recall.recommendation
    recall.recommendation = recommendation.strip()
    recall.save()
    audit.record(
        actor,
        AuditAction.ALTERATION,
        recall,
        nominal=recall.nominal,
        description="Changed the recall recommendation",
        changes=audit.changes_between(
            {"recommendation": before}, {"recommendation": recall.recommendation}
        ),
    )
    return recall


@transaction.atomic
def cancel_recall(recall_id: int, *, by, version: int, reason: str) -> Recall:
    """Stop a recall in progress (for instance when the PPCS declines it), with a reason."""
    actor = audit.as_actor(by)
    recall = lock_for_update(Recall, recall_id, version)
    require_change(actor, recall.nominal)
    if not recall.is_in_progress:
        raise ValidationError(
            f"The recall is no longer in progress ({recall.get_status_display()})"
        )
    if not reason.strip():
        raise ValidationError({"cancelled_reason": "Say why the recall is cancelled"})
    recall.status = RecallStatus.CANCELLED
    recall.cancelled_reason = reason.strip()
    recall.save()
    audit.record(
        actor,
        AuditAction.ALTERATION,
        recall,
        nominal=recall.nominal,
        description=f"Recall cancelled: {reason.strip()}",
    )
    return recall
