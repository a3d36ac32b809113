"""State changes of cohort membership and engagement."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from iom import audit
from iom.formatting import long_date
from iom.locking import lock_for_update
from iom.models import Agency, AuditAction, Team

from ..models import (
    CohortConfiguration,
    CohortMembership,
    Engagement,
    EngagementStatus,
    ExitReason,
    MembershipStatus,
    Nominal,
)
from ..models.membership import OPEN_STATUSES
from . import sharing


class CohortCapReached(ValidationError):
    """The cohort is full; a manager may still accept with a recorded reason."""


# What the apps built on the cohort do when a membership ends for a reason (the risk app opens
# a custody period for a long custodial sentence): f(membership, by=..., options=...), run
# inside the exit's transaction. Registered from their AppConfig.ready (this core cannot
# import them).
_EXIT_CONSEQUENCES: dict[str, dict[str, Callable]] = defaultdict(dict)


def on_exit(reason: str, consequence: Callable) -> None:
    """Register a consequence of leaving the cohort for ``reason`` (idempotent)."""
    _EXIT_CONSEQUENCES[reason][f"{consequence.__module__}.{consequence.__qualname__}"] = consequence


def active_member_count() -> int:
    return CohortMembership.objects.filter(status__in=OPEN_STATUSES).count()


def open_membership(nominal: Nominal) -> CohortMembership | None:
    return CohortMembership.objects.filter(nominal=nominal, status__in=OPEN_STATUSES).first()


@transaction.atomic
def start_membership(
    nominal: Nominal,
    *,
    by,
    stream: str,
    lead_agency: Agency,
    entered_on: datetime.date | None = None,
    national_category: str = "",
    cap_override_reason: str = "",
) -> CohortMembership:
    """Put a person on the cohort.

    Refuses a person who is already a member (naming the membership) and, when the cohort is
    at its cap, anyone unless a manager gives ``cap_override_reason``. The cap check locks the
    configuration row so that two acceptances at once cannot both take the last place.
    """
    actor = audit.as_actor(by)
    existing = open_membership(nominal)
    if existing is not None:
        raise ValidationError(
            f"{nominal.full_name} is already on the cohort (since "
            f"{long_date(existing.entered_on)}, {existing.get_stream_display()})"
        )
    if not lead_agency.can_lead:
        raise ValidationError({"lead_agency": "The lead agency must be the Police, NPS or CRC"})
    configuration = CohortConfiguration.current()
    CohortConfiguration.objects.select_for_update().filter(pk=configuration.pk).first()
    members = active_member_count()
    cap_override_reason = cap_override_reason.strip()
    overridden_by = None
    if members >= configuration.cap:
        if not cap_override_reason:
            raise CohortCapReached(
                f"The cohort is at its cap of {configuration.cap} people ({members} members). "
                "A manager can accept beyond the cap by recording a reason."
            )
        if not getattr(actor.user, "is_iom_manager", False):
            raise CohortCapReached(
                f"The cohort is at its cap of {configuration.cap} people. Only a manager can "
                "accept beyond the cap."
            )
        overridden_by = actor.user
    membership = CohortMembership(
        nominal=nominal,
        stream=stream,
        national_category=national_category,
        lead_agency=lead_agency,
        entered_on=entered_on or timezone.localdate(),
        cap_override_reason=cap_override_reason if overridden_by else "",
        cap_overridden_by=overridden_by,
    )
    membership.full_clean(validate_constraints=False)
    membership.save()
    if nominal.lead_agency_id != lead_agency.pk:
        _set_lead_agency(nominal, lead_agency, actor)
    audit.record(
        actor,
        AuditAction.COLLECTION,
        membership,
        nominal=nominal,
        description=f"Joined the cohort ({membership.get_stream_display()})"
        + (f"; cap overridden: {cap_override_reason}" if overridden_by else ""),
    )
    return membership


def _set_lead_agency(nominal: Nominal, lead_agency: Agency, actor) -> None:
    """The person's lead agency follows the membership's, as a versioned, audited change."""
    locked = Nominal.objects.select_for_update().get(pk=nominal.pk)
    before = locked.lead_agency
    locked.lead_agency = lead_agency
    locked.version += 1
    locked.save(update_fields=["lead_agency", "version", "updated_at"])
    nominal.lead_agency, nominal.version = lead_agency, locked.version
    audit.record(
        actor,
        AuditAction.ALTERATION,
        locked,
        nominal=locked,
        description=f"Lead agency set to {lead_agency} on joining the cohort",
        changes=audit.changes_between({"lead_agency": before}, {"lead_agency": lead_agency}),
    )


@transaction.atomic
def change_membership_status(
    membership_id: int, *, by, version: int, status: str, devolved_to: Team | None = None
) -> CohortMembership:
    """Move an open membership between active, in custody and devolved (not to exited:
    ``exit_membership`` does that, with its reason).

    Devolving names the neighbourhood policing team, and shares the record with it; moving
    out of "devolved" stops sharing it with that team.
    """
    membership = lock_for_update(CohortMembership, membership_id, version)
    if not membership.is_open:
        raise ValidationError("This membership has ended; start a new one to re-enter")
    if status not in OPEN_STATUSES:
        raise ValidationError({"status": "Use 'exit from the cohort' to end a membership"})
    if status == MembershipStatus.DEVOLVED and (
        devolved_to is None or not devolved_to.is_neighbourhood
    ):
        raise ValidationError(
            {"devolved_to": "Select the neighbourhood policing team the case is devolved to"}
        )
    before = membership.status
    membership.status = status
    membership.save(update_fields=["status", "version"])
    audit.record(
        by,
        AuditAction.ALTERATION,
        membership,
        nominal=membership.nominal,
        description=f"Cohort status changed to {membership.get_status_display()}",
        changes={"status": [before, status]},
    )
    if status == MembershipStatus.DEVOLVED:
        assert devolved_to is not None  # checked above
        sharing.devolve(membership.nominal, team=devolved_to, by=by)
    elif before == MembershipStatus.DEVOLVED:
        sharing.end_devolution(
            membership.nominal,
            by=by,
            reason=f"Cohort status changed to {membership.get_status_display()}",
        )
    return membership


@transaction.atomic
def exit_membership(
    membership_id: int,
    *,
    by,
    version: int,
    reason: str,
    exited_on: datetime.date | None = None,
    details: str = "",
    devolved_to: Team | None = None,
    options: dict | None = None,
) -> CohortMembership:
    """End a membership with a reason from the list ("other" needs details).

    The consequences other apps registered for the reason (``on_exit``) run in the same
    transaction, with ``options`` (for a long custodial sentence: ``expected_release_on``,
    ``expected_release_basis``, ``establishment``).

    Sharing follows: the shares made for the membership end where the partner's agreement
    says so; a case devolved on exit is shared with the neighbourhood team named
    (``devolved_to``), and any earlier devolution ends otherwise.
    """
    membership = lock_for_update(CohortMembership, membership_id, version)
    errors = {}
    if not membership.is_open:
        raise ValidationError("This person has already left the cohort")
    if reason not in ExitReason.values:
        errors["exit_reason"] = "Select why the person is leaving the cohort"
    details = details.strip()
    if reason == ExitReason.OTHER and not details:
        errors["exit_details"] = "Say why the person is leaving the cohort"
    exited_on = exited_on or timezone.localdate()
    if exited_on < membership.entered_on:
        errors["exited_on"] = (
            f"The exit date cannot be before the entry date ({long_date(membership.entered_on)})"
        )
    if exited_on > timezone.localdate():
        errors["exited_on"] = "The exit date cannot be in the future"
    if reason == ExitReason.DEVOLVED and (devolved_to is None or not devolved_to.is_neighbourhood):
        errors["devolved_to"] = "Select the neighbourhood policing team the case is devolved to"
    if errors:
        raise ValidationError(errors)
    membership.status = MembershipStatus.EXITED
    membership.exit_reason = reason
    membership.exit_details = details
    membership.exited_on = exited_on
    membership.save()
    audit.record(
        by,
        AuditAction.ALTERATION,
        membership,
        nominal=membership.nominal,
        description=f"Left the cohort: {membership.get_exit_reason_display()}",
        changes={"status": ["open", "exited"], "exit_reason": [None, reason]},
    )
    nominal = membership.nominal
    ended = f"Left the cohort: {membership.get_exit_reason_display()}"
    sharing.end_membership_shares(nominal, by=by, reason=ended)
    if reason == ExitReason.DEVOLVED:
        assert devolved_to is not None  # checked before anything was written
        sharing.devolve(nominal, team=devolved_to, by=by)
    else:
        sharing.end_devolution(nominal, by=by, reason=ended)
    for consequence in _EXIT_CONSEQUENCES[reason].values():
        consequence(membership, by=by, options=options or {})
    return membership


@transaction.atomic
def record_engagement(
    nominal: Nominal, *, by, status: str, on: datetime.date | None = None, note: str = ""
) -> Engagement:
    """Record how the person now engages with the offer of support."""
    actor = audit.as_actor(by)
    on = on or timezone.localdate()
    errors = {}
    if status not in EngagementStatus.values:
        errors["status"] = "Select how the person is engaging"
    if on > timezone.localdate():
        errors["on"] = "The date cannot be in the future"
    if errors:
        raise ValidationError(errors)
    engagement = Engagement.objects.create(
        nominal=nominal, status=status, on=on, note=note.strip(), recorded_by=actor.user
    )
    audit.record(
        actor,
        AuditAction.COLLECTION,
        engagement,
        nominal=nominal,
        description=f"Engagement recorded: {engagement.get_status_display()}",
    )
    return engagement
