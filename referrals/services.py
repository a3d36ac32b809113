"""Referring a person to IOM and deciding referrals at a panel."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cohorts import services as cohort_services
from cohorts.models import CohortStream, Nominal, ShareBasis, TaskKind
from cohorts.services import tasks as task_services
from cohorts.services.duplicates import (  # noqa: F401 (the referral API and forms use them)
    NewPerson,
    PossibleDuplicates,
    check_new_person,
    possible_duplicates,
)
from iom import access, audit, sharing
from iom.formatting import in_sentence, long_date
from iom.locking import lock_for_update
from iom.models import Agency, AuditAction, Role, Team, User

from . import queries
from .models import (
    UNDECIDED_STATUSES,
    Decision,
    PanelDecision,
    PanelMeeting,
    Referral,
    ReferralStatus,
)

# What a referrer is told of a referral made on a record they may not see.
REFERRED_FOR_IDENTITY_CHECK = (
    "Referral made. The panel will confirm the person's identity before deciding."
)


def answers_as_an_identity_check(user, referral: Referral, *, new_person: bool) -> bool:
    """Whether the referrer is told only that the panel will check the person's identity.

    So for a referral made on a record the referrer may not see (a new person who matched a
    hidden record), and so for every new person referred by someone who cannot see every
    record: otherwise the two answers would differ, and the difference would tell them that a
    hidden record exists. The referral is in their list, once shared with their team."""
    if new_person and not user.sees_whole_cohort:
        return True
    return not queries.visible_referrals(user).filter(pk=referral.pk).exists()


def _add_to_undecided_referral(
    referral_id: int, *, by, reasons: str, stream: str, proposed_lead_agency: Agency
) -> Referral:
    """A second referral of a person the referrer may not see, who already awaits the panel:
    the panel gets the new reasons on the referral it has, and checks the identity."""
    actor = audit.as_actor(by)
    referral = Referral.objects.select_for_update().get(pk=referral_id)
    user = actor.user
    addition = (
        f"Also referred by {user} ({user.agency}) on {long_date(timezone.localdate())}, "
        f"proposing {CohortStream(stream).label} led by {proposed_lead_agency}: "
        f"{reasons.strip()}"
    )
    referral.supporting_information = "\n\n".join(
        part for part in (referral.supporting_information.strip(), addition) if part
    )
    referral.needs_identity_check = True
    referral.version += 1
    referral.save(update_fields=["supporting_information", "needs_identity_check", "version"])
    audit.record(
        actor,
        AuditAction.COLLECTION,
        referral,
        nominal=referral.nominal,
        description=f"Referred again by {user.agency}, added to {referral.reference}",
    )
    return referral


def _refuse_if_already_referred_or_member(nominal: Nominal) -> None:
    undecided = (
        Referral.objects.filter(nominal=nominal, status__in=UNDECIDED_STATUSES)
        .select_related("referring_agency")
        .first()
    )
    if undecided is not None:
        raise ValidationError(
            f"{nominal.full_name} already has an open referral, {undecided.reference}, made by "
            f"{undecided.referring_agency} on {long_date(undecided.created_at)} "
            f"({in_sentence(undecided.get_status_display())})."
        )
    membership = cohort_services.open_membership(nominal)
    if membership is not None:
        raise ValidationError(
            f"{nominal.full_name} is already an active member of the cohort "
            f"({membership.get_stream_display()}, since {long_date(membership.entered_on)})."
        )


@transaction.atomic
def refer(
    *,
    by,
    stream: str,
    reasons: str,
    proposed_lead_agency: Agency,
    nominal: Nominal | None = None,
    new_person: NewPerson | None = None,
    confirmed_new_person: bool = False,
    national_category: str = "",
    supporting_information: str = "",
) -> Referral:
    """Refer a person to the IOM panel, from the referrer's agency.

    Either ``nominal`` (someone the referrer can see) or ``new_person``. A new person who looks
    like records the referrer may see raises ``PossibleDuplicates`` unless
    ``confirmed_new_person``. Records the referrer may not see are never revealed: the
    referral is flagged for the panel to check the identity, and made on the existing record
    when it holds one of the person's identifiers (the returned referral may then be one the
    referrer cannot open). Refuses a second undecided referral and a person already on the
    cohort, naming them, for a person the referrer chose. Nothing is written when anything
    is refused.
    """
    actor = audit.as_actor(by)
    user = actor.user
    if user is None or user.agency is None:
        raise PermissionDenied("Only a user of a partner agency can make a referral.")
    if not sharing.terms_for(user).sees_records:
        raise PermissionDenied(
            "Your agency has no live information-sharing agreement with the IOM unit, so it "
            "cannot make referrals. Ask the IOM unit's managers."
        )
    errors = {}
    if not reasons.strip():
        errors["reasons"] = "Say why this person should be managed by IOM."
    if not proposed_lead_agency.can_lead:
        errors["proposed_lead_agency"] = "The lead agency must be the Police, the NPS or the CRC."
    if errors:
        raise ValidationError(errors)
    if (nominal is None) == (new_person is None):
        raise ValueError("Refer either an existing nominal or a new person.")

    needs_identity_check = False
    if nominal is not None:
        if not access.can(user, "view", nominal):
            raise PermissionDenied("You cannot refer a person whose record you cannot see.")
        _refuse_if_already_referred_or_member(nominal)
    else:
        assert new_person is not None  # one of the two, checked above
        hidden, needs_identity_check = check_new_person(
            user, new_person, confirmed_new_person=confirmed_new_person
        )
        if hidden is not None:
            # The person already has a record the referrer may not see: refer that record,
            # without sharing it, rather than create a duplicate; the panel checks the identity.
            undecided = Referral.objects.filter(
                nominal=hidden, status__in=UNDECIDED_STATUSES
            ).first()
            if undecided is not None:
                return _add_to_undecided_referral(
                    undecided.pk,
                    by=actor,
                    reasons=reasons,
                    stream=stream,
                    proposed_lead_agency=proposed_lead_agency,
                )
            nominal = hidden
        else:
            nominal = cohort_services.create_nominal(by=actor, **vars(new_person))
            _share_with_referrer(nominal, actor)

    referral = Referral.objects.create(
        nominal=nominal,
        referring_agency=user.agency,
        referred_by=user,
        stream=stream,
        national_category=national_category,
        reasons=reasons.strip(),
        supporting_information=supporting_information.strip(),
        proposed_lead_agency=proposed_lead_agency,
        needs_identity_check=needs_identity_check,
    )
    referral.full_clean(validate_constraints=False)
    audit.record(
        actor,
        AuditAction.COLLECTION,
        referral,
        nominal=nominal,
        description=f"Referred to IOM ({referral.get_stream_display()}) as {referral.reference}",
    )
    return referral


def _share_with_referrer(nominal: Nominal, actor) -> None:
    """The referrer provided the record, so their team keeps sight of it until the panel
    decides; a referrer outside any team keeps it by name. Nobody else in their agency does."""
    user = actor.user
    if user.team is not None:
        if not user.team.is_iom_unit:
            cohort_services.grant_share(
                nominal, user.team, by=actor, basis=ShareBasis.REFERRAL, reason="Referred"
            )
    else:
        access.grant_to_user(user, nominal, actions=access.SHARED_ACTIONS)


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


def can_withdraw(user, referral: Referral) -> bool:
    """The referrer, their team's colleagues, and the IOM unit may withdraw a referral."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.sees_whole_cohort or referral.referred_by_id == user.pk:
        return True
    return user.team_id is not None and referral.referred_by.team_id == user.team_id


@transaction.atomic
def withdraw_referral(referral_id: int, *, by, version: int, reason: str) -> Referral:
    """The referrer (or the IOM unit) withdraws an undecided referral, with a reason.

    Refuses anyone else, a referral already decided, a stale ``version`` and a missing
    reason; nothing is written on refusal.
    """
    actor = audit.as_actor(by)
    referral = lock_for_update(Referral, referral_id, version)
    if not can_withdraw(actor.user, referral):
        raise PermissionDenied("Only the referrer's team or the IOM unit can withdraw it.")
    if not referral.is_undecided:
        raise ValidationError("Only a referral awaiting the panel can be withdrawn.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the referral is withdrawn."})
    referral.status = ReferralStatus.WITHDRAWN
    referral.withdrawal_reason = reason.strip()[:255]
    referral.decided_at = timezone.now()
    referral.save()
    audit.record(
        actor,
        AuditAction.ALTERATION,
        referral,
        nominal=referral.nominal,
        description=f"Referral {referral.reference} withdrawn: {reason.strip()}",
    )
    return referral


def can_run_panels(user) -> bool:
    """Panels are run by the IOM unit's officers and managers."""
    return bool(user.is_authenticated and user.sees_whole_cohort)


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
        errors["attending_agencies"] = "Select the agencies that attended."
    if held_on > timezone.localdate() + datetime.timedelta(days=90):
        errors["held_on"] = "The meeting date must be within the next 90 days."
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
        errors["stream"] = "Choose a cohort stream."
    if not lead_agency.can_lead:
        errors["lead_agency"] = "The lead agency must be the Police, the NPS or the CRC."
    changes = audit.changes_between(
        {"stream": referral.stream, "lead_agency": referral.proposed_lead_agency},
        {"stream": stream, "lead_agency": lead_agency},
    )
    if changes and not amendment_reason:
        errors["amendment_reason"] = "Say why the panel changed the proposed stream or lead agency."
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
    referral = lock_for_update(Referral, referral_id, version)
    if not referral.is_undecided:
        raise ValidationError(
            f"Referral {referral.reference} was already decided "
            f"({in_sentence(referral.get_status_display())})."
        )
    reason = reason.strip()
    amendment_reason = amendment_reason.strip()
    if decision not in Decision.values:
        raise ValidationError({"decision": "Choose accept, reject or defer."})
    if decision == Decision.REJECT and not reason:
        raise ValidationError({"reason": "Give the reason for rejecting the referral."})
    if decision == Decision.DEFER:
        if deferred_until is None:
            raise ValidationError({"deferred_until": "Give the date to bring the referral back."})
        if deferred_until <= meeting.held_on:
            raise ValidationError(
                {"deferred_until": "The date to bring it back must be after the meeting."}
            )
    decided_stream, decided_lead = "", None
    changes: dict[str, list] = {}
    if decision == Decision.ACCEPT:
        decided_stream, decided_lead, changes = _amendment(
            referral, stream, lead_agency, amendment_reason
        )
        membership = cohort_services.start_membership(
            referral.nominal,
            by=actor,
            stream=decided_stream,
            national_category=referral.national_category,
            lead_agency=decided_lead,
            entered_on=meeting.held_on,
            cap_override_reason=cap_override_reason,
        )
        managers = list(offender_managers)
        if managers:
            cohort_services.set_offender_managers(referral.nominal, users=managers, by=actor)
        _share_after_acceptance(referral, decided_lead, share_with, actor)
        referral.membership = membership
        referral.status = ReferralStatus.ACCEPTED
        referral.decided_at = timezone.now()
    elif decision == Decision.REJECT:
        referral.status = ReferralStatus.REJECTED
        referral.decided_at = timezone.now()
    else:
        referral.status = ReferralStatus.DEFERRED
        referral.deferred_until = deferred_until
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
        reason=amendment_reason if changes else "",
    )
    for action in actions:
        _record_action(meeting, action, actor, decision=panel_decision)
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


# --- The panel's actions -----------------------------------------------------------------------


@dataclass(frozen=True)
class PanelAction:
    """An action the panel agreed: what, who owns it, and by when. It becomes a task in the
    owner's My work (owned by their team, or their agency when they have none)."""

    title: str
    assignee: User
    due_on: datetime.date
    details: str = ""


def _record_action(meeting: PanelMeeting, action: PanelAction, actor, *, decision=None):
    """One action as a task, made for the decision (about its person) or for the meeting."""
    title = action.title.strip()
    owner = action.assignee
    errors = {}
    if not title:
        errors["action_title"] = "Say what the action is."
    if owner is None or not owner.is_active or owner.agency_id is None:
        errors["action_owner"] = "Choose an active user of an agency to own the action."
    elif owner.role == Role.ADMINISTRATOR:
        errors["action_owner"] = "An administrator cannot own a panel action."
    if action.due_on is None:
        errors["action_due_on"] = "Give the date the action is due."
    elif action.due_on < meeting.held_on:
        errors["action_due_on"] = "The action cannot be due before the meeting."
    nominal = decision.referral.nominal if decision is not None else None
    if not errors and nominal is not None and not access.can(owner, "view", nominal):
        errors["action_owner"] = (
            f"{owner} cannot see {nominal.full_name}'s record, so would not see the action. "
            "Share the record with their team first, or choose another owner."
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
        raise ValidationError({"decision": "That decision was taken at another meeting."})
    return _record_action(meeting, action, actor, decision=decision)
