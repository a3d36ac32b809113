"""State changes of pathway plans: creating a plan, updating a pathway, adding and updating
actions, recording reviews, and configuring the agencies that deliver pathways.

Every function checks the actor's rights and validates everything before writing, runs in one
transaction and writes its audit event inside it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cohorts.models import Nominal
from iom import audit
from iom.locking import lock_for_update
from iom.models import Agency, AuditAction, User

from . import defaults
from .models import (
    AgencyPathway,
    AgencyPathwaySettings,
    NeedAssessment,
    PathwayAction,
    PathwayKind,
    PathwayPlan,
    PathwayReview,
    PathwayStatus,
    PlanPathway,
)
from .permissions import PlanAccess, plan_access

PATHWAY_FIELDS = (
    "need",
    "contact_agency",
    "contact_worker",
    "aims",
    "review_date",
    "status",
    "closing_reason",
)
ACTION_FIELDS = ("description", "agency", "assigned_to", "due_on", "done_on", "outcome")


def _user(by) -> User | None:
    user = audit.as_actor(by).user
    return user if getattr(user, "is_authenticated", False) else None


def _access(by, nominal: Nominal) -> PlanAccess | None:
    """The actor's rights on the plan; None for the system (seed, tasks), which may do all."""
    user = _user(by)
    if user is None:
        return None
    return plan_access(user, nominal)


def _require_act(by, nominal: Nominal, pathway: str) -> PlanAccess | None:
    rights = _access(by, nominal)
    if rights is not None and not rights.may_act(pathway):
        label = PathwayKind(pathway).label
        raise PermissionDenied(
            f"Your agency does not deliver the {label} pathway, so you cannot change it."
        )
    return rights


def _today() -> datetime.date:
    return timezone.localdate()


# --- Plans ---------------------------------------------------------------------------------


@transaction.atomic
def ensure_plan(nominal: Nominal, *, by=None) -> PathwayPlan:
    """The person's plan, created with its eight pathways (one bulk insert) if it is new.

    Idempotent: a second call returns the existing plan and writes nothing.
    """
    plan = PathwayPlan.objects.filter(nominal=nominal).first()
    if plan is not None:
        return plan
    plan = PathwayPlan.objects.create(nominal=nominal, created_by=_user(by))
    PlanPathway.objects.bulk_create(
        [PlanPathway(plan=plan, nominal=nominal, pathway=kind) for kind in PathwayKind.values]
    )
    audit.record(
        by,
        AuditAction.COLLECTION,
        plan,
        nominal=nominal,
        description="Started the pathway plan (eight pathways)",
    )
    return plan


def start_plan(nominal: Nominal, *, by) -> PathwayPlan:
    """Start a person's plan from the page: anyone who may act on a pathway of it."""
    rights = _access(by, nominal)
    if rights is not None and not rights.may_act_on_any:
        raise PermissionDenied("You cannot start a pathway plan for this person.")
    return ensure_plan(nominal, by=by)


# --- Pathways ------------------------------------------------------------------------------


def _snapshot(obj, fields) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


@transaction.atomic
def update_pathway(
    pathway_id: int,
    *,
    by,
    version: int,
    need: str,
    contact_agency: Agency | None,
    contact_worker: User | None,
    aims: str,
    review_date: datetime.date | None,
    status: str,
    closing_reason: str = "",
    need_assessed_on: datetime.date | None = None,
) -> PlanPathway:
    """Change one pathway of a plan: need, contact, aims, review date, status.

    Refuses (PermissionDenied) an actor whose agency does not deliver the pathway, unless they
    may act on the whole plan; (ValidationError) a closed pathway without a reason, a worker
    who is not of the contact agency; (StaleEditError) an edit based on an old version.
    A change of need is dated and kept (``NeedAssessment``) for the risk model.
    """
    stored = PlanPathway.objects.select_related("nominal").get(pk=pathway_id)
    _require_act(by, stored.nominal, stored.pathway)
    closing_reason = closing_reason.strip()
    errors = {}
    if need and need not in ("none", "low", "medium", "high"):
        errors["need"] = "Select the assessed need: none, low, medium or high"
    if status not in PathwayStatus.values:
        errors["status"] = "Select the status of the pathway"
    if status == PathwayStatus.CLOSED and not closing_reason:
        errors["closing_reason"] = "Give the reason for closing the pathway"
    if contact_worker is not None:
        if contact_agency is None:
            contact_agency = contact_worker.agency
        elif contact_worker.agency_id != contact_agency.pk:
            errors["contact_worker"] = f"{contact_worker} does not work for {contact_agency}"
    if need_assessed_on is not None and need_assessed_on > _today():
        errors["need_assessed_on"] = "The date of the assessment cannot be in the future"
    if errors:
        raise ValidationError(errors)
    if status != PathwayStatus.CLOSED:
        closing_reason = ""

    pathway = lock_for_update(PlanPathway, pathway_id, version)
    before = _snapshot(pathway, PATHWAY_FIELDS)
    need_changed = need != pathway.need
    pathway.need = need
    pathway.contact_agency = contact_agency
    pathway.contact_worker = contact_worker
    pathway.aims = aims.strip()
    pathway.review_date = review_date
    pathway.status = status
    pathway.closing_reason = closing_reason
    pathway.updated_by = _user(by)
    if need_changed:
        pathway.need_assessed_on = (need_assessed_on or _today()) if need else None
    pathway.save()
    if need_changed and need:
        NeedAssessment.objects.create(
            plan_pathway=pathway,
            nominal_id=pathway.nominal_id,
            pathway=pathway.pathway,
            need=need,
            assessed_on=pathway.need_assessed_on or _today(),
            recorded_by=_user(by),
        )
    audit.record(
        by,
        AuditAction.ALTERATION,
        pathway,
        nominal=stored.nominal,
        description=f"Updated the {pathway.get_pathway_display()} pathway",
        changes=audit.changes_between(before, _snapshot(pathway, PATHWAY_FIELDS)),
    )
    return pathway


@transaction.atomic
def record_review(
    pathway_id: int,
    *,
    by,
    version: int,
    reviewed_on: datetime.date,
    notes: str,
    next_review_date: datetime.date | None,
) -> PathwayReview:
    """Record a review of one pathway and set its next review date.

    Refuses a review in the future, without notes, or with a next date not after it.
    """
    stored = PlanPathway.objects.select_related("nominal").get(pk=pathway_id)
    _require_act(by, stored.nominal, stored.pathway)
    errors = {}
    if reviewed_on is None:
        errors["reviewed_on"] = "Enter the date of the review"
    elif reviewed_on > _today():
        errors["reviewed_on"] = "The date of the review cannot be in the future"
    if not notes.strip():
        errors["notes"] = "Say what the review found"
    if next_review_date is not None and reviewed_on and next_review_date <= reviewed_on:
        errors["next_review_date"] = "The next review must be after this one"
    if errors:
        raise ValidationError(errors)
    pathway = lock_for_update(PlanPathway, pathway_id, version)
    before = pathway.review_date
    pathway.review_date = next_review_date
    pathway.updated_by = _user(by)
    pathway.save()
    review = PathwayReview.objects.create(
        plan_pathway=pathway,
        nominal_id=pathway.nominal_id,
        reviewed_on=reviewed_on,
        notes=notes.strip(),
        next_review_date=next_review_date,
        reviewed_by=_user(by),
    )
    audit.record(
        by,
        AuditAction.COLLECTION,
        review,
        nominal=stored.nominal,
        description=f"Reviewed the {pathway.get_pathway_display()} pathway",
        changes=audit.changes_between({"review_date": before}, {"review_date": next_review_date}),
    )
    return review


# --- Actions -------------------------------------------------------------------------------


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
        user = _user(by)
        if user is None or agency.pk != user.agency_id:
            errors["agency"] = "You can record actions of your own agency only"
    if assigned_to is not None and agency is not None and assigned_to.agency_id != agency.pk:
        errors["assigned_to"] = f"{assigned_to} does not work for {agency}"
    if done_on is not None and done_on > _today():
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
    rights = _require_act(by, nominal, pathway)
    user = _user(by)
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
    rights = _require_act(by, stored.nominal, stored.plan_pathway.pathway)
    merged = {**_snapshot(stored, ACTION_FIELDS), **changes}
    merged["description"] = (merged["description"] or "").strip()
    merged["outcome"] = (merged["outcome"] or "").strip()
    _validate_action(rights, by, **merged)
    action = lock_for_update(PathwayAction, action_id, version)
    before = _snapshot(action, ACTION_FIELDS)
    for name, value in merged.items():
        setattr(action, name, value)
    action.save()
    audit.record(
        by,
        AuditAction.ALTERATION,
        action,
        nominal=stored.nominal,
        description=f"Updated an action on {stored.plan_pathway.get_pathway_display()}",
        changes=audit.changes_between(before, _snapshot(action, ACTION_FIELDS)),
    )
    return action


# --- Agencies ------------------------------------------------------------------------------


@transaction.atomic
def configure_agencies(agencies, *, by=None) -> int:
    """Give each agency without pathway settings the defaults of its kind (bulk inserts).

    Returns how many agencies were configured; agencies already configured are left alone.
    """
    agencies = list(agencies)
    configured = set(
        AgencyPathwaySettings.objects.filter(agency__in=agencies).values_list(
            "agency_id", flat=True
        )
    )
    agencies = [agency for agency in agencies if agency.pk not in configured]
    if not agencies:
        return 0
    AgencyPathwaySettings.objects.bulk_create(
        [AgencyPathwaySettings(agency=agency) for agency in agencies]
    )
    settings = AgencyPathwaySettings.objects.filter(agency__in=agencies).select_related("agency")
    AgencyPathway.objects.bulk_create(
        [
            AgencyPathway(settings=setting, pathway=pathway)
            for setting in settings
            for pathway in defaults.DELIVERED_BY_KIND.get(setting.agency.kind, ())
        ]
    )
    for setting in settings:
        audit.record(
            by,
            AuditAction.COLLECTION,
            setting,
            description=f"Configured the pathways of {setting.agency} from its kind",
        )
    return len(agencies)
