"""Actions on a pathway: adding and changing them, for the agency that does them."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cohorts.models import Nominal
from iom import audit
from iom.locking import lock_for_update
from iom.models import Agency, AuditAction, User

from ..models import PathwayAction, PathwayKind, PlanPathway
from ..permissions import PlanAccess
from .common import acting_user, require_act, snapshot, today
from .plans import ensure_plan

ACTION_FIELDS = ("description", "agency", "assigned_to", "due_on", "done_on", "outcome")


def _validate_action(
    rights: PlanAccess | None,
    by,
    *,
    description: str,
    agency: Agency | None,
    assigned_to: User | None,
    due_on: datetime.date | None,
    done_on: datetime.date | None,
    outcome: str,
) -> None:
    errors = {}
    if not description.strip():
        errors["description"] = "Say what is to be done"
    if due_on is None:
        errors["due_on"] = "Enter the date the action is due"
    if agency is None:
        errors["agency"] = "Select the agency that does it"
    elif rights is not None and not rights.acts_on_all:
        user = acting_user(by)
        if user is None or agency.pk != user.agency_id:
            errors["agency"] = "You can record actions of your own agency only"
    if assigned_to is not None and agency is not None and assigned_to.agency_id != agency.pk:
        errors["assigned_to"] = f"{assigned_to} does not work for {agency}"
    if done_on is not None and done_on > today():
        errors["done_on"] = "The date done cannot be in the future"
    if outcome.strip() and done_on is None:
        errors["done_on"] = "Enter the date done to record an outcome"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_action(
    nominal: Nominal,
    *,
    by,
    pathway: str,
    description: str,
    due_on: datetime.date | None,
    agency: Agency | None = None,
    assigned_to: User | None = None,
    done_on: datetime.date | None = None,
    outcome: str = "",
) -> PathwayAction:
    """Add an action to one pathway of the person's plan (starting the plan if need be).

    A partner worker may add actions only on the pathways their agency delivers, and only for
    their own agency (PermissionDenied, ValidationError); nothing is written on refusal.
    """
    if pathway not in PathwayKind.values:
        raise ValidationError({"pathway": "Select one of the eight pathways"})
    rights = require_act(by, nominal, pathway)
    user = acting_user(by)
    if agency is None and user is not None and rights is not None and not rights.acts_on_all:
        agency = user.agency
    _validate_action(
        rights,
        by,
        description=description,
        agency=agency,
        assigned_to=assigned_to,
        due_on=due_on,
        done_on=done_on,
        outcome=outcome,
    )
    assert agency is not None and due_on is not None  # _validate_action refused them missing
    plan = ensure_plan(nominal, by=by)
    plan_pathway = PlanPathway.objects.get(plan=plan, pathway=pathway)
    action = PathwayAction.objects.create(
        plan_pathway=plan_pathway,
        nominal=nominal,
        description=description.strip(),
        agency=agency,
        assigned_to=assigned_to,
        due_on=due_on,
        done_on=done_on,
        outcome=outcome.strip(),
        created_by=user,
    )
    audit.record(
        by,
        AuditAction.COLLECTION,
        action,
        nominal=nominal,
        description=f"Added an action on {plan_pathway.get_pathway_display()}: "
        f"{action.description}",
    )
    return action


@transaction.atomic
def update_action(action_id: int, *, by, version: int, changes: dict[str, Any]) -> PathwayAction:
    """Change an action (what, by whom, agency, dates, outcome) edited from ``version``.

    Refuses an actor who may not act on its pathway, invalid fields and stale versions;
    nothing is written on refusal.
    """
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    stored = PathwayAction.objects.select_related("nominal", "plan_pathway").get(pk=action_id)
    rights = require_act(by, stored.nominal, stored.plan_pathway.pathway)
    merged = {**snapshot(stored, ACTION_FIELDS), **changes}
    merged["description"] = (merged["description"] or "").strip()
    merged["outcome"] = (merged["outcome"] or "").strip()
    _validate_action(rights, by, **merged)
    action = lock_for_update(PathwayAction, action_id, version)
    before = snapshot(action, ACTION_FIELDS)
    for name, value in merged.items():
        setattr(action, name, value)
    action.save()
    audit.record(
        by,
        AuditAction.ALTERATION,
        action,
        nominal=stored.nominal,
        description=f"Updated an action on {stored.plan_pathway.get_pathway_display()}",
        changes=audit.changes_between(before, snapshot(action, ACTION_FIELDS)),
    )
    return action
