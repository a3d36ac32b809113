"""Starting a person's pathway plan, with its eight pathways."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from cohorts.models import Nominal
from iom import audit
from iom.models import AuditAction

from ..models import PathwayKind, PathwayPlan, PlanPathway
from .common import access_of, acting_user


@transaction.atomic
def ensure_plan(nominal: Nominal, *, by=None) -> PathwayPlan:
    """The person's plan, created with its eight pathways (one bulk insert) if it is new.

    Idempotent: a second call returns the existing plan and writes nothing.
    """
    plan = PathwayPlan.objects.filter(nominal=nominal).first()
    if plan is not None:
        return plan
    plan = PathwayPlan.objects.create(nominal=nominal, created_by=acting_user(by))
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
    rights = access_of(by, nominal)
    if rights is not None and not rights.may_act_on_any:
        raise PermissionDenied("You cannot start a pathway plan for this person.")
    return ensure_plan(nominal, by=by)
