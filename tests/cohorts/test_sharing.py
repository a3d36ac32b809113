"""Sharing by team and by agreement: who sees a record, through which events, and audited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cohorts.models import RecordShare, ShareBasis
from cohorts.services import (
    change_membership_status,
    exit_membership,
    share_record,
    stop_sharing_record,
)
from iom import access
from iom.models import AgencyKind, AuditAction, AuditEvent, Role
from referrals.services import NewPerson, decide_referral, refer
from tests import factories
from tests.sharing import agreement_for, share_with


@pytest.fixture
def police(db):
    return factories.AgencyFactory(name="Demo Police", kind=AgencyKind.POLICE)


@pytest.fixture
def neighbourhood_team(police):
    team = factories.TeamFactory(agency=police, name="City NPT", is_neighbourhood=True)
    agreement_for(police)
    return team


@pytest.fixture
def neighbourhood_officer(police, neighbourhood_team):
    return factories.UserFactory(agency=police, team=neighbourhood_team, role=Role.IOM_OFFICER)


@pytest.fixture
def member(db):
    return factories.members(1)[0]


def _membership(nominal):
    return nominal.memberships.get(exited_on__isnull=True)


def test_a_referral_shares_the_new_person_with_the_referrers_team_only(police):
    agreement_for(police)
    referrer = factories.UserFactory(agency=police)
    other_team = factories.TeamFactory(agency=police, name="Response")
    colleague = factories.UserFactory(agency=police, team=other_team)
    administrator = factories.UserFactory(agency=police, role=Role.ADMINISTRATOR, is_staff=True)
    referral = refer(
        by=referrer,
        stream="sac",
        reasons="Four burglaries in a month.",
        proposed_lead_agency=police,
        new_person=NewPerson(
            first_names="Ada", surname="Referred", date_of_birth=datetime.date(1991, 3, 4)
        ),
    )
    share = RecordShare.objects.get(nominal=referral.nominal)
    assert (share.team, share.basis) == (referrer.team, ShareBasis.REFERRAL)
    assert access.can(referrer, "view", referral.nominal)
    assert not access.can(colleague, "view", referral.nominal)
    assert not access.can(administrator, "view", referral.nominal)


def test_accepting_shares_with_the_lead_agencys_case_team_and_the_chosen_partner_teams(
    officer,
):
    probation = factories.AgencyFactory(name="Probation", kind=AgencyKind.NPS)
    drugs = factories.AgencyFactory(name="Drug service", kind=AgencyKind.DRUG_ALCOHOL)
    agreement_for(probation, drugs)
    probation_worker = factories.UserFactory(agency=probation)
    drug_worker = factories.UserFactory(agency=drugs)
    housing_worker = factories.UserFactory(
        agency=factories.AgencyFactory(name="Housing", kind=AgencyKind.HOUSING)
    )
    referral = factories.ReferralFactory(proposed_lead_agency=probation)
    decide_referral(
        referral.pk,
        meeting=factories.PanelMeetingFactory(),
        by=officer,
        version=referral.version,
        decision="accept",
        share_with=[drug_worker.team],
    )
    bases = dict(RecordShare.objects.filter(nominal=referral.nominal).values_list("team", "basis"))
    assert bases == {
        probation_worker.team.pk: ShareBasis.LEAD_AGENCY,
        drug_worker.team.pk: ShareBasis.PANEL,
    }
    assert access.can(drug_worker, "view", referral.nominal)
    assert access.can(probation_worker, "view", referral.nominal)
    assert not access.can(housing_worker, "view", referral.nominal)
    disclosed = (
        AuditEvent.objects.about(referral.nominal)
        .filter(action=AuditAction.DISCLOSURE)
        .values_list("recipient", flat=True)
    )
    assert str(drug_worker.team) in disclosed


def test_devolving_shares_the_case_with_the_team_and_returning_it_revokes(
    officer, member, neighbourhood_team, neighbourhood_officer
):
    membership = _membership(member)
    assert not access.can(neighbourhood_officer, "view", member)
    change_membership_status(
        membership.pk,
        by=officer,
        version=membership.version,
        status="devolved",
        devolved_to=neighbourhood_team,
    )
    assert access.can(neighbourhood_officer, "view", member)
    membership.refresh_from_db()
    change_membership_status(membership.pk, by=officer, version=membership.version, status="active")
    assert not access.can(neighbourhood_officer, "view", member)
    ended = RecordShare.objects.get(nominal=member, team=neighbourhood_team)
    assert ended.ended_at is not None and "Active" in ended.end_reason


def test_devolving_without_naming_the_team_is_refused_and_writes_nothing(officer, member):
    membership = _membership(member)
    with pytest.raises(ValidationError) as refused:
        change_membership_status(
            membership.pk, by=officer, version=membership.version, status="devolved"
        )
    assert "devolved_to" in refused.value.message_dict
    membership.refresh_from_db()
    assert membership.status == "active"


def test_exit_as_devolved_shares_with_the_neighbourhood_team(
    officer, member, neighbourhood_team, neighbourhood_officer
):
    membership = _membership(member)
    exit_membership(
        membership.pk,
        by=officer,
        version=membership.version,
        reason="devolved",
        devolved_to=neighbourhood_team,
    )
    assert access.can(neighbourhood_officer, "view", member)


def test_leaving_the_cohort_ends_panel_shares_where_the_agreement_says_so(officer, member):
    ending = factories.AgencyFactory(name="Housing", kind=AgencyKind.HOUSING)
    continuing = factories.AgencyFactory(name="Prison", kind=AgencyKind.PRISON)
    agreement_for(ending, ends_with_membership=True)
    agreement_for(continuing, ends_with_membership=False)
    housing_worker = factories.UserFactory(agency=ending)
    prison_worker = factories.UserFactory(agency=continuing)
    share_with(member, housing_worker, basis=ShareBasis.PANEL)
    share_with(member, prison_worker, basis=ShareBasis.PANEL)
    membership = _membership(member)
    exit_membership(membership.pk, by=officer, version=membership.version, reason="risk-reduced")
    assert not access.can(housing_worker, "view", member)
    assert access.can(prison_worker, "view", member)


def test_an_officer_shares_and_stops_sharing_with_a_reason_both_audited(officer, nominal):
    worker = factories.UserFactory(
        agency=factories.AgencyFactory(name="Health", kind=AgencyKind.HEALTH)
    )
    agreement_for(worker.agency)
    share = share_record(nominal, team=worker.team, by=officer, reason="Mental health referral")
    assert access.can(worker, "view", nominal)
    stop_sharing_record(share.pk, by=officer, reason="Treatment ended")
    assert not access.can(worker, "view", nominal)
    descriptions = list(
        AuditEvent.objects.about(nominal)
        .filter(object_type="cohorts.RecordShare")
        .order_by("id")
        .values_list("action", "reason")
    )
    assert descriptions == [
        (AuditAction.DISCLOSURE, "Mental health referral"),
        (AuditAction.ALTERATION, "Treatment ended"),
    ]


def test_sharing_needs_a_reason_and_the_iom_unit(officer, outsider, nominal):
    with pytest.raises(ValidationError) as refused:
        share_record(nominal, team=outsider.team, by=officer, reason=" ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        share_record(nominal, team=outsider.team, by=outsider, reason="Because")
    assert not RecordShare.objects.exists()


def test_a_lapsed_agreement_stops_all_access_though_the_share_remains(officer, nominal):
    worker = factories.UserFactory(
        agency=factories.AgencyFactory(name="Employment", kind=AgencyKind.OTHER)
    )
    agreement_for(worker.agency, ends_in_days=-1)
    share_with(nominal, worker, agreement=False)
    assert RecordShare.objects.active().filter(nominal=nominal).exists()
    assert not access.can(worker, "view", nominal)


def test_administrators_and_superusers_see_no_case_record(db, nominal):
    iom_team = factories.IomOfficerFactory().team
    administrator = factories.UserFactory(
        agency=iom_team.agency, team=iom_team, role=Role.ADMINISTRATOR, is_staff=True
    )
    superuser = factories.UserFactory(
        agency=iom_team.agency, team=iom_team, role=Role.MANAGER, is_superuser=True
    )
    assert not access.can(administrator, "view", nominal)
    assert not access.can(superuser, "view", nominal)


def test_a_record_shared_with_an_agency_group_reaches_no_one(db, nominal, outsider):
    access.grant_to_group(outsider.agency.group, nominal)
    assert not access.can(outsider, "view", nominal)


# --- Pages ----------------------------------------------------------------------------------


def test_the_sharing_page_shares_with_a_team_and_shows_the_history(client, officer, nominal):
    worker = factories.UserFactory(
        agency=factories.AgencyFactory(name="Drug service", kind=AgencyKind.DRUG_ALCOHOL)
    )
    client.force_login(officer)
    url = reverse("cohorts:sharing", args=[nominal.pk])
    response = client.post(url, {"share": "1", "team": worker.team.pk, "reason": "Treatment"})
    assert response.status_code == 302
    share = RecordShare.objects.get(nominal=nominal)
    response = client.post(url, {"stop": "1", "share_id": share.pk, "stop_reason": "Discharged"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Ended" in page and "Discharged" in page and worker.team.name in page


def test_the_sharing_page_names_each_missing_answer(client, officer, nominal):
    client.force_login(officer)
    response = client.post(reverse("cohorts:sharing", args=[nominal.pk]), {"share": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select the team to share the record with" in page
    assert "Enter why the record is shared with this team" in page
    assert "<title>Error:" in page


def test_partners_cannot_open_the_sharing_page(client, outsider, nominal):
    share_with(nominal, outsider)
    client.force_login(outsider)
    response = client.get(reverse("cohorts:sharing", args=[nominal.pk]))
    assert response.status_code == 403
