"""Referral pages as users meet them: the form, the match screen, the queue, the panel."""

import datetime

import pytest
from django.urls import reverse

from cohorts.models import CohortMembership, Nominal
from iom.models import AgencyKind, AuditAction, AuditEvent
from referrals.models import Referral, ReferralStatus
from tests import factories
from tests.sharing import share_with

TODAY = datetime.date.today()


@pytest.fixture
def police(db):
    return factories.AgencyFactory(name="Demo Police", kind=AgencyKind.POLICE)


def _referral_form(police, **person) -> dict:
    data = {
        "stream": "sac",
        "proposed_lead_agency": police.pk,
        "reasons": "Four burglaries since release",
        "person-first_names": "Ada",
        "person-surname": "Newcomer",
        "person-date_of_birth_day": "3",
        "person-date_of_birth_month": "2",
        "person-date_of_birth_year": "1994",
        "person-gender": "female",
        "person-pnc_id": "",
        "person-cro_number": "",
        "person-crn": "",
        "person-prison_number": "",
        "person-address_line_1": "",
        "person-address_line_2": "",
        "person-town": "",
        "person-postcode": "",
        "person-neighbourhood": "",
    }
    data.update({f"person-{key}": value for key, value in person.items()})
    return data


def test_referring_a_new_person_creates_the_referral(client, officer, police):
    client.force_login(officer)
    response = client.post(reverse("referrals:new"), _referral_form(police))
    referral = Referral.objects.get()
    assert response.url == reverse("referrals:detail", kwargs={"pk": referral.pk})
    assert referral.nominal.surname == "Newcomer"


def test_a_look_alike_shows_the_match_screen_and_writes_nothing(client, officer, police):
    existing = factories.NominalFactory(surname="Newcomer", date_of_birth=datetime.date(1994, 2, 3))
    client.force_login(officer)
    response = client.post(reverse("referrals:new"), _referral_form(police))
    assert response.status_code == 409
    body = response.content.decode()
    assert "may already have a record" in body
    assert existing.listed_name in body
    assert Referral.objects.count() == 0
    assert Nominal.objects.count() == 1


def test_choosing_the_matching_record_refers_it(client, officer, police):
    existing = factories.NominalFactory(surname="Newcomer", date_of_birth=datetime.date(1994, 2, 3))
    client.force_login(officer)
    client.post(reverse("referrals:new"), {**_referral_form(police), "match": existing.pk})
    assert Referral.objects.get().nominal == existing
    assert Nominal.objects.count() == 1


def test_confirming_a_new_person_creates_them(client, officer, police):
    factories.NominalFactory(surname="Newcomer", date_of_birth=datetime.date(1994, 2, 3))
    client.force_login(officer)
    client.post(reverse("referrals:new"), {**_referral_form(police), "match": "new"})
    assert Nominal.objects.count() == 2


def test_a_partner_is_told_nothing_of_matches_it_cannot_see(client, outsider, police):
    hidden = factories.NominalFactory(surname="Newcomer", date_of_birth=datetime.date(1994, 2, 3))
    client.force_login(outsider)
    response = client.post(reverse("referrals:new"), _referral_form(police), follow=True)
    body = response.content.decode()
    assert "may already have a record" not in body
    assert "cannot see" not in body
    assert hidden.pnc_id not in body
    assert hidden.first_names not in body
    assert Referral.objects.get().needs_identity_check


def test_missing_fields_are_named(client, officer, police):
    client.force_login(officer)
    response = client.post(
        reverse("referrals:new"), {**_referral_form(police), "reasons": "", "stream": ""}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Say why this person should be managed by IOM" in body
    assert "Choose the cohort stream you propose" in body


def test_a_second_referral_is_refused_naming_the_first(client, officer, police):
    first = factories.ReferralFactory()
    client.force_login(officer)
    response = client.post(
        reverse("referrals:new") + f"?nominal={first.nominal.pk}",
        {**_referral_form(police), "nominal": first.nominal.pk},
    )
    assert response.status_code == 400
    assert first.reference in response.content.decode()
    assert Referral.objects.count() == 1


def test_the_queue_filters_by_agency_and_stream(client, officer):
    police_referral = factories.ReferralFactory(stream="sac")
    probation = factories.AgencyFactory(name="Probation", kind=AgencyKind.NPS)
    probation_referral = factories.ReferralFactory(referring_agency=probation, stream="ppo")
    client.force_login(officer)
    query = {"referring_agency": probation.pk}
    body = client.get(reverse("referrals:list"), query).content.decode()
    assert probation_referral.reference in body
    assert police_referral.reference not in body
    body = client.get(reverse("referrals:list"), {"stream": "sac"}).content.decode()
    assert police_referral.reference in body
    assert probation_referral.reference not in body


def test_a_partner_sees_only_referrals_of_people_shared_with_it(client, outsider, officer):
    shared, unshared = factories.ReferralFactory.create_batch(2)
    share_with(shared.nominal, outsider, by=officer)
    client.force_login(outsider)
    body = client.get(reverse("referrals:list"), {"status": ""}).content.decode()
    assert shared.reference in body
    assert unshared.reference not in body


def test_the_chair_accepts_a_referral_and_the_person_joins_the_cohort(client, officer):
    referral = factories.ReferralFactory()
    meeting = factories.PanelMeetingFactory()
    client.force_login(officer)
    response = client.post(
        reverse("referrals:panel", kwargs={"pk": meeting.pk}),
        {
            "referral": referral.pk,
            "version": referral.version,
            "decision": "accept",
            "offender_manager": officer.pk,
        },
    )
    assert response.status_code == 302
    membership = CohortMembership.objects.get(nominal=referral.nominal)
    assert membership.stream == "sac"
    body = client.get(reverse("cohorts:list"), {"stream": "sac"}).content.decode()
    assert referral.nominal.surname in body


def test_rejecting_without_a_reason_is_refused_on_the_page(client, officer):
    referral = factories.ReferralFactory()
    meeting = factories.PanelMeetingFactory()
    client.force_login(officer)
    response = client.post(
        reverse("referrals:panel", kwargs={"pk": meeting.pk}),
        {"referral": referral.pk, "version": referral.version, "decision": "reject"},
    )
    assert response.status_code == 400
    assert "Give the reason for rejecting the referral" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OPEN


def test_partners_cannot_run_panels(client, outsider):
    meeting = factories.PanelMeetingFactory()
    client.force_login(outsider)
    assert client.get(reverse("referrals:panels")).status_code == 403
    assert client.get(reverse("referrals:panel", kwargs={"pk": meeting.pk})).status_code == 403
    assert client.get(reverse("referrals:panel-new")).status_code == 403


def test_opening_a_panel_meeting(client, officer, police):
    client.force_login(officer)
    response = client.post(
        reverse("referrals:panel-new"),
        {
            "held_on_day": TODAY.day,
            "held_on_month": TODAY.month,
            "held_on_year": TODAY.year,
            "chair": officer.pk,
            "attending_agencies": [police.pk],
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        action=AuditAction.COLLECTION, object_type="referrals.PanelMeeting"
    ).exists()


def test_viewing_a_referral_is_audited(client, officer):
    referral = factories.ReferralFactory()
    client.force_login(officer)
    client.get(reverse("referrals:detail", kwargs={"pk": referral.pk}))
    assert (
        AuditEvent.objects.about(referral.nominal).filter(action=AuditAction.CONSULTATION).exists()
    )


def test_each_person_on_the_referrals_queue_is_logged_as_consulted(client, officer):
    referral = factories.ReferralFactory()
    client.force_login(officer)
    client.get(reverse("referrals:list"))
    assert (
        AuditEvent.objects.about(referral.nominal)
        .filter(
            action=AuditAction.CONSULTATION,
            description="Listed on the referrals queue",
        )
        .exists()
    )
