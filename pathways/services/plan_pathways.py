"""One pathway of a plan: changing its need, contact, aims, review date and status, and
recording its reviews."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from iom import audit
from iom.locking import lock_for_update
from iom.models import Agency, AuditAction, User

from ..models import NeedAssessment, PathwayReview, PathwayStatus, PlanPathway
from .common import acting_user, require_act, snapshot, today

PATHWAY_FIELDS = (
    "need",
    "contact_agency",
    "contact_worker",
    "aims",
    "review_date",
    "status",
    "closing_reason",
)


def _checked_pathway(
    *,
    need: str,
    status: str,
    closing_reason: str,
    contact_agency: Agency | None,
    contact_worker: User | None,
    need_assessed_on: datetime.date | None,
) -> tuple[Agency | None, str]:
    """Refuse (ValidationError) what ``update_pathway`` refuses. Returns the contact agency
    (the worker's own when none is given) and the closing reason (kept only when closed)."""
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
    if need_assessed_on is not None and need_assessed_on > today():
        errors["need_assessed_on"] = "The date of the assessment cannot be in the future"
    if errors:
        raise ValidationError(errors)
    return contact_agency, closing_reason if status == PathwayStatus.CLOSED else ""


def _record_need_assessment(pathway: PlanPathway, by) -> None:
    """Keep the dated need of the pathway for the risk model."""
    NeedAssessment.objects.create(
        plan_pathway=pathway,
        nominal_id=pathway.nominal_id,
        pathway=pathway.pathway,
        need=pathway.need,
        assessed_on=pathway.need_assessed_on or today(),
        recorded_by=acting_user(by),
    )


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
    require_act(by, stored.nominal, stored.pathway)
    contact_agency, closing_reason = _checked_pathway(
        need=need,
        status=status,
        closing_reason=closing_reason,
        contact_agency=contact_agency,
        contact_worker=contact_worker,
        need_assessed_on=need_assessed_on,
    )

    pathway = lock_for_update(PlanPathway, pathway_id, version)
    before = snapshot(pathway, PATHWAY_FIELDS)
    need_changed = need != pathway.need
    pathway.need = need
    pathway.contact_agency = contact_agency
    pathway.contact_worker = contact_worker
    pathway.aims = aims.strip()
    pathway.review_date = review_date
    pathway.status = status
    pathway.closing_reason = closing_reason
    pathway.updated_by = acting_user(by)
    if need_changed:
        pathway.need_assessed_on = (need_assessed_on or today()) if need else None
    pathway.save()
    if need_changed and need:
        _record_need_assessment(pathway, by)
    audit.record(
        by,
        AuditAction.ALTERATION,
        pathway,
        nominal=stored.nominal,
        description=f"Updated the {pathway.get_pathway_display()} pathway",
        changes=audit.changes_between(before, snapshot(pathway, PATHWAY_FIELDS)),
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
    require_act(by, stored.nominal, stored.pathway)
    errors = {}
    if reviewed_on is None:
        errors["reviewed_on"] = "Enter the date of the review"
    elif reviewed_on > today():
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
    pathway.updated_by = acting_user(by)
    pathway.save()
    review = PathwayReview.objects.create(
        plan_pathway=pathway,
        nominal_id=pathway.nominal_id,
        reviewed_on=reviewed_on,
        notes=notes.strip(),
        next_review_date=next_review_date,
        reviewed_by=acting_user(by),
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
