"""Referring people and deciding referrals: every refusal leaves nothing written."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cohorts.models import CohortConfiguration, CohortMembership, Nominal
from cohorts.services import exit_membership, start_membership
from iom import access
from iom.models import AgencyKind, AuditEvent
from referrals import queries
from referrals.models import PanelDecision, Referral, ReferralStatus
from referrals.services import (
    NewPerson,
    PossibleDuplicates,
    decide_referral,
    refer,
)
from tests import factories
from tests.sharing import ensure_agreement

TODAY = datetime.date.today()


@pytest.fixture
def police(db):
    return factories.AgencyFactory(name="Demo Police", kind=AgencyKind.POLICE)


@pytest.fixture
def referrer(police):
    ensure_agreement(police)
    return factories.UserFactory(agency=police)


def _new_person(**overrides) -> NewPerson:
    fields = {
        "first_names": "Jonah",
        "surname": "Referable",
        "date_of_birth": datetime.date(1994, 2, 3),
        "pnc_id": "2012/0004567Q",
    }
    fields.update(overrides)
    return NewPerson(**fields)


def _refer(by, police, **kwargs):
    return refer(
        by=by, stream="sac", reasons="Prolific burglar", proposed_lead_agency=police, **kwargs
    )


def test_referring_a_new_person_creates_them_and_shares_with_the_referring_agency(referrer, police):
    referral = _refer(referrer, police, new_person=_new_person())
    assert referral.status == ReferralStatus.OPEN
    assert referral.referring_agency == police
    assert access.can(referrer, "view", referral.nominal)


@pytest.mark.parametrize(
    "overrides",
    [
        {"pnc_id": "2012/0004567Q", "surname": "Different"},
        {"pnc_id": None, "surname": "referable"},
    ],
)
def test_a_new_person_like_an_existing_one_raises_possible_duplicates(officer, police, overrides):
    existing = factories.NominalFactory(
        surname="Referable", date_of_birth=datetime.date(1994, 2, 3), pnc_id="2012/0004567Q"
    )
    with pytest.raises(PossibleDuplicates) as raised:
        _refer(officer, police, new_person=_new_person(**overrides))
    assert list(raised.value.matches) == [existing]
    assert Referral.objects.count() == 0
    assert Nominal.objects.count() == 1


def test_duplicate_detection_looks_at_aliases(officer, police):
    alias = factories.AliasFactory(surname="Referable", date_of_birth=datetime.date(1994, 2, 3))
    with pytest.raises(PossibleDuplicates) as raised:
        _refer(officer, police, new_person=_new_person(pnc_id=None))
    assert list(raised.value.matches) == [alias.nominal]


def test_confirming_a_new_person_despite_matches_it_cannot_see_flags_an_identity_check(
    referrer, police
):
    factories.NominalFactory(surname="Referable", date_of_birth=datetime.date(1994, 2, 3))
    referral = _refer(
        referrer, police, new_person=_new_person(pnc_id=None), confirmed_new_person=True
    )
    assert referral.needs_identity_check


def test_a_second_open_referral_is_refused_naming_the_first(referrer, police):
    first = factories.ReferralFactory()
    with pytest.raises(ValidationError, match=first.reference):
        _refer(factories.IomOfficerFactory(), police, nominal=first.nominal)
    assert Referral.objects.count() == 1


def test_a_referral_for_an_active_member_is_refused(officer, police):
    nominal = factories.NominalFactory()
    start_membership(nominal, by=officer, stream="ppo", lead_agency=police)
    with pytest.raises(ValidationError, match="already an active member"):
        _refer(officer, police, nominal=nominal)
    assert Referral.objects.count() == 0


def test_nobody_can_refer_a_person_they_cannot_see(outsider, police):
    nominal = factories.NominalFactory()
    with pytest.raises(PermissionDenied):
        _refer(outsider, police, nominal=nominal)


def test_accepting_puts_the_person_on_the_cohort_and_shares_the_record(officer, police):
    referral = factories.ReferralFactory()
    drugs = factories.AgencyFactory(name="Drug service", kind=AgencyKind.DRUG_ALCOHOL)
    worker = factories.UserFactory(agency=drugs)
    ensure_agreement(drugs)
    probation_officer = factories.UserFactory(role="officer")
    ensure_agreement(probation_officer.agency)
    meeting = factories.PanelMeetingFactory()
    decide_referral(
        referral.pk,
        meeting=meeting,
        by=officer,
        version=referral.version,
        decision="accept",
        offender_managers=[probation_officer],
        share_with=[worker.team],
    )
    referral.refresh_from_db()
    membership = referral.membership
    assert referral.status == ReferralStatus.ACCEPTED
    assert (membership.stream, membership.lead_agency) == ("sac", referral.proposed_lead_agency)
    assert access.can(worker, "view", referral.nominal)
    assert access.can(probation_officer, "change", referral.nominal)
    decision = PanelDecision.objects.get()
    assert (decision.decided_by, decision.meeting) == (officer, meeting)


def test_rejecting_without_a_reason_is_refused(officer):
    referral = factories.ReferralFactory()
    with pytest.raises(ValidationError, match="reason"):
        decide_referral(
            referral.pk,
            meeting=factories.PanelMeetingFactory(),
            by=officer,
            version=referral.version,
            decision="reject",
        )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OPEN
    assert not PanelDecision.objects.exists()


def test_accepting_beyond_the_cap_is_refused_and_writes_nothing(officer, police):
    CohortConfiguration.objects.update(cap=1)
    start_membership(factories.NominalFactory(), by=officer, stream="sac", lead_agency=police)
    referral = factories.ReferralFactory()
    audit_rows = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="cap of 1"):
        decide_referral(
            referral.pk,
            meeting=factories.PanelMeetingFactory(),
            by=officer,
            version=referral.version,
            decision="accept",
        )
    assert CohortMembership.objects.count() == 1
    assert not PanelDecision.objects.exists()
    assert AuditEvent.objects.count() == audit_rows


def test_an_officer_cannot_override_the_cap_but_a_manager_can(officer, manager, police):
    CohortConfiguration.objects.update(cap=1)
    start_membership(factories.NominalFactory(), by=officer, stream="sac", lead_agency=police)
    referral = factories.ReferralFactory()
    meeting = factories.PanelMeetingFactory()
    with pytest.raises(ValidationError, match="Only a manager"):
        decide_referral(
            referral.pk, meeting=meeting, by=officer, version=referral.version,
            decision="accept", cap_override_reason="High harm",
        )  # fmt: skip
    decide_referral(
        referral.pk, meeting=meeting, by=manager, version=referral.version,
        decision="accept", cap_override_reason="High harm burglar released this week",
    )  # fmt: skip
    membership = CohortMembership.objects.get(nominal=referral.nominal)
    assert membership.cap_overridden_by == manager
    assert "High harm" in membership.cap_override_reason


def test_a_deferred_referral_returns_to_the_queue_on_its_date(officer):
    referral = factories.ReferralFactory()
    meeting = factories.PanelMeetingFactory(held_on=TODAY)
    back_on = TODAY + datetime.timedelta(days=28)
    decide_referral(
        referral.pk, meeting=meeting, by=officer, version=referral.version,
        decision="defer", deferred_until=back_on, reason="Awaiting release date",
    )  # fmt: skip
    in_queue = Referral.objects.filter(pk=referral.pk)
    assert not in_queue.filter(queries.in_queue(back_on - datetime.timedelta(days=1))).exists()
    assert in_queue.filter(queries.in_queue(back_on)).exists()


def test_deferring_needs_a_date_after_the_meeting(officer):
    referral = factories.ReferralFactory()
    with pytest.raises(ValidationError, match="after the meeting"):
        decide_referral(
            referral.pk, meeting=factories.PanelMeetingFactory(held_on=TODAY), by=officer,
            version=referral.version, decision="defer", deferred_until=TODAY,
        )  # fmt: skip


def test_a_partner_worker_cannot_record_panel_decisions(outsider):
    referral = factories.ReferralFactory()
    with pytest.raises(PermissionDenied):
        decide_referral(
            referral.pk, meeting=factories.PanelMeetingFactory(), by=outsider,
            version=referral.version, decision="reject", reason="No",
        )  # fmt: skip


def test_a_decided_referral_cannot_be_decided_again(officer):
    referral = factories.ReferralFactory()
    meeting = factories.PanelMeetingFactory()
    decide_referral(
        referral.pk, meeting=meeting, by=officer, version=referral.version,
        decision="reject", reason="Not prolific",
    )  # fmt: skip
    referral.refresh_from_db()
    with pytest.raises(ValidationError, match="already decided"):
        decide_referral(
            referral.pk, meeting=meeting, by=officer, version=referral.version,
            decision="accept",
        )  # fmt: skip


def test_exit_and_re_entry_keep_the_whole_history(officer, police):
    nominal = factories.NominalFactory()
    first = start_membership(
        nominal, by=officer, stream="sac", lead_agency=police,
        entered_on=TODAY - datetime.timedelta(days=400),
    )  # fmt: skip
    exit_membership(
        first.pk, by=officer, version=first.version, reason="long-custody",
        exited_on=TODAY - datetime.timedelta(days=100),
    )  # fmt: skip
    second = _refer(officer, police, nominal=nominal)
    decide_referral(
        second.pk, meeting=factories.PanelMeetingFactory(), by=officer,
        version=second.version, decision="accept",
    )  # fmt: skip
    history = list(nominal.memberships.order_by("entered_on"))
    assert [m.status for m in history] == ["exited", "active"]
    assert history[0].exit_reason == "long-custody"


def test_exit_for_other_reason_needs_details(officer, police):
    membership = start_membership(
        factories.NominalFactory(), by=officer, stream="sac", lead_agency=police
    )
    with pytest.raises(ValidationError) as error:
        exit_membership(membership.pk, by=officer, version=membership.version, reason="other")
    assert "exit_details" in error.value.message_dict
    membership.refresh_from_db()
    assert membership.status == "active"
