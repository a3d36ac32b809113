"""The panel: its meetings, its decision on each referral and its minutes."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cohorts import services as cohort_services
from cohorts.models import CohortStream, ShareBasis
from iom import audit
from iom.formatting import in_sentence
from iom.locking import lock_for_update
from iom.models import Agency, AuditAction, Team

from ..models import (
    Decision,
    PanelDecision,
    PanelMeeting,
    Referral,
    ReferralStatus,
)
from .actions import record_action
from .permissions import can_run_panels


def _share_after_acceptance(referral: Referral, lead_agency: Agency, partner_teams, actor) -> None:
    """Accepted: the lead agency's case-holding team and the partner teams chosen at the
    panel see the record (the IOM unit sees every record already)."""
    lead_teams = Team.objects.filter(agency=lead_agency, is_case_holding=True, is_iom_unit=False)
    for team in lead_teams:
        cohort_services.grant_share(
            referral.nominal,
            team,
            by=actor,
            basis=ShareBasis.LEAD_AGENCY,
            reason=f"Lead agency of {referral.reference}",
        )
    for team in partner_teams:
        if team.is_iom_unit:
            continue
        cohort_services.grant_share(
            referral.nominal,
            team,
            by=actor,
            basis=ShareBasis.PANEL,
            reason=f"Chosen at the panel for {referral.reference}",
        )


@transaction.atomic
def hold_panel_meeting(
    *, by, held_on: datetime.date, chair, attending_agencies, notes: str = ""
) -> PanelMeeting:
    """Record a panel meeting: its date, chair and the agencies that attended."""
    actor = audit.as_actor(by)
    if not can_run_panels(actor.user):
        raise PermissionDenied("Only the IOM unit can hold a panel meeting.")
    agencies = list(attending_agencies)
    errors = {}
    if not agencies:
        errors["attending_agencies"] = "Select the agencies that attended"
    if held_on > timezone.localdate() + datetime.timedelta(days=90):
        errors["held_on"] = "The meeting date must be within the next 90 days"
    if errors:
        raise ValidationError(errors)
    meeting = PanelMeeting.objects.create(
        held_on=held_on, chair=chair, notes=notes.strip(), created_by=actor.user
    )
    meeting.attending_agencies.set(agencies)
    audit.record(actor, AuditAction.COLLECTION, meeting, description=f"Recorded {meeting}")
    return meeting


def _amendment(
    referral: Referral, stream: str | None, lead_agency: Agency | None, amendment_reason: str
) -> tuple[str, Agency, dict]:
    """The stream and lead agency the panel accepts with, and what changed from the proposal
    (``{field: [proposed, decided]}``). A change needs a reason."""
    stream = stream or referral.stream
    lead_agency = lead_agency or referral.proposed_lead_agency
    errors = {}
    if stream not in CohortStream.values:
        errors["stream"] = "Select a cohort stream"
    if not lead_agency.can_lead:
        errors["lead_agency"] = "The lead agency must be the Police, the NPS or the CRC"
    changes = audit.changes_between(
        {"stream": referral.stream, "lead_agency": referral.proposed_lead_agency},
        {"stream": stream, "lead_agency": lead_agency},
    )
    if changes and not amendment_reason:
        errors["amendment_reason"] = "Say why the panel changed the proposed stream or lead agency"
    if errors:
        raise ValidationError(errors)
    return stream, lead_agency, changes


def _describe_amendment(decision: PanelDecision) -> str:
    parts = []
    if decision.stream_amended:
        parts.append(
            f"stream {CohortStream(decision.proposed_stream).label} to "
            f"{CohortStream(decision.stream).label}"
        )
    if decision.lead_agency_amended:
        parts.append(f"lead agency {decision.proposed_lead_agency} to {decision.lead_agency}")
    return "; ".join(parts)


def _check_decision(
    decision: str, reason: str, deferred_until: datetime.date | None, meeting: PanelMeeting
) -> None:
    """A known decision; a rejection with its reason; a deferral to a day after the meeting."""
    if decision not in Decision.values:
        raise ValidationError({"decision": "Select accept, reject or defer"})
    if decision == Decision.REJECT and not reason:
        raise ValidationError({"reason": "Give the reason for rejecting the referral"})
    if decision == Decision.DEFER:
        if deferred_until is None:
            raise ValidationError({"deferred_until": "Give the date to bring the referral back"})
        if deferred_until <= meeting.held_on:
            raise ValidationError(
                {"deferred_until": "The date to bring it back must be after the meeting"}
            )


def _accept(
    referral: Referral,
    actor,
    *,
    meeting: PanelMeeting,
    stream: str | None,
    lead_agency: Agency | None,
    amendment_reason: str,
    cap_override_reason: str,
    offender_managers,
    share_with,
) -> tuple[str, Agency, dict]:
    """The person joins the cohort from the meeting's date, on the stream and with the lead
    agency proposed or as amended (``_amendment``, whose result this returns), with their
    offender managers, and the record is shared with the lead agency and the chosen teams."""
    stream, lead_agency, changes = _amendment(referral, stream, lead_agency, amendment_reason)
    membership = cohort_services.start_membership(
        referral.nominal,
        by=actor,
        stream=stream,
        national_category=referral.national_category,
        lead_agency=lead_agency,
        entered_on=meeting.held_on,
        cap_override_reason=cap_override_reason,
    )
    managers = list(offender_managers)
    if managers:
        cohort_services.set_offender_managers(referral.nominal, users=managers, by=actor)
    _share_after_acceptance(referral, lead_agency, share_with, actor)
    referral.membership = membership
    referral.status = ReferralStatus.ACCEPTED
    referral.decided_at = timezone.now()
    return stream, lead_agency, changes


def _set_aside(referral: Referral, decision: str, deferred_until: datetime.date | None) -> None:
    """Rejected, or deferred to return to the queue on ``deferred_until``."""
    if decision == Decision.REJECT:
        referral.status = ReferralStatus.REJECTED
        referral.decided_at = timezone.now()
    else:
        referral.status = ReferralStatus.DEFERRED
        referral.deferred_until = deferred_until


def _undecided(referral_id: int, version: int) -> Referral:
    """The referral, locked for the decision; refused when already decided or edited since
    ``version``."""
    referral = lock_for_update(Referral, referral_id, version)
    if not referral.is_undecided:
        raise ValidationError(
            f"Referral {referral.reference} was already decided "
            f"({in_sentence(referral.get_status_display())})"
        )
    return referral


def _audit_decision(actor, panel_decision: PanelDecision, changes: dict[str, list]) -> None:
    referral = panel_decision.referral
    reason = panel_decision.reason
    amended = ""
    if changes:
        amended = f" (amended: {_describe_amendment(panel_decision)})"
    audit.record(
        actor,
        AuditAction.ALTERATION,
        referral,
        nominal=referral.nominal,
        description=(
            f"Panel decision on {referral.reference}: {panel_decision.get_decision_display()}"
            + amended
            + (f" – {reason}" if reason else "")
        ),
        changes=changes,
        reason=panel_decision.amendment_reason if changes else "",
    )


@transaction.atomic
def decide_referral(
    referral_id: int,
    *,
    meeting: PanelMeeting,
    by,
    version: int,
    decision: str,
    reason: str = "",
    deferred_until: datetime.date | None = None,
    offender_managers=(),
    share_with=(),
    cap_override_reason: str = "",
    stream: str | None = None,
    lead_agency: Agency | None = None,
    amendment_reason: str = "",
    minutes: str = "",
    actions=(),
) -> PanelDecision:
    """Record the panel's decision on one referral, with the panel's minutes on it.

    * accept: puts the person on the cohort, on the stream and with the lead agency the
      referral proposed or, where the chair amends them (``stream``, ``lead_agency``), those
      decided, with ``amendment_reason``; the decision keeps both. Names their offender
      managers and shares the record with the lead and the chosen agencies; refused when the
      cohort is at its cap unless a manager gives a reason;
    * reject: needs a reason;
    * defer: needs a date after the meeting; the referral returns to the queue on that date.
    ``actions`` (``PanelAction``) become tasks for their owners, made for the decision.
    Refuses a referral already decided or edited since ``version``. Writes nothing on refusal.
    """
    actor = audit.as_actor(by)
    if not can_run_panels(actor.user):
        raise PermissionDenied("Only the IOM unit can record panel decisions.")
    referral = _undecided(referral_id, version)
    reason = reason.strip()
    amendment_reason = amendment_reason.strip()
    _check_decision(decision, reason, deferred_until, meeting)
    decided_stream, decided_lead = "", None
    changes: dict[str, list] = {}
    if decision == Decision.ACCEPT:
        decided_stream, decided_lead, changes = _accept(
            referral,
            actor,
            meeting=meeting,
            stream=stream,
            lead_agency=lead_agency,
            amendment_reason=amendment_reason,
            cap_override_reason=cap_override_reason,
            offender_managers=offender_managers,
            share_with=share_with,
        )
    else:
        _set_aside(referral, decision, deferred_until)
    referral.save()
    panel_decision = PanelDecision.objects.create(
        referral=referral,
        meeting=meeting,
        decision=decision,
        reason=reason,
        deferred_until=deferred_until if decision == Decision.DEFER else None,
        proposed_stream=referral.stream,
        proposed_lead_agency=referral.proposed_lead_agency,
        stream=decided_stream,
        lead_agency=decided_lead,
        amendment_reason=amendment_reason if changes else "",
        minutes=minutes.strip(),
        decided_by=actor.user,
    )
    _audit_decision(actor, panel_decision, changes)
    for action in actions:
        record_action(meeting, action, actor, decision=panel_decision)
    return panel_decision


@transaction.atomic
def record_minutes(meeting_id: int, *, by, version: int, minutes: str) -> PanelMeeting:
    """The IOM unit writes (or corrects) the minutes of a meeting. A stale ``version`` is
    refused; the audit event keeps the old and the new text."""
    actor = audit.as_actor(by)
    if not can_run_panels(actor.user):
        raise PermissionDenied("Only the IOM unit can keep a panel's minutes.")
    meeting = lock_for_update(PanelMeeting, meeting_id, version)
    before = meeting.minutes
    meeting.minutes = minutes.strip()
    meeting.save(update_fields=["minutes", "version"])
    audit.record(
        actor,
        AuditAction.ALTERATION,
        meeting,
        description=f"Minutes of {meeting} recorded",
        changes=audit.changes_between({"minutes": before}, {"minutes": meeting.minutes}),
    )
    return meeting
