"""Custody and release: the events, each one service function making every consequence in one
transaction with its audit events.

* ``open_custody_period``: a custody period opens (a recall's return to custody, a custodial
  sentence, a remand); an open cohort membership moves to "in custody".
* ``release_from_custody``: the period closes on the release date; the membership is active
  again; and the steps other apps registered run in the same transaction (the controls app
  sets the licence's release date, the pathways app turns the day-of-release plan's open items
  into pathway actions). From the release date the person is at liberty: the ranking no longer
  applies the custody reduction on that day, the reports count it as a day at liberty, and
  OGRS3's follow-up starts on it (docs/risk-model.md, "The release day").
* leaving the cohort for a long custodial sentence opens a custody period (kind sentence): this
  app registers that consequence with the cohort's exit (``cohorts.services.membership.on_exit``).

The apps above this one register their release steps from ``AppConfig.ready`` with
``register_release_step``: this module cannot import them (layers, .importlinter).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from cohorts.models import CohortMembership, ExitReason, MembershipStatus, Nominal, Task, TaskKind
from cohorts.services import membership as membership_services
from cohorts.services import tasks as task_services
from cohorts.services.membership import open_membership
from iom import access, audit, sharing
from iom.formatting import long_date
from iom.locking import lock_for_update
from iom.models import AuditAction

from .models import OFFICER_SOURCE, CustodyKind, CustodyPeriod, ExpectedReleaseBasis

# Releases due within this many days are shown on the cohort list and My work.
DUE_OUT_DAYS = 28

# Steps other apps run on release, in registration order: f(period, *, actor, options).
_RELEASE_STEPS: dict[str, Callable] = {}


def register_release_step(name: str, step: Callable) -> None:
    """Add a consequence of a release (idempotent by name). ``step(period, actor=..., options=...)``
    runs inside the release's transaction; an exception in it undoes the whole release."""
    _RELEASE_STEPS[name] = step


def _require_change(actor: audit.Actor, nominal: Nominal) -> None:
    user = actor.user
    if user is not None and not access.can(user, "change", nominal):
        raise PermissionDenied("You cannot change this person's custody record.")


def open_period(nominal: Nominal) -> CustodyPeriod | None:
    return CustodyPeriod.objects.filter(nominal=nominal, ended_on__isnull=True).first()


def _check_expected(starts_on: datetime.date, expected_release_on, basis: str, errors: dict) -> str:
    if expected_release_on is None:
        return ""
    if expected_release_on < starts_on:
        errors["expected_release_on"] = "The expected release date cannot be before custody began"
    basis = basis or ExpectedReleaseBasis.AUTOMATIC
    if basis not in ExpectedReleaseBasis.values:
        errors["expected_release_basis"] = "Say whether the date is automatic release or parole"
    return basis


def _set_membership_status(nominal: Nominal, status: str, actor, *, only_from) -> None:
    membership = open_membership(nominal)
    if membership is None or membership.status not in only_from:
        return
    membership_services.change_membership_status(
        membership.pk, by=actor, version=membership.version, status=status
    )


@transaction.atomic
def open_custody_period(
    nominal: Nominal,
    *,
    kind: str,
    starts_on: datetime.date,
    by,
    expected_release_on: datetime.date | None = None,
    expected_release_basis: str = "",
    establishment: str = "",
    source: str = OFFICER_SOURCE,
    external_ref: str = "",
) -> CustodyPeriod:
    """The person goes into custody on ``starts_on``. Refuses a second open period, a start in
    the future, and an expected release before the start. An open cohort membership (active or
    devolved) becomes "in custody" (a devolution ends with it)."""
    actor = audit.as_actor(by)
    _require_change(actor, nominal)
    # One writer at a time per person: two officers recording the same return cannot both pass.
    Nominal.objects.select_for_update().filter(pk=nominal.pk).first()
    basis = _check_opening(nominal, kind, starts_on, expected_release_on, expected_release_basis)
    period = CustodyPeriod.objects.create(
        nominal=nominal,
        kind=kind,
        started_on=starts_on,
        expected_release_on=expected_release_on,
        expected_release_basis=basis,
        establishment=establishment.strip(),
        source=source,
        external_ref=external_ref or uuid.uuid4().hex,
        recorded_by=actor.user if getattr(actor.user, "is_authenticated", False) else None,
    )
    _audit_opening(actor, period)
    _set_membership_status(
        nominal,
        MembershipStatus.IN_CUSTODY,
        actor,
        only_from=(MembershipStatus.ACTIVE, MembershipStatus.DEVOLVED),
    )
    return period


def _check_opening(
    nominal: Nominal, kind: str, starts_on: datetime.date, expected_release_on, basis: str
) -> str:
    """Refuse what ``open_custody_period`` refuses; the basis of the expected release."""
    errors: dict[str, str] = {}
    if kind not in CustodyKind.values:
        errors["kind"] = "Select why the person is in custody"
    if starts_on > timezone.localdate():
        errors["starts_on"] = "The date custody began must be today or in the past"
    basis = _check_expected(starts_on, expected_release_on, basis, errors)
    existing = open_period(nominal)
    if existing is not None:
        errors["__all__"] = (
            f"{nominal.full_name} is already in custody (since {long_date(existing.started_on)})"
        )
    if errors:
        raise ValidationError(errors)
    return basis


def _audit_opening(actor: audit.Actor, period: CustodyPeriod) -> None:
    expected = ""
    if period.expected_release_on:
        basis = period.get_expected_release_basis_display().lower()
        expected = f"; expected release {long_date(period.expected_release_on)} ({basis})"
    kind, starts_on = period.get_kind_display().lower(), period.started_on
    description = f"In custody from {long_date(starts_on)} ({kind}){expected}"
    audit.record(
        actor, AuditAction.COLLECTION, period, nominal=period.nominal, description=description
    )


@transaction.atomic
def set_expected_release(
    period_id: int, *, by, version: int, expected_release_on, expected_release_basis: str = ""
) -> CustodyPeriod:
    """Record (or change) when an open custody period is expected to end, and on what basis."""
    actor = audit.as_actor(by)
    period = lock_for_update(CustodyPeriod, period_id, version)
    _require_change(actor, period.nominal)
    errors: dict[str, str] = {}
    if not period.is_open:
        errors["__all__"] = "The person has already been released"
    basis = _check_expected(period.started_on, expected_release_on, expected_release_basis, errors)
    if errors:
        raise ValidationError(errors)
    before = {
        "expected_release_on": period.expected_release_on,
        "basis": period.expected_release_basis,
    }
    period.expected_release_on = expected_release_on
    period.expected_release_basis = basis
    period.save(update_fields=["expected_release_on", "expected_release_basis", "version"])
    audit.record(
        actor,
        AuditAction.ALTERATION,
        period,
        nominal=period.nominal,
        description="Expected release date changed",
        changes=audit.changes_between(
            before, {"expected_release_on": expected_release_on, "basis": basis}
        ),
    )
    return period


@transaction.atomic
def release_from_custody(
    period_id: int,
    *,
    by,
    version: int,
    released_on: datetime.date,
    options: dict | None = None,
) -> CustodyPeriod:
    """The person is released on ``released_on``: the period ends that day (they are at
    liberty from it), a membership "in custody" is active again, and every registered release
    step runs (``options`` carries what they need, e.g. the licence's expiry dates). Refuses a
    period already closed, a release before the start or in the future, a stale version."""
    actor = audit.as_actor(by)
    period = lock_for_update(CustodyPeriod, period_id, version)
    _require_change(actor, period.nominal)
    errors: dict[str, str] = {}
    if not period.is_open:
        errors["__all__"] = f"The person was already released on {long_date(period.ended_on)}"
    elif released_on < period.started_on:
        errors["released_on"] = (
            f"The release date cannot be before custody began ({long_date(period.started_on)})"
        )
    if released_on > timezone.localdate():
        errors["released_on"] = "The release date must be today or in the past"
    if errors:
        raise ValidationError(errors)
    period.ended_on = released_on
    period.save(update_fields=["ended_on", "version"])
    audit.record(
        actor,
        AuditAction.ALTERATION,
        period,
        nominal=period.nominal,
        description=f"Released from custody on {long_date(released_on)}",
        changes={"ended_on": [None, released_on.isoformat()]},
    )
    _set_membership_status(
        period.nominal, MembershipStatus.ACTIVE, actor, only_from=(MembershipStatus.IN_CUSTODY,)
    )
    for step in _RELEASE_STEPS.values():
        step(period, actor=actor, options=options or {})
    return period


def _open_for_long_custody(membership: CohortMembership, *, by, options: dict) -> None:
    """The cohort's exit for a long custodial sentence: a custody period (kind sentence) from
    the exit date, unless one is open already (the person was already inside)."""
    if open_period(membership.nominal) is not None:
        return
    open_custody_period(
        membership.nominal,
        kind=CustodyKind.SENTENCE,
        starts_on=options.get("custody_from") or membership.exited_on or timezone.localdate(),
        by=by,
        expected_release_on=options.get("expected_release_on"),
        expected_release_basis=options.get("expected_release_basis", ""),
        establishment=options.get("establishment", ""),
    )


def register() -> None:
    membership_services.on_exit(ExitReason.LONG_CUSTODY, _open_for_long_custody)


# --- Who is due out -------------------------------------------------------------------------


def due_out(today: datetime.date, *, days: int = DUE_OUT_DAYS) -> models.QuerySet[CustodyPeriod]:
    """Open custody periods whose expected release falls in the next ``days`` days (today
    included), soonest first. The caller filters to the people the user may see."""
    return (
        CustodyPeriod.objects.filter(
            ended_on__isnull=True,
            expected_release_on__gte=today,
            expected_release_on__lte=today + datetime.timedelta(days=days),
        )
        .select_related("nominal")
        .order_by("expected_release_on", "id")
    )


# --- The day-of-release plan -----------------------------------------------------------------

# The items of a day-of-release plan (national IOM guidance, 2025), in the order they show.
RELEASE_PLAN_ITEMS: tuple[tuple[str, str], ...] = (
    ("accommodation", "Accommodation on release"),
    ("gp", "GP appointment"),
    ("drug-treatment", "Drug-treatment appointment"),
    ("probation", "First probation appointment"),
    ("gate", "Meet at the gate"),
    ("licence-conditions", "Licence conditions explained"),
    ("benefits", "Benefits claim"),
)
RELEASE_PLAN_TITLES = dict(RELEASE_PLAN_ITEMS)
_ITEM_ORDER = {key: n for n, (key, _) in enumerate(RELEASE_PLAN_ITEMS)}


def release_plan(period: CustodyPeriod) -> list[Task]:
    """The items of the period's day-of-release plan (tasks of kind release-plan), in order."""
    items = task_services.tasks_from(period, kind=TaskKind.RELEASE_PLAN).select_related(
        "owner_agency", "owner_team__agency", "completed_by"
    )
    return sorted(items, key=lambda task: (_ITEM_ORDER.get(task.key, 99), task.pk))


@transaction.atomic
def plan_release(period_id: int, *, by, items: dict[str, dict]) -> list[Task]:
    """Add items to the day-of-release plan of an open custody period: ``items`` maps an item
    key (``RELEASE_PLAN_ITEMS``) to ``{"owner_agency", "due_on", "details"}``. Each item is a
    task owned by its agency, in that agency's My work. Whoever may change the person's record
    plans their release. Refuses an unknown or already planned item, a missing owner or date,
    a released person; nothing is written then."""
    actor = audit.as_actor(by)
    period = CustodyPeriod.objects.select_for_update().select_related("nominal").get(pk=period_id)
    _require_change(actor, period.nominal)
    if not period.is_open:
        raise ValidationError("The person has been released: the plan can no longer change")
    planned = {task.key for task in release_plan(period)}
    errors: dict[str, str] = {}
    if not items:
        errors["__all__"] = "Select at least one item of the plan"
    for key, item in items.items():
        if key not in RELEASE_PLAN_TITLES:
            errors[key] = "Select an item of the day-of-release plan"
        elif key in planned:
            errors[key] = f"“{RELEASE_PLAN_TITLES[key]}” is already in the plan"
        elif item.get("owner_agency") is None:
            errors[key] = f"Select the agency responsible for “{RELEASE_PLAN_TITLES[key]}”"
        elif item.get("due_on") is None:
            errors[key] = f"Enter the date “{RELEASE_PLAN_TITLES[key]}” is due"
        elif item["due_on"] < period.started_on:
            errors[key] = "The date due cannot be before custody began"
    if errors:
        raise ValidationError(errors)
    created = [
        task_services.create_task(
            by=actor,
            kind=TaskKind.RELEASE_PLAN,
            key=key,
            title=RELEASE_PLAN_TITLES[key],
            nominal=period.nominal,
            owner_agency=item["owner_agency"],
            due_on=item["due_on"],
            details=item.get("details", ""),
            source=period,
            checked_by_caller=True,
        )
        for key, item in sorted(items.items(), key=lambda pair: _ITEM_ORDER[pair[0]])
    ]
    return created


def releases_due(user, today: datetime.date) -> models.QuerySet[CustodyPeriod]:
    """The releases due within 28 days on the user's My work: every one for the IOM unit;
    for anyone else, those of the people they manage or whose day-of-release plan has an item
    for their team or agency. Only people whose offending the user may see."""
    periods = access.restrict_by_nominal(due_out(today), user, section=sharing.OFFENDING)
    if not getattr(user, "sees_whole_cohort", False):
        planned = Task.objects.filter(
            task_services.owned_by(user),
            kind=TaskKind.RELEASE_PLAN,
            source_type=ContentType.objects.get_for_model(CustodyPeriod),
        ).values("source_id")
        periods = periods.filter(Q(nominal__offender_managers=user) | Q(pk__in=planned)).distinct()
    return periods


def plan_item_count() -> Coalesce:
    """The number of items of the (outer) custody period's day-of-release plan, as a
    correlated subquery, so that a long list costs no more."""
    items = (
        Task.objects.filter(
            source_type=ContentType.objects.get_for_model(CustodyPeriod),
            kind=TaskKind.RELEASE_PLAN,
            source_id=models.OuterRef("pk"),
        )
        .order_by()
        .values("source_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(models.Subquery(items), 0, output_field=models.IntegerField())


def releases_due_for(user, today: datetime.date) -> list[CustodyPeriod]:
    """``releases_due`` as a list, each with ``countdown`` and ``plan_items`` (count) set."""
    rows: list[CustodyPeriod] = list(
        releases_due(user, today).select_related("nominal").annotate(item_count=plan_item_count())
    )
    for period in rows:
        setattr(period, "countdown", countdown(period.days_to_release(today)))  # noqa: B010
        setattr(period, "plan_items", getattr(period, "item_count"))  # noqa: B010, B009
    return rows


def countdown(days: int | None) -> str:
    """How a release due reads: "due out today", "due out tomorrow", "due out in 14 days"."""
    if days is None:
        return ""
    if days < 0:
        return f"release was due {-days} day{'s' if days != -1 else ''} ago"
    if days == 0:
        return "due out today"
    if days == 1:
        return "due out tomorrow"
    return f"due out in {days} days"
