"""Building each current member's pathway plan: a need per pathway, the agency and worker who
deliver it, a review date, and for the live ones actions and an earlier review.

Review dates are spread so that a believable few are overdue (about one live pathway in
twelve, plus a handful for each drug worker so that My work shows them); most actions whose
due date has passed are done, with an outcome.
"""

from __future__ import annotations

import datetime
import random

from pathways.models import (
    NeedAssessment,
    PathwayAction,
    PathwayKind,
    PathwayReview,
    PathwayStatus,
    PlanPathway,
)

from .content import ACTIONS, AIMS, NEED_WEIGHTS, NEEDS, OUTCOMES, REVIEW_NOTES

OVERDUE_PER_DRUG_WORKER = 4
OVERDUE_SHARE = 0.08  # of the pathways with a review date
DONE_SHARE = 0.88  # of the actions whose due date has passed
_DAY = datetime.timedelta(days=1)
P = PathwayKind


class PlanBuilder:
    def __init__(self, rng: random.Random, today: datetime.date, deliverers, workers, shared):
        self.rng = rng
        self.today = today
        self.deliverers = deliverers
        self.workers = workers
        self.shared = shared
        # Each drug worker has a few reviews overdue, whatever the random draw.
        self.drug_overdue_given: dict[int, int] = {}

    def review_offset(self, kind: str, worker, live: bool) -> int:
        rng = self.rng
        offset = -rng.randint(1, 30) if rng.random() < OVERDUE_SHARE else rng.randint(1, 56)
        given = self.drug_overdue_given.get(worker.pk, 0) if worker else 0
        if kind == P.DRUGS_ALCOHOL and worker and live and given < OVERDUE_PER_DRUG_WORKER:
            offset = -rng.randint(3, 30)
            self.drug_overdue_given[worker.pk] = given + 1
        return offset

    def status(self, need: str, live: bool) -> str:
        if need == "none":
            return PathwayStatus.CLOSED
        if need == "low" and self.rng.random() < 0.3:
            return PathwayStatus.ACHIEVED
        if live and self.rng.random() < 0.5:
            return PathwayStatus.ON_TRACK
        return PathwayStatus.OPEN

    def pathway(self, membership, plan, kind: str) -> PlanPathway:
        rng = self.rng
        nominal = membership.nominal
        need = rng.choices(NEEDS, weights=NEED_WEIGHTS[kind])[0]
        partner = next(
            (a for a in self.deliverers.get(kind, []) if a.pk in self.shared.get(nominal.pk, ())),
            None,
        )
        staff = self.workers.get(partner.pk, []) if partner else []
        worker = staff[nominal.pk % len(staff)] if staff else None
        live = need in ("medium", "high")
        offset = self.review_offset(kind, worker, live)
        status = self.status(need, live)
        assessed = min(membership.entered_on + rng.randint(7, 30) * _DAY, self.today)
        needed = need != "none"
        return PlanPathway(
            plan=plan,
            nominal=nominal,
            pathway=kind,
            need=need,
            need_assessed_on=assessed,
            contact_agency=(partner or membership.lead_agency) if needed else None,
            contact_worker=worker if needed else None,
            aims=AIMS[kind] if needed else "",
            review_date=self.today + offset * _DAY if needed else None,
            status=status,
            closing_reason="" if needed else "No need identified at assessment",
        )

    def actions(self, pathway: PlanPathway, worker) -> list[PathwayAction]:
        rng = self.rng
        rows = []
        choices = ACTIONS[pathway.pathway]
        for description in rng.sample(choices, k=min(2, len(choices))):
            due = self.today + rng.randint(-60, 30) * _DAY
            done = None
            if due < self.today and rng.random() < DONE_SHARE:
                done = due - rng.randint(0, 3) * _DAY
            rows.append(
                PathwayAction(
                    plan_pathway=pathway,
                    nominal=pathway.nominal,
                    description=description,
                    agency=pathway.contact_agency,
                    assigned_to=worker,
                    due_on=due,
                    done_on=done,
                    outcome=rng.choice(OUTCOMES) if done else "",
                )
            )
        return rows

    def review(self, pathway: PlanPathway, worker, manager) -> PathwayReview | None:
        rng = self.rng
        if rng.random() >= 0.6:
            return None
        reviewed = pathway.review_date - rng.randint(35, 50) * _DAY
        return PathwayReview(
            plan_pathway=pathway,
            nominal=pathway.nominal,
            reviewed_on=min(reviewed, self.today),
            notes=rng.choice(REVIEW_NOTES),
            next_review_date=pathway.review_date,
            reviewed_by=worker or manager,
        )

    def follow_ups(self, planned) -> tuple[list, list, list]:
        """Each pathway's first need assessment; actions and a review for the live ones."""
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
            actions += self.actions(pathway, worker)
            review = self.review(pathway, worker, manager)
            if review:
                reviews.append(review)
        return assessments, actions, reviews
