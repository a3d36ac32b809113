"""Demo data for the pathways: each current member's plan, with needs, contacts, aims, actions
by the agencies that deliver each pathway, reviews, and some reviews overdue.

Called by ``manage.py seed_demo`` after ``referrals.demo`` has built the cohort. Agencies get
the pathways their kind delivers (the employment trust, of kind "other", is given Education,
Training & Employment and Finance). Plans are generated from a seeded random generator and the
fixed reference date, and written with ``bulk_create``; people who already have a plan are
left alone, so a second run writes nothing.
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from cohorts import demo as cohort_demo
from cohorts.models import CohortMembership, Nominal, RecordShare, ShareBasis
from cohorts.models.membership import OPEN_STATUSES
from iom import demo as core
from iom.models import Agency, AuditAction, AuditEvent, Role, User

from . import services
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

REFERENCE_DATE = cohort_demo.REFERENCE_DATE
OVERDUE_PER_DRUG_WORKER = 4
_DAY = datetime.timedelta(days=1)
P = PathwayKind

# The employment trust is of kind "other", which delivers nothing by default.
EXTRA_DELIVERY = {"employment": (P.EDUCATION_EMPLOYMENT, P.FINANCE)}

# How likely each need is, per pathway: (none, low, medium, high) weights.
NEED_WEIGHTS = {
    P.ACCOMMODATION: (25, 25, 25, 25),
    P.EDUCATION_EMPLOYMENT: (15, 30, 35, 20),
    P.HEALTH: (40, 30, 20, 10),
    P.DRUGS_ALCOHOL: (20, 20, 25, 35),
    P.FINANCE: (25, 30, 30, 15),
    P.CHILDREN_FAMILIES: (55, 20, 15, 10),
    P.ATTITUDES: (10, 30, 40, 20),
    P.VICTIMS: (45, 30, 15, 10),
}
NEEDS = ("none", "low", "medium", "high")

AIMS = {
    P.ACCOMMODATION: "Move from sofa-surfing to a settled tenancy and keep it.",
    P.EDUCATION_EMPLOYMENT: "Gain a CSCS card and a work placement leading to paid work.",
    P.HEALTH: "Register with a GP and attend the mental health assessment.",
    P.DRUGS_ALCOHOL: "Stabilise on a prescription and stay abstinent from Class A drugs.",
    P.FINANCE: "Make a claim for Universal Credit and agree a plan for rent arrears.",
    P.CHILDREN_FAMILIES: "Rebuild contact with his children through the family support worker.",
    P.ATTITUDES: "Complete the Thinking Skills Programme and apply it to triggers.",
    P.VICTIMS: "Consider restorative justice with the victim of the burglary, if they wish.",
}

ACTIONS = {
    P.ACCOMMODATION: ("Tenancy training course", "Housing application", "Rent arrears plan"),
    P.EDUCATION_EMPLOYMENT: ("Work placement", "CV workshop", "Job centre appointment"),
    P.HEALTH: ("GP registration", "Mental health assessment", "Counselling referral"),
    P.DRUGS_ALCOHOL: (
        "Treatment appointment with key worker",
        "Fast-track drug treatment referral",
        "Drug test",
        "Script review with the doctor",
    ),
    P.FINANCE: ("Debt advice appointment", "Benefit claim", "Bank account opened"),
    P.CHILDREN_FAMILIES: ("Family support meeting", "Contact centre visit"),
    P.ATTITUDES: ("Thinking Skills session", "Victim awareness session"),
    P.VICTIMS: ("Restorative justice assessment",),
}
OUTCOMES = ("Attended", "Attended and engaged well", "Did not attend; rebooked", "Completed")
REVIEW_NOTES = (
    "Progress reviewed with him at the home visit.",
    "Reviewed at the IOM case meeting with the partner agencies.",
    "Reviewed with the key worker; plan unchanged.",
)


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


def seed(rng: random.Random, stdout: TextIO) -> core.SeedResult:
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
    deliverers = _deliverers()
    workers = _partner_workers()
    shared: dict[int, set[int]] = {}
    for nominal_id, agency_id in (
        RecordShare.objects.active()
        .filter(nominal_id__in=[m.nominal_id for m in members])
        .exclude(basis=ShareBasis.DEVOLUTION)
        .values_list("nominal_id", "team__agency_id")
    ):
        shared.setdefault(nominal_id, set()).add(agency_id)
    managers: dict[int, User] = {}
    through = Nominal.offender_managers.through
    users = {u.pk: u for u in User.objects.filter(managed_nominals__isnull=False).distinct()}
    for nominal_id, user_id in through.objects.filter(
        nominal_id__in=[m.nominal_id for m in members]
    ).values_list("nominal_id", "user_id"):
        managers.setdefault(nominal_id, users[user_id])

    plans = PathwayPlan.objects.bulk_create(PathwayPlan(nominal=m.nominal) for m in members)
    pathways: list[PlanPathway] = []
    planned: list[tuple[PlanPathway, User | None]] = []
    # Each drug worker has a few reviews overdue, whatever the random draw.
    drug_overdue_given: dict[int, int] = {}
    for membership, plan in zip(members, plans, strict=True):
        nominal = membership.nominal
        for kind in PathwayKind.values:
            need = rng.choices(NEEDS, weights=NEED_WEIGHTS[kind])[0]
            partner = next(
                (a for a in deliverers.get(kind, []) if a.pk in shared.get(nominal.pk, ())), None
            )
            staff = workers.get(partner.pk, []) if partner else []
            worker = staff[nominal.pk % len(staff)] if staff else None
            agency = partner or membership.lead_agency
            live = need in ("medium", "high")
            offset = rng.randint(-40, 50)
            given = drug_overdue_given.get(worker.pk, 0) if worker else 0
            if kind == P.DRUGS_ALCOHOL and worker and live and given < OVERDUE_PER_DRUG_WORKER:
                offset = -rng.randint(3, 30)
                drug_overdue_given[worker.pk] = given + 1
            status = PathwayStatus.OPEN
            if need == "none":
                status = PathwayStatus.CLOSED
            elif need == "low" and rng.random() < 0.3:
                status = PathwayStatus.ACHIEVED
            elif live and rng.random() < 0.5:
                status = PathwayStatus.ON_TRACK
            pathway = PlanPathway(
                plan=plan,
                nominal=nominal,
                pathway=kind,
                need=need,
                need_assessed_on=membership.entered_on + rng.randint(7, 30) * _DAY,
                contact_agency=agency if need != "none" else None,
                contact_worker=worker if need != "none" else None,
                aims=AIMS[kind] if need != "none" else "",
                review_date=REFERENCE_DATE + offset * _DAY if need != "none" else None,
                status=status,
                closing_reason="No need identified at assessment" if need == "none" else "",
            )
            if pathway.need_assessed_on > REFERENCE_DATE:
                pathway.need_assessed_on = REFERENCE_DATE
            pathways.append(pathway)
            planned.append((pathway, managers.get(nominal.pk)))
    PlanPathway.objects.bulk_create(pathways, batch_size=500)

    assessments, actions, reviews = [], [], []
    for pathway, manager in planned:
        assessments.append(
            NeedAssessment(
                plan_pathway=pathway,
                nominal=pathway.nominal,
                pathway=pathway.pathway,
                need=pathway.need,
                assessed_on=pathway.need_assessed_on,
            )
        )
        if pathway.need not in ("medium", "high"):
            continue
        agency = pathway.contact_agency
        worker = pathway.contact_worker or (
            manager if agency and manager and manager.agency_id == agency.pk else None
        )
        for description in rng.sample(
            ACTIONS[pathway.pathway], k=min(2, len(ACTIONS[pathway.pathway]))
        ):
            due = REFERENCE_DATE + rng.randint(-60, 30) * _DAY
            done = due if due < REFERENCE_DATE and rng.random() < 0.6 else None
            actions.append(
                PathwayAction(
                    plan_pathway=pathway,
                    nominal=pathway.nominal,
                    description=description,
                    agency=agency,
                    assigned_to=worker,
                    due_on=due,
                    done_on=done,
                    outcome=rng.choice(OUTCOMES) if done else "",
                )
            )
        if rng.random() < 0.6:
            reviewed = pathway.review_date - rng.randint(35, 50) * _DAY
            reviews.append(
                PathwayReview(
                    plan_pathway=pathway,
                    nominal=pathway.nominal,
                    reviewed_on=min(reviewed, REFERENCE_DATE),
                    notes=rng.choice(REVIEW_NOTES),
                    next_review_date=pathway.review_date,
                    reviewed_by=worker or manager,
                )
            )
    NeedAssessment.objects.bulk_create(assessments, batch_size=500)
    PathwayAction.objects.bulk_create(actions, batch_size=500)
    PathwayReview.objects.bulk_create(reviews, batch_size=500)
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                username=core.SEED_USERNAME,
                action=AuditAction.COLLECTION,
                nominal_id=plan.nominal_id,
                object_type=PathwayPlan._meta.label,
                object_id=str(plan.pk),
                description=cohort_demo.AUDIT_DESCRIPTION,
                path=core.SEED_ACTOR.path,
            )
            for plan in plans
        ),
        batch_size=500,
    )
    result.created.update(
        {
            "pathway plans": len(plans),
            "pathway actions": len(actions),
            "pathway reviews": len(reviews),
        }
    )
    return result
