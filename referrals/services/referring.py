"""Referring a person to IOM, and withdrawing a referral before the panel decides."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cohorts import services as cohort_services
from cohorts.models import CohortStream, Nominal, ShareBasis
from cohorts.services.duplicates import (
    NewPerson,
    check_new_person,
)
from iom import access, audit, sharing
from iom.formatting import in_sentence, long_date
from iom.locking import lock_for_update
from iom.models import Agency, AuditAction

from .. import queries
from ..models import (
    UNDECIDED_STATUSES,
    Referral,
    ReferralStatus,
)
from .permissions import can_withdraw

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
            f"({in_sentence(undecided.get_status_display())})"
        )
    membership = cohort_services.open_membership(nominal)
    if membership is not None:
        raise ValidationError(
            f"{nominal.full_name} is already an active member of the cohort "
            f"({membership.get_stream_display()}, since {long_date(membership.entered_on)})"
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
    _check_may_refer(user)
    _check_proposal(reasons, proposed_lead_agency)
    if (nominal is None) == (new_person is None):
        raise ValueError("Refer either an existing nominal or a new person.")

    needs_identity_check = False
    if nominal is not None:
        if not access.can(user, "view", nominal):
            raise PermissionDenied("You cannot refer a person whose record you cannot see.")
        _refuse_if_already_referred_or_member(nominal)
    else:
        assert new_person is not None  # one of the two, checked above
        nominal, needs_identity_check, undecided = _record_of_new_person(
            actor, new_person, confirmed_new_person=confirmed_new_person
        )
        if undecided is not None:
            return _add_to_undecided_referral(
                undecided.pk,
                by=actor,
                reasons=reasons,
                stream=stream,
                proposed_lead_agency=proposed_lead_agency,
            )
    return _create_referral(
        actor,
        nominal,
        stream=stream,
        national_category=national_category,
        reasons=reasons,
        supporting_information=supporting_information,
        proposed_lead_agency=proposed_lead_agency,
        needs_identity_check=needs_identity_check,
    )


def _record_of_new_person(
    actor, new_person: NewPerson, *, confirmed_new_person: bool
) -> tuple[Nominal, bool, Referral | None]:
    """The record a new person is referred on, whether the panel checks the identity, and the
    undecided referral of that record, if any.

    When the person already has a record the referrer may not see, that record is referred,
    without sharing it, rather than a duplicate created; otherwise a new record is created
    and shared with the referrer."""
    hidden, needs_identity_check = check_new_person(
        actor.user, new_person, confirmed_new_person=confirmed_new_person
    )
    if hidden is not None:
        undecided = Referral.objects.filter(nominal=hidden, status__in=UNDECIDED_STATUSES).first()
        return hidden, needs_identity_check, undecided
    nominal = cohort_services.create_nominal(by=actor, **vars(new_person))
    _share_with_referrer(nominal, actor)
    return nominal, needs_identity_check, None


def _check_may_refer(user) -> None:
    """Only a user of an agency with a live information-sharing agreement refers."""
    if user is None or user.agency is None:
        raise PermissionDenied("Only a user of a partner agency can make a referral.")
    if not sharing.terms_for(user).sees_records:
        raise PermissionDenied(
            "Your agency has no live information-sharing agreement with the IOM unit, so it "
            "cannot make referrals. Ask the IOM unit's managers."
        )


def _check_proposal(reasons: str, proposed_lead_agency: Agency) -> None:
    errors = {}
    if not reasons.strip():
        errors["reasons"] = "Say why this person should be managed by IOM"
    if not proposed_lead_agency.can_lead:
        errors["proposed_lead_agency"] = "The lead agency must be the Police, the NPS or the CRC"
    if errors:
        raise ValidationError(errors)


def _create_referral(
    actor,
    nominal: Nominal,
    *,
    stream: str,
    national_category: str,
    reasons: str,
    supporting_information: str,
    proposed_lead_agency: Agency,
    needs_identity_check: bool,
) -> Referral:
    user = actor.user
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
        raise ValidationError("Only a referral awaiting the panel can be withdrawn")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the referral is withdrawn"})
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
