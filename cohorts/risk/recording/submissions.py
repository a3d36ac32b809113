"""Intelligence from partners: submitted to the IOM unit, which grades and accepts it as a
report or rejects it with a reason the partner sees.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cohorts.models import Nominal
from iom import audit
from iom.locking import lock_for_update
from iom.models import AuditAction

from ..models import (
    IntelligenceReport,
    IntelligenceSource,
    IntelligenceSubmission,
    OffenceType,
    SubmissionStatus,
)
from .permissions import can_grade, can_submit_intelligence, require
from .records import field_values, record_new, refuse
from .rules import LOCATION_LENGTH, SUMMARY_LENGTH, check_day, check_text

# Rows accepted from a partner are intelligence from this source system.
SUBMISSION_SOURCE = "partner-submission"


def submit_intelligence(
    nominal: Nominal,
    *,
    by,
    reported_on: datetime.date,
    summary: str,
    offence_type: OffenceType | None = None,
    location: str = "",
) -> IntelligenceSubmission:
    """A partner tells the IOM unit something about a person shared with them. It waits to be
    graded; only the IOM unit and the partner's own agency see it."""
    actor = audit.as_actor(by)
    require(
        can_submit_intelligence(actor.user, nominal),
        "Only a partner who may see this person can submit intelligence about them.",
    )
    errors: dict[str, str] = {}
    check_day(errors, "reported_on", reported_on, timezone.localdate(), "information")
    summary, location = (summary or "").strip(), (location or "").strip()
    if not summary:
        errors["summary"] = "Say what you learnt"
    else:
        problem = check_text(summary, length=SUMMARY_LENGTH, formulas=False)
        if problem:
            errors["summary"] = problem
    problem = check_text(location, length=LOCATION_LENGTH)
    if problem:
        errors["location"] = problem
    refuse(errors)
    with transaction.atomic():
        submission = IntelligenceSubmission.objects.create(
            nominal=nominal, agency_id=actor.user.agency_id, submitted_by=actor.user,
            reported_on=reported_on, offence_type=offence_type, summary=summary,
            location=location,
        )  # fmt: skip
        audit.record(actor, AuditAction.COLLECTION, submission, nominal=nominal,
                     description="Submitted intelligence to the IOM unit")  # fmt: skip
    return submission


def accept_submission(
    submission_id: int, *, by, version: int, note: str = "", **values
) -> IntelligenceSubmission:
    """Grade a partner's submission (3x5x2) and accept it as an intelligence report from a
    partner agency. ``values`` are the report's (summary, offence and location default to
    what the partner wrote). Refuses anyone outside the IOM unit and a decided submission."""
    actor = audit.as_actor(by)
    require(can_grade(actor.user), "Only the IOM unit grades intelligence.")
    with transaction.atomic():
        submission = lock_for_update(IntelligenceSubmission, submission_id, version)
        if submission.status != SubmissionStatus.SUBMITTED:
            raise ValidationError("This submission has already been decided")
        report_values = {
            "reported_on": submission.reported_on,
            "intelligence_source": IntelligenceSource.PARTNER,
            "offence_type_id": submission.offence_type_id,
            "summary": submission.summary,
            "location": submission.location,
            **field_values(IntelligenceReport, values),
        }
        report = record_new(
            IntelligenceReport, submission.nominal, actor, report_values,
            source=SUBMISSION_SOURCE, ref=f"submission-{submission.pk}",
        )  # fmt: skip
        submission.status = SubmissionStatus.ACCEPTED
        submission.report = report
        _decided(submission, actor, note, f"Graded {report.grading} and accepted")
    return submission


def reject_submission(submission_id: int, *, by, version: int, note: str) -> IntelligenceSubmission:
    """Reject a partner's submission with a reason the partner sees."""
    actor = audit.as_actor(by)
    require(can_grade(actor.user), "Only the IOM unit grades intelligence.")
    if not (note or "").strip():
        raise ValidationError({"note": "Say why the submission is rejected"})
    with transaction.atomic():
        submission = lock_for_update(IntelligenceSubmission, submission_id, version)
        if submission.status != SubmissionStatus.SUBMITTED:
            raise ValidationError("This submission has already been decided")
        submission.status = SubmissionStatus.REJECTED
        _decided(submission, actor, note, "Rejected")
    return submission


def _decided(submission: IntelligenceSubmission, actor, note: str, description: str) -> None:
    submission.decided_by = actor.user
    submission.decided_at = timezone.now()
    submission.decision_note = (note or "").strip()[:500]
    submission.save()
    audit.record(
        actor,
        AuditAction.ALTERATION,
        submission,
        nominal=submission.nominal,
        description=f"{description}: intelligence submitted by {submission.agency}",
        changes={"status": [SubmissionStatus.SUBMITTED, submission.status]},
    )
