"""Changing an item of a day-of-release plan after it was planned: who is responsible for it
(an agency, or one of its teams), when it is due and its details.

An item is a task of kind release-plan made for the custody period (``custody.plan_release``);
it shows in its owner's My work, so reassigning it moves it to the new owner's. Whoever may
change the person's record changes the plan, as they made it.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from cohorts.models import Task, TaskKind
from iom import audit
from iom.formatting import long_date
from iom.locking import lock_for_update
from iom.models import Agency, AuditAction, Team

from .custody import _require_change
from .models import CustodyPeriod

DETAILS_MAX_LENGTH = 500
# What a change of an item may change (its version moves on too).
PLAN_FIELDS = ("owner_agency", "owner_team", "assignee", "due_on", "details")


def plan_items(period: CustodyPeriod) -> models.QuerySet[Task]:
    """The items of the period's day-of-release plan, with their owners."""
    return Task.objects.filter(
        source_type=ContentType.objects.get_for_model(CustodyPeriod),
        source_id=period.pk,
        kind=TaskKind.RELEASE_PLAN,
    ).select_related("owner_agency", "owner_team__agency", "assignee")


def _check(
    item: Task,
    period: CustodyPeriod,
    *,
    owner_agency: Agency | None,
    owner_team: Team | None,
    due_on: datetime.date | None,
    details: str,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not period.is_open:
        errors["__all__"] = "The person has been released: the plan can no longer change"
    elif not item.is_open:
        done = long_date(timezone.localtime(item.completed_at).date())
        errors["__all__"] = f"“{item.title}” was already done on {done}"
    if owner_agency is None:
        errors["owner_agency"] = f"Select the agency responsible for “{item.title}”"
    elif owner_team is not None and owner_team.agency_id != owner_agency.pk:
        errors["owner_team"] = f"{owner_team.name} is not a team of {owner_agency.name}"
    if due_on is None:
        errors["due_on"] = f"Enter the date “{item.title}” is due"
    elif due_on < period.started_on:
        errors["due_on"] = (
            "The date due must be on or after the day custody began "
            f"({long_date(period.started_on)})"
        )
    if len(details) > DETAILS_MAX_LENGTH:
        errors["details"] = f"Details must be {DETAILS_MAX_LENGTH} characters or fewer"
    return errors


@transaction.atomic
def change_plan_item(
    period_id: int,
    item_id: int,
    *,
    by,
    version: int,
    owner_agency: Agency | None,
    owner_team: Team | None = None,
    due_on: datetime.date | None,
    details: str | None = None,
) -> Task:
    """Reassign an open item of an open custody period's day-of-release plan (to an agency,
    or a team of it) and change its date due and details, writing an alteration with the old
    and new values. An assignee who is not of the new owner is taken off it.

    Refuses an item that is not of this plan, a stale ``version`` (``StaleEditError``), a user
    who may not change the person's record, a released person, an item already done, a
    missing agency or date, a team of another agency and a date before custody began.
    ``details`` None leaves them as they are."""
    actor = audit.as_actor(by)
    period = CustodyPeriod.objects.select_related("nominal").get(pk=period_id)
    _require_change(actor, period.nominal)
    if not plan_items(period).filter(pk=item_id).exists():
        raise ValidationError({"item": "Select an item of this day-of-release plan"})
    item = lock_for_update(Task, item_id, version)
    details = item.details if details is None else details.strip()
    errors = _check(
        item,
        period,
        owner_agency=owner_agency,
        owner_team=owner_team,
        due_on=due_on,
        details=details,
    )
    if errors:
        raise ValidationError(errors)
    after = {
        "owner_agency": owner_agency,
        "owner_team": owner_team,
        "assignee": _kept_assignee(item.assignee, owner_agency, owner_team),
        "due_on": due_on,
        "details": details,
    }
    _save_changes(actor, period, item, after)
    return item


def _kept_assignee(assignee, owner_agency: Agency | None, owner_team: Team | None):
    """The item's assignee if they are of its new owner (the team, or else the agency);
    None when they are not."""
    if assignee is not None and not (
        assignee.team_id == owner_team.pk
        if owner_team is not None
        else assignee.agency_id == getattr(owner_agency, "pk", None)
    ):
        return None
    return assignee


def _save_changes(actor, period: CustodyPeriod, item: Task, after: dict) -> None:
    """Write the item's new owner, assignee, date due and details, and an alteration with
    the old and new values."""
    before = {name: getattr(item, name) for name in PLAN_FIELDS}
    for name, value in after.items():
        setattr(item, name, value)
    item.save(update_fields=[*PLAN_FIELDS, "version"])
    audit.record(
        actor,
        AuditAction.ALTERATION,
        item,
        nominal=period.nominal,
        description=f"Day-of-release plan item changed: {item.title}"[:255],
        changes=audit.changes_between(before, after),
    )
