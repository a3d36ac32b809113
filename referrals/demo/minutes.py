"""The minutes of the latest panel before the day of the seed, and the actions it agreed.

The meeting gets its minutes (what was said beyond each referral), each of its decisions a
line of its own, and a few actions, which became tasks as ``referrals.services`` makes them:
about people it accepted, for an IOM officer (who sees every record), and one for the meeting
as a whole, for the housing partner. An action due before the day of the seed is done, with
what came of it; the others wait in their owners' My work. Each task has its audit event.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from cohorts.demo import AUDIT_DESCRIPTION
from cohorts.models import Task, TaskKind
from iom import demo as core
from iom.models import AuditAction, AuditEvent, User
from referrals.models import Decision, PanelDecision, PanelMeeting

MEETING_MINUTES = (
    "Attendance as listed. The chair welcomed the partner agencies' representatives.\n\n"
    "Caseload: the cohort is close to its cap; the panel agreed to look first at the people "
    "released in the last month when choosing who to step down at the next meeting.\n\n"
    "Accommodation remains the most common unmet need among new members: the housing partner "
    "will bring the list of those needing move-on accommodation.\n\n"
    "Any other business: none."
)
DECISION_MINUTES = {
    Decision.ACCEPT: "Accepted. The lead agency's offender manager to make contact within the "
    "week; a joint home visit with the neighbourhood team to follow.",
    Decision.REJECT: "Not accepted: {reason}",
    Decision.DEFER: "Deferred to {deferred_until:%-d %B %Y}: the panel wants the drug "
    "service's assessment before deciding.",
}
# (title, owner, days after the meeting it is due, what came of it when done)
PERSON_ACTIONS = (
    ("Arrange a joint home visit with the neighbourhood team", "officer.police", 14,
     "Visited with the neighbourhood officer; living at the approved address."),
    ("Refer to the drug service for an assessment", "officer.probation", 7,
     "Referred; assessment booked."),
)  # fmt: skip
MEETING_ACTION = (
    "Bring the list of members needing move-on accommodation to the next panel",
    "housing.worker",
    21,
    "List circulated to the panel members.",
)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _task(meeting, source, title, owner: User, due_days: int, outcome: str, today, nominal=None):
    due_on = meeting.held_on + datetime.timedelta(days=due_days)
    done = due_on < today
    subject = f"{nominal.full_name} ({source.referral.reference})" if nominal else str(meeting)
    return Task(
        nominal=nominal,
        kind=TaskKind.PANEL_ACTION,
        title=title,
        details=f"Agreed at the {meeting} about {subject}.",
        owner_team=owner.team,
        owner_agency=owner.agency if owner.team is None else None,
        assignee=owner,
        due_on=due_on,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        created_by=meeting.created_by,
        completed_at=_at(due_on, 15) if done else None,
        completed_by=owner if done else None,
        outcome=outcome if done else "",
    )


def _decision_minutes(decision: PanelDecision) -> str:
    return DECISION_MINUTES[Decision(decision.decision)].format(
        reason=decision.reason, deferred_until=decision.deferred_until or datetime.date.min
    )


def write_minutes(today: datetime.date, result: core.SeedResult) -> None:
    """Minutes and actions for the latest meeting before ``today``; nothing without one."""
    meeting = PanelMeeting.objects.filter(held_on__lt=today).order_by("-held_on").first()
    if meeting is None:
        return
    meeting.minutes = MEETING_MINUTES
    meeting.save(update_fields=["minutes"])
    decisions = list(
        meeting.decisions.select_related("referral__nominal").order_by("decided_at", "id")
    )
    for decision in decisions:
        decision.minutes = _decision_minutes(decision)
    PanelDecision.objects.bulk_update(decisions, ["minutes"])
    owners = core.users(sorted({a[1] for a in (*PERSON_ACTIONS, MEETING_ACTION)}))
    accepted = [d for d in decisions if d.decision == Decision.ACCEPT]
    tasks = [
        _task(meeting, decision, title, owners[owner], days, outcome, today,
              nominal=decision.referral.nominal)
        for decision, (title, owner, days, outcome) in zip(accepted, PERSON_ACTIONS, strict=False)
    ]  # fmt: skip
    title, owner, days, outcome = MEETING_ACTION
    tasks.append(_task(meeting, meeting, title, owners[owner], days, outcome, today))
    Task.objects.bulk_create(tasks)
    for task in tasks:
        task.created_at = _at(meeting.held_on, 17)
    Task.objects.bulk_update(tasks, ["created_at"])
    AuditEvent.objects.bulk_create(
        AuditEvent(
            username=core.SEED_USERNAME,
            action=AuditAction.COLLECTION,
            person_id=task.nominal_id,
            object_type=Task._meta.label,
            object_id=str(task.pk),
            description=AUDIT_DESCRIPTION,
            path=core.SEED_ACTOR.path,
        )
        for task in tasks
    )
    result.created["panel minutes"] = 1 + len(decisions)
    result.created["panel actions"] = len(tasks)
    result.created["audit events"] = result.created.get("audit events", 0) + len(tasks)
