"""The panel's actions: each becomes a task for its owner."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cohorts.models import TaskKind
from cohorts.services import tasks as task_services
from iom import access, audit
from iom.models import Role, User

from ..models import (
    PanelDecision,
    PanelMeeting,
)
from .permissions import can_run_panels


@dataclass(frozen=True)
class PanelAction:
    """An action the panel agreed: what, who owns it, and by when. It becomes a task in the
    owner's My work (owned by their team, or their agency when they have none)."""

    title: str
    assignee: User
    due_on: datetime.date
    details: str = ""


def record_action(meeting: PanelMeeting, action: PanelAction, actor, *, decision=None):
    """One action as a task, made for the decision (about its person) or for the meeting."""
    title = action.title.strip()
    owner = action.assignee
    errors = {}
    if not title:
        errors["action_title"] = "Say what the action is"
    if owner is None or not owner.is_active or owner.agency_id is None:
        errors["action_owner"] = "Select an active user of an agency to own the action"
    elif owner.role == Role.ADMINISTRATOR:
        errors["action_owner"] = "An administrator cannot own a panel action"
    if action.due_on is None:
        errors["action_due_on"] = "Give the date the action is due"
    elif action.due_on < meeting.held_on:
        errors["action_due_on"] = "The action cannot be due before the meeting"
    nominal = decision.referral.nominal if decision is not None else None
    if not errors and nominal is not None and not access.can(owner, "view", nominal):
        errors["action_owner"] = (
            f"{owner} cannot see {nominal.full_name}'s record, so would not see the action. "
            "Share the record with their team first, or select another owner"
        )
    if errors:
        raise ValidationError(errors)
    subject = f"{nominal.full_name} ({decision.referral.reference})" if nominal else str(meeting)
    return task_services.create_task(
        by=actor,
        title=title[:200],
        kind=TaskKind.PANEL_ACTION,
        nominal=nominal,
        owner_team=owner.team,
        owner_agency=owner.agency if owner.team is None else None,
        assignee=owner,
        due_on=action.due_on,
        details=action.details.strip() or f"Agreed at the {meeting} about {subject}.",
        source=decision if decision is not None else meeting,
    )


@transaction.atomic
def add_panel_action(
    meeting_id: int, *, by, action: PanelAction, decision: PanelDecision | None = None
):
    """The panel agrees an action, about one of its decisions or the meeting as a whole: a
    task for its owner. Only the IOM unit; nothing is written on refusal."""
    actor = audit.as_actor(by)
    if not can_run_panels(actor.user):
        raise PermissionDenied("Only the IOM unit can record a panel's actions.")
    meeting = PanelMeeting.objects.select_for_update().get(pk=meeting_id)
    if decision is not None and decision.meeting_id != meeting.pk:
        raise ValidationError({"decision": "That decision was taken at another meeting"})
    return record_action(meeting, action, actor, decision=decision)
