"""Every change to control measures: one function each, validated before anything is written,
audited inside the same transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cohorts.models import Nominal
from iom import access, audit
from iom.formatting import in_sentence, long_date, long_datetime
from iom.locking import lock_for_update
from iom.models import AuditAction

from . import dates
from .models import (
    CATEGORY_OF_KIND,
    CURFEW_KINDS,
    RECALL_STEP_FIELDS,
    RECALL_STEPS,
    Breach,
    ConditionType,
    ControlMeasure,
    ControlsConfiguration,
    DrugTest,
    Licence,
    LicenceCondition,
    MeasureKind,
    MeasureStatus,
    Recall,
    RecallStatus,
    Sanction,
    SanctionLevel,
    TestOutcome,
)


def _require_change(actor: audit.Actor, nominal: Nominal) -> None:
    """A user changes control measures only on a record they may change (the system may)."""
    user = actor.user
    if user is not None and not access.can(user, "change", nominal):
        raise PermissionDenied("You cannot change this person's control measures.")


def _not_in_future(day: datetime.date, field: str, label: str, errors: dict) -> None:
    dates.in_the_past(day, field, label, errors)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def current_licence(nominal: Nominal, day: datetime.date | None = None) -> Licence | None:
    """The licence the person is on on ``day``: released on or before it, not yet expired."""
    day = day or timezone.localdate()
    return (
        Licence.objects.filter(nominal=nominal, release_date__lte=day, licence_expiry_date__gte=day)
        .order_by("-release_date", "-id")
        .first()
    )


# --- Licences -------------------------------------------------------------------------------


def _check_licence_dates(
    release_date: datetime.date,
    licence_expiry_date: datetime.date,
    sentence_expiry_date: datetime.date,
) -> None:
    _raise(dates.licence_errors(release_date, licence_expiry_date, sentence_expiry_date))


def _check_no_overlap(licence: Licence, nominal: Nominal) -> None:
    other = dates.overlapping(licence)
    if other is not None:
        raise ValidationError(
            {
                "release_date": f"{nominal.full_name} already has a licence for those dates "
                f"({other})."
            }
        )


@transaction.atomic
def create_licence(
    nominal: Nominal,
    *,
    by,
    release_date: datetime.date,
    licence_expiry_date: datetime.date,
    sentence_expiry_date: datetime.date,
    supervising_officer=None,
    offence: str = "",
) -> Licence:
    """Record a licence period. Refuses expiry dates before release and a licence that
    overlaps another of the same person (one licence at a time)."""
    actor = audit.as_actor(by)
    _require_change(actor, nominal)
    _check_licence_dates(release_date, licence_expiry_date, sentence_expiry_date)
    licence = Licence(
        nominal=nominal,
        release_date=release_date,
        licence_expiry_date=licence_expiry_date,
        sentence_expiry_date=sentence_expiry_date,
        supervising_officer=supervising_officer,
        offence=offence.strip(),
        created_by=actor.user,
    )
    _check_no_overlap(licence, nominal)
    licence.save()
    audit.record(actor, AuditAction.COLLECTION, licence, nominal=nominal, description=f"{licence}")
    return licence


LICENCE_FIELDS = (
    "release_date",
    "licence_expiry_date",
    "sentence_expiry_date",
    "supervising_officer",
    "offence",
)


@transaction.atomic
def update_licence(licence_id: int, *, by, version: int, changes: dict[str, Any]) -> Licence:
    """Change a licence's dates, supervising officer or offence. Refuses an edit based on a
    stale ``version`` (StaleEditError), impossible dates, dates that meet another licence of
    the person, and dates that would leave a breach or sanction of this licence outside it
    (naming them)."""
    actor = audit.as_actor(by)
    licence = lock_for_update(Licence, licence_id, version)
    _require_change(actor, licence.nominal)
    before = {name: getattr(licence, name) for name in LICENCE_FIELDS}
    for name, value in changes.items():
        if name not in LICENCE_FIELDS:
            raise ValueError(f"{name} is not a licence field one may change.")
        setattr(licence, name, value.strip() if isinstance(value, str) else value)
    _check_licence_dates(
        licence.release_date, licence.licence_expiry_date, licence.sentence_expiry_date
    )
    _raise(dates.left_outside_errors(licence))
    _check_no_overlap(licence, licence.nominal)
    licence.save()
    after = {name: getattr(licence, name) for name in LICENCE_FIELDS}
    audit.record(
        actor,
        AuditAction.ALTERATION,
        licence,
        nominal=licence.nominal,
        description="Changed a licence",
        changes=audit.changes_between(before, after),
    )
    return licence


@transaction.atomic
def add_condition(
    licence: Licence, *, by, condition_type: str, text: str, is_drug_testing: bool = False
) -> LicenceCondition:
    """Add a standard or additional condition to a licence."""
    actor = audit.as_actor(by)
    _require_change(actor, licence.nominal)
    errors = {}
    if condition_type not in ConditionType.values:
        errors["condition_type"] = "Choose standard or additional."
    if not text.strip():
        errors["text"] = "Enter the wording of the condition."
    _raise(errors)
    condition = LicenceCondition.objects.create(
        licence=licence,
        condition_type=condition_type,
        text=text.strip(),
        is_drug_testing=is_drug_testing,
    )
    audit.record(
        actor,
        AuditAction.COLLECTION,
        condition,
        nominal=licence.nominal,
        description=f"Added a licence condition: {condition}",
    )
    return condition


# --- Breaches and the sanctions ladder ------------------------------------------------------


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
    _require_change(actor, licence.nominal)
    errors: dict[str, str] = {}
    _not_in_future(occurred_on, "occurred_on", "The date of the breach", errors)
    if not errors and not licence.is_current_on(occurred_on):
        errors["occurred_on"] = (
            f"The date of the breach must be within the licence "
            f"({long_date(licence.release_date)} to {long_date(licence.licence_expiry_date)})."
        )
    if not evidence.strip():
        errors["evidence"] = "Describe the evidence of the breach."
    if condition is not None and condition.licence_id != licence.pk:
        errors["condition"] = "Choose a condition of this licence."
    _raise(errors)
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


def _ladder_errors(licence: Licence, level: int, skip_reason: str) -> dict[str, str]:
    allowed = next_sanction_level(licence)
    if level > allowed and not skip_reason.strip():
        skipped = [SanctionLevel(step).label for step in range(allowed, level)]
        return {
            "skip_reason": (
                f"{SanctionLevel(level).label} comes after "
                f"{' and '.join(s.lower() for s in skipped)}, which "
                f"{'has' if len(skipped) == 1 else 'have'} not been given on this licence. "
                "Give the reason for skipping, or take the earlier step first."
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
    _require_change(actor, licence.nominal)
    errors: dict[str, str] = {}
    if level not in SanctionLevel.values:
        errors["level"] = "Choose a step of the sanctions ladder."
    elif level == SanctionLevel.RECALL:
        errors["level"] = "Start a recall from the breach it answers."
    _not_in_future(issued_on, "issued_on", "The date issued", errors)
    if not errors and issued_on < licence.release_date:
        errors["issued_on"] = "The date issued must be on or after the release date."
    if breach is not None and breach.licence_id != licence.pk:
        errors["breach"] = "Choose a breach of this licence."
    if not errors:
        errors.update(_ladder_errors(licence, level, skip_reason))
    _raise(errors)
    return _create_sanction(actor, licence, level, issued_on, breach, notes, skip_reason)


def _create_sanction(actor, licence, level, issued_on, breach, notes, skip_reason) -> Sanction:
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


# --- Recall ---------------------------------------------------------------------------------


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
    _require_change(actor, nominal)
    # Lock the person's row so that two officers starting a recall at once cannot both pass.
    Nominal.objects.select_for_update().filter(pk=nominal.pk).first()
    errors: dict[str, str] = {}
    in_progress = Recall.objects.filter(nominal=nominal, status=RecallStatus.IN_PROGRESS).first()
    if in_progress is not None:
        raise ValidationError(
            f"A recall of {nominal.full_name} is already in progress "
            f"(started {long_datetime(timezone.localtime(in_progress.started_at))})."
        )
    today = timezone.localdate()
    if licence.licence_expiry_date < today:
        errors["__all__"] = "The licence has expired: a person can only be recalled on licence."
    if not reason.strip():
        errors["reason"] = "Say why recall is being sought."
    if not errors:
        errors.update(_ladder_errors(licence, SanctionLevel.RECALL, skip_reason))
    _raise(errors)
    sanction = _create_sanction(
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


@transaction.atomic
def complete_recall_step(
    recall_id: int, *, by, version: int, step: str, at: datetime.datetime | None = None
) -> Recall:
    """Tick one step of the recall checklist, now or at the time given. Arrest and return to
    custody completes the recall. Refuses a step already ticked, a time before the recall
    started or in the future, a recall no longer in progress, and a stale ``version``."""
    actor = audit.as_actor(by)
    recall = lock_for_update(Recall, recall_id, version)
    _require_change(actor, recall.nominal)
    if step not in RECALL_STEP_FIELDS:
        raise ValidationError({"step": "Choose a step of the recall checklist."})
    label = RECALL_STEP_LABELS[step]
    if not recall.is_in_progress:
        raise ValidationError(
            f"The recall is no longer in progress ({recall.get_status_display()})."
        )
    if getattr(recall, step) is not None:
        raise ValidationError({"step": f"“{label}” is already ticked."})
    now = timezone.now()
    at = at or now
    if at < recall.started_at:
        raise ValidationError({"at": f"“{label}” cannot be before the recall started."})
    if at > now:
        raise ValidationError({"at": f"“{label}” cannot be in the future."})
    setattr(recall, step, at)
    if step == "returned_to_custody_at":
        recall.status = RecallStatus.RETURNED
    recall.save()
    audit.record(
        actor,
        AuditAction.ALTERATION,
        recall,
        nominal=recall.nominal,
        description=f"Recall checklist: {label}",
        changes={step: [None, timezone.localtime(at).isoformat()]},
    )
    return recall


@transaction.atomic
def update_recall_recommendation(
    recall_id: int, *, by, version: int, recommendation: str
) -> Recall:
    """Change the recommendation written into the recall pack."""
    actor = audit.as_actor(by)
    recall = lock_for_update(Recall, recall_id, version)
    _require_change(actor, recall.nominal)
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
    _require_change(actor, recall.nominal)
    if not recall.is_in_progress:
        raise ValidationError(
            f"The recall is no longer in progress ({recall.get_status_display()})."
        )
    if not reason.strip():
        raise ValidationError({"cancelled_reason": "Say why the recall is cancelled."})
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


# --- Testing on licence ---------------------------------------------------------------------


@transaction.atomic
def record_drug_test(
    nominal: Nominal,
    *,
    by,
    tested_on: datetime.date,
    outcome: str,
    class_a_substances: str = "",
    other_substances: str = "",
    notes: str = "",
) -> DrugTest:
    """Record a drug test result. It is linked to the licence the person was on that day, if
    any, which is what the recall threshold counts. A positive result names the drug."""
    actor = audit.as_actor(by)
    _require_change(actor, nominal)
    errors: dict[str, str] = {}
    _not_in_future(tested_on, "tested_on", "The date of the test", errors)
    if outcome not in TestOutcome.values:
        errors["outcome"] = "Choose the result of the test."
    elif outcome == TestOutcome.POSITIVE and not class_a_substances.strip():
        errors["class_a_substances"] = "Name the Class A drugs the test found."
    elif outcome != TestOutcome.POSITIVE and class_a_substances.strip():
        errors["class_a_substances"] = "Only a positive test names Class A drugs."
    _raise(errors)
    test = DrugTest.objects.create(
        nominal=nominal,
        licence=current_licence(nominal, tested_on),
        tested_on=tested_on,
        outcome=outcome,
        class_a_substances=class_a_substances.strip(),
        other_substances=other_substances.strip(),
        notes=notes.strip(),
        recorded_by=actor.user,
    )
    audit.record(
        actor,
        AuditAction.COLLECTION,
        test,
        nominal=nominal,
        description=f"Drug test: {test}",
    )
    return test


@transaction.atomic
def update_configuration(
    *, by, class_a_positive_threshold: int, missed_test_threshold: int
) -> ControlsConfiguration:
    """Change the recall thresholds (administrators, from the admin site)."""
    errors = {}
    if class_a_positive_threshold < 1:
        errors["class_a_positive_threshold"] = "The threshold must be at least 1."
    if missed_test_threshold < 1:
        errors["missed_test_threshold"] = "The threshold must be at least 1."
    _raise(errors)
    configuration = ControlsConfiguration.current()
    before = {
        "class_a_positive_threshold": configuration.class_a_positive_threshold,
        "missed_test_threshold": configuration.missed_test_threshold,
    }
    configuration.class_a_positive_threshold = class_a_positive_threshold
    configuration.missed_test_threshold = missed_test_threshold
    configuration.save()
    audit.record(
        by,
        AuditAction.ALTERATION,
        configuration,
        description="Changed the recall thresholds",
        changes=audit.changes_between(
            before,
            {
                "class_a_positive_threshold": class_a_positive_threshold,
                "missed_test_threshold": missed_test_threshold,
            },
        ),
    )
    return configuration


# --- Bail conditions, civil orders, targeted enforcement ------------------------------------


def _measure_errors(kind, starts_on, ends_on, curfew_from, curfew_until) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in MeasureKind.values:
        errors["kind"] = "Choose the kind of measure."
    bounds = dates.bounds_errors(
        starts_on=("The start date", starts_on), ends_on=("The end date", ends_on)
    )
    errors.update(bounds)
    if not bounds and ends_on is not None and starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = "The end date must be on or after the start date."
    if kind in CURFEW_KINDS:
        if curfew_from is None:
            errors["curfew_from"] = "Enter the time the curfew starts, for example 19:00."
        if curfew_until is None:
            errors["curfew_until"] = "Enter the time the curfew ends, for example 07:00."
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
    _require_change(actor, nominal)
    _raise(_measure_errors(kind, starts_on, ends_on, curfew_from, curfew_until))
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
    _require_change(actor, measure.nominal)
    errors = _measure_errors(
        measure.kind, measure.starts_on, ends_on, measure.curfew_from, measure.curfew_until
    )
    if status not in MeasureStatus.values:
        errors["status"] = "Choose a status."
    elif status == MeasureStatus.ENDED and ends_on is None:
        errors["ends_on"] = "Enter the date the measure ended."
    _raise(errors)
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
