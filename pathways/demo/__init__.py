"""Demo data for the pathways: each current member's plan, with needs, contacts, aims, actions
by the agencies that deliver each pathway, reviews, and a believable few reviews overdue.

Called by ``manage.py seed_demo`` after ``referrals.demo`` has built the cohort. Agencies get
the pathways their kind delivers (the employment trust, of kind "other", is given Education,
Training & Employment and Finance). Plans are built in ``plans`` from a seeded random
generator and the day of the seed (the words are in ``content``), and written with
``bulk_create``; people who already have a plan are left alone, so a second run writes
nothing.
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.utils import timezone

from cohorts import demo as cohort_demo
from cohorts.models import CohortMembership, Nominal, RecordShare, ShareBasis
from cohorts.models.membership import OPEN_STATUSES
from iom import demo as core
from iom.models import Agency, AuditAction, AuditEvent, Role, User
from pathways import services
from pathways.models import (
    AgencyPathway,
    AgencyPathwaySettings,
    NeedAssessment,
    PathwayAction,
    PathwayKind,
    PathwayPlan,
    PathwayReview,
    PlanPathway,
)

from .content import EXTRA_DELIVERY
from .plans import OVERDUE_PER_DRUG_WORKER, PlanBuilder

__all__ = ["OVERDUE_PER_DRUG_WORKER", "seed"]


def _configure_agencies() -> int:
    agencies = {spec.key: core.agency(spec.key) for spec in core.AGENCIES}
    configured = services.configure_agencies(agencies.values(), by=core.SEED_ACTOR)
    for key, pathways in EXTRA_DELIVERY.items():
        settings = AgencyPathwaySettings.objects.get(agency=agencies[key])
        if not settings.pathways.exists():
            AgencyPathway.objects.bulk_create(
                AgencyPathway(settings=settings, pathway=pathway) for pathway in pathways
            )
    return configured


def _deliverers() -> dict[str, list[Agency]]:
    """Pathway -> the partner agencies (not police or probation) that deliver it."""
    found: dict[str, list[Agency]] = {}
    rows = AgencyPathway.objects.select_related("settings__agency").exclude(
        settings__agency__kind__in=("police", "nps", "crc")
    )
    for row in rows.order_by("settings__agency__name"):
        found.setdefault(row.pathway, []).append(row.settings.agency)
    return found


def _partner_workers() -> dict[int, list[User]]:
    """Agency id -> its demo partner workers, who share its caseload."""
    usernames = [s.username for s in core.USERS if s.role == Role.PARTNER_WORKER]
    found: dict[int, list[User]] = {}
    for user in User.objects.filter(username__in=usernames).order_by("username"):
        found.setdefault(user.agency_id, []).append(user)
    return found


def _shared_and_managers(members) -> tuple[dict[int, set[int]], dict[int, User]]:
    """Per person: the partner agencies their record is shared with, and their first offender
    manager."""
    ids = [m.nominal_id for m in members]
    shared: dict[int, set[int]] = {}
    for nominal_id, agency_id in (
        RecordShare.objects.active()
        .filter(nominal_id__in=ids)
        .exclude(basis=ShareBasis.DEVOLUTION)
        .values_list("nominal_id", "team__agency_id")
    ):
        shared.setdefault(nominal_id, set()).add(agency_id)
    managers: dict[int, User] = {}
    through = Nominal.offender_managers.through
    users = {u.pk: u for u in User.objects.filter(managed_nominals__isnull=False).distinct()}
    for nominal_id, user_id in through.objects.filter(nominal_id__in=ids).values_list(
        "nominal_id", "user_id"
    ):
        managers.setdefault(nominal_id, users[user_id])
    return shared, managers


def _audit(plans) -> None:
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                username=core.SEED_USERNAME,
                action=AuditAction.COLLECTION,
                person_id=plan.nominal_id,
                object_type=PathwayPlan._meta.label,
                object_id=str(plan.pk),
                description=cohort_demo.AUDIT_DESCRIPTION,
                path=core.SEED_ACTOR.path,
            )
            for plan in plans
        ),
        batch_size=500,
    )


def seed(
    rng: random.Random, stdout: TextIO | None, *, today: datetime.date | None = None
) -> core.SeedResult:
    today = today or timezone.localdate()
    result = core.SeedResult()
    configured = _configure_agencies()
    if configured:
        result.created["agency pathway settings"] = configured
    members = list(
        CohortMembership.objects.filter(status__in=OPEN_STATUSES)
        .exclude(nominal__pathway_plan__isnull=False)
        .select_related("nominal", "lead_agency")
        .order_by("nominal_id")
    )
    if not members:
        return result
    shared, managers = _shared_and_managers(members)
    builder = PlanBuilder(rng, today, _deliverers(), _partner_workers(), shared)
    plans = PathwayPlan.objects.bulk_create(PathwayPlan(nominal=m.nominal) for m in members)
    planned = [
        (builder.pathway(membership, plan, kind), managers.get(membership.nominal_id))
        for membership, plan in zip(members, plans, strict=True)
        for kind in PathwayKind.values
    ]
    PlanPathway.objects.bulk_create([pathway for pathway, _ in planned], batch_size=500)
    assessments, actions, reviews = builder.follow_ups(planned)
    NeedAssessment.objects.bulk_create(assessments, batch_size=500)
    PathwayAction.objects.bulk_create(actions, batch_size=500)
    PathwayReview.objects.bulk_create(reviews, batch_size=500)
    _audit(plans)
    result.created.update(
        {
            "pathway plans": len(plans),
            "pathway actions": len(actions),
            "pathway reviews": len(reviews),
        }
    )
    return result
