"""Sharing a person's record with teams: grant, stop, and the shares that end with events.

A record is shared with teams, never with a whole agency: the referrer's team while the
panel decides, the lead agency's case-holding team and the partner teams chosen at the panel,
the neighbourhood policing team a case is devolved to, and any team an IOM officer chooses.
Each share is a ``RecordShare`` row (what officers read) and a django-guardian grant to the
team's group (what ``iom.access`` enforces), written together with the audit event.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from iom import access, audit
from iom.formatting import in_sentence
from iom.models import AuditAction, Team
from iom.sharing import live_agreements

from ..models import MEMBERSHIP_BASES, Nominal, RecordShare, ShareBasis, TaskKind
from . import tasks

# The neighbourhood team's handover of a devolved case is due this many days after it.
HANDOVER_DAYS = 7


def can_manage_sharing(user) -> bool:
    """Officers and managers of the IOM unit decide who else sees a record."""
    return bool(getattr(user, "is_authenticated", False) and user.sees_whole_cohort)


def _require_manager_of_sharing(actor: audit.Actor) -> None:
    if not can_manage_sharing(actor.user):
        raise PermissionDenied("Only officers and managers of the IOM unit can change sharing.")


def grant_share(nominal: Nominal, team: Team, *, by, basis: str, reason: str = "") -> RecordShare:
    """Share the record with ``team`` (no-op when it already is). For other services, which
    check their own permission: a referral, the panel's decision, a devolution."""
    actor = audit.as_actor(by)
    existing = RecordShare.objects.active().filter(nominal=nominal, team=team).first()
    if existing is not None:
        return existing
    share = RecordShare.objects.create(
        nominal=nominal,
        team=team,
        basis=basis,
        reason=reason.strip()[:255],
        shared_at=timezone.now(),
        shared_by=actor.user if getattr(actor.user, "is_authenticated", False) else None,
    )
    access.grant_to_group(team.group, nominal)
    audit.record(
        actor,
        AuditAction.DISCLOSURE,
        share,
        nominal=nominal,
        description=f"Shared the record with {team} ({in_sentence(share.get_basis_display())})",
        recipient=str(team),
        reason=share.reason,
    )
    return share


def end_share(share: RecordShare, *, by, reason: str) -> RecordShare:
    """End one share and take the team's access away."""
    actor = audit.as_actor(by)
    share.ended_at = timezone.now()
    share.ended_by = actor.user if getattr(actor.user, "is_authenticated", False) else None
    share.end_reason = reason.strip()[:255]
    share.save(update_fields=["ended_at", "ended_by", "end_reason"])
    access.revoke_from_group(share.team.group, share.nominal)
    audit.record(
        actor,
        AuditAction.ALTERATION,
        share,
        nominal=share.nominal,
        description=f"Stopped sharing the record with {share.team}",
        changes={"shared_with": [str(share.team), None]},
        reason=share.end_reason,
    )
    return share


@transaction.atomic
def share_record(nominal: Nominal, *, team: Team, by, reason: str) -> RecordShare:
    """An IOM officer shares a record with a team, with a reason.

    Refuses anyone outside the IOM unit, a missing reason, an IOM unit team (it sees every
    record already) and a team already shared with.
    """
    actor = audit.as_actor(by)
    _require_manager_of_sharing(actor)
    errors = {}
    if not reason.strip():
        errors["reason"] = "Enter why the record is shared with this team"
    if team.is_iom_unit:
        errors["team"] = f"{team} is part of the IOM unit and already sees every record"
    elif RecordShare.objects.active().filter(nominal=nominal, team=team).exists():
        errors["team"] = f"The record is already shared with {team}"
    if errors:
        raise ValidationError(errors)
    return grant_share(nominal, team, by=actor, basis=ShareBasis.OFFICER, reason=reason)


@transaction.atomic
def stop_sharing_record(share_id: int, *, by, reason: str) -> RecordShare:
    """An IOM officer stops sharing a record with a team, with a reason."""
    actor = audit.as_actor(by)
    _require_manager_of_sharing(actor)
    share = (
        RecordShare.objects.select_for_update()
        .select_related("team__group", "nominal")
        .filter(pk=share_id)
        .first()
    )
    if share is None:
        raise ValidationError("This share does not exist")
    if not share.is_active:
        raise ValidationError(f"The record was already no longer shared with {share.team}")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the record is no longer shared"})
    return end_share(share, by=actor, reason=reason)


def end_shares(
    nominal: Nominal, *, bases: Iterable[str], by, reason: str, only_teams=None
) -> list[RecordShare]:
    """End the nominal's active shares made on ``bases`` (optionally of some teams only)."""
    shares = RecordShare.objects.active().filter(nominal=nominal, basis__in=list(bases))
    if only_teams is not None:
        shares = shares.filter(team__in=only_teams)
    ended = []
    for share in shares.select_related("team__group", "nominal"):
        ended.append(end_share(share, by=by, reason=reason))
    return ended


def end_membership_shares(nominal: Nominal, *, by, reason: str) -> list[RecordShare]:
    """When a person leaves the cohort: end the shares made for the membership (the lead
    agency's and the panel's partners') of the teams whose agency's live agreement says that
    sharing ends with membership, and any devolution that was in progress."""
    ending_agencies = live_agreements().filter(ends_with_membership=True).values("parties")
    teams = Team.objects.filter(agency__in=ending_agencies, is_iom_unit=False)
    return [
        *end_shares(nominal, bases=MEMBERSHIP_BASES, by=by, reason=reason, only_teams=teams),
    ]


def devolve(nominal: Nominal, *, team: Team, by, reason: str = "") -> RecordShare:
    """Share a devolved case with the neighbourhood policing team that receives it, and put
    the handover in that team's My work (a task, due in ``HANDOVER_DAYS``)."""
    if team is None or not team.is_neighbourhood:
        raise ValidationError({"devolved_to": "Select the neighbourhood policing team"})
    share = grant_share(nominal, team, by=by, basis=ShareBasis.DEVOLUTION, reason=reason)
    if not tasks.tasks_from(share, kind=TaskKind.HANDOVER).exists():
        tasks.create_task(
            by=by,
            kind=TaskKind.HANDOVER,
            title="Take over the devolved case",
            details=f"The IOM unit has devolved the case of {nominal.full_name} to {team}. "
            "Read the record, agree the handover with the IOM officer and make contact.",
            nominal=nominal,
            owner_team=team,
            due_on=timezone.localdate() + datetime.timedelta(days=HANDOVER_DAYS),
            source=share,
            checked_by_caller=True,
        )
    return share


def end_devolution(nominal: Nominal, *, by, reason: str) -> list[RecordShare]:
    """Stop sharing a devolved case with its neighbourhood team (its access goes with the
    share), and close the team's handover task."""
    ended = end_shares(nominal, bases=[ShareBasis.DEVOLUTION], by=by, reason=reason)
    for share in ended:
        tasks.close_tasks_from(
            share, by=by, kind=TaskKind.HANDOVER, outcome=f"Devolution ended: {reason}"
        )
    return ended


def devolved_team(nominal: Nominal) -> Team | None:
    share = (
        RecordShare.objects.active()
        .filter(nominal=nominal, basis=ShareBasis.DEVOLUTION)
        .select_related("team")
        .first()
    )
    return share.team if share else None
