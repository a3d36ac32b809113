"""Referring someone who already has a record the referrer may not see: the screens, the
API and the identifier errors say nothing about that record, and the panel is told to check
the identity."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohorts.models import Nominal
from cohorts.services import update_nominal
from iom import access
from iom.models import AgencyKind, SharingAgreement
from referrals.models import Referral
from referrals.services import NewPerson, PossibleDuplicates, refer
from tests import factories

BORN = datetime.date(1994, 2, 3)


@pytest.fixture
def police(db):
    return factories.AgencyFactory(name="Demo Police", kind=AgencyKind.POLICE)


@pytest.fixture
def partner(db):
    """A worker of a partner agency under a live agreement: sees what is shared with them."""
    agency = factories.AgencyFactory(name="Riverside Housing", kind=AgencyKind.HOUSING)
    agreement = SharingAgreement.objects.create(
        name="Riverside IOM agreement",
        purpose="Reducing reoffending",
        legal_basis="Crime and Disorder Act 1998 s.115",
        starts_on=datetime.date(2020, 1, 1),
        review_on=datetime.date(2099, 1, 1),
    )
    agreement.parties.add(agency)
    return factories.UserFactory(agency=agency)


@pytest.fixture
def hidden(db):
    """A record the partner may not see."""
    return factories.NominalFactory(
        first_names="Concealed", surname="Newcomer", date_of_birth=BORN, pnc_id="2012/0004567Q"
    )


def _person(**overrides) -> NewPerson:
    fields = {"first_names": "Ada", "surname": "Newcomer", "date_of_birth": BORN}
    fields.update(overrides)
    return NewPerson(**fields)


def _refer(by, police, **kwargs):
    return refer(
        by=by, stream="sac", reasons="Four burglaries", proposed_lead_agency=police, **kwargs
    )


def test_a_look_alike_the_referrer_cannot_see_does_not_stop_the_referral(partner, police, hidden):
    referral = _refer(partner, police, new_person=_person())
    assert referral.nominal != hidden
    assert referral.needs_identity_check


def test_an_identifier_of_a_hidden_record_refers_that_record_without_sharing_it(
    partner, police, hidden
):
    referral = _refer(partner, police, new_person=_person(pnc_id="2012/0004567q"))
    assert referral.nominal == hidden
    assert referral.needs_identity_check
    assert Nominal.objects.count() == 1
    assert not access.can(partner, "view", hidden)


def test_a_hidden_record_already_awaiting_the_panel_gets_the_new_reasons(partner, police, hidden):
    first = factories.ReferralFactory(nominal=hidden)
    returned = _refer(partner, police, new_person=_person(pnc_id=hidden.pnc_id))
    first.refresh_from_db()
    assert returned == first
    assert Referral.objects.count() == 1
    assert first.needs_identity_check
    assert "Four burglaries" in first.supporting_information
    assert partner.agency.name in first.supporting_information


def test_a_look_alike_the_referrer_may_see_still_asks_which_person(partner, police, hidden):
    access.grant_to_user(partner, hidden)
    with pytest.raises(PossibleDuplicates) as raised:
        _refer(partner, police, new_person=_person())
    assert list(raised.value.matches) == [hidden]


def test_the_match_screen_says_nothing_of_a_hidden_record(client, partner, police, hidden):
    client.force_login(partner)
    data = {
        "stream": "sac",
        "proposed_lead_agency": police.pk,
        "reasons": "Four burglaries",
        "person-first_names": "Ada",
        "person-surname": "Newcomer",
        "person-date_of_birth_day": "3",
        "person-date_of_birth_month": "2",
        "person-date_of_birth_year": "1994",
        "person-gender": "female",
        "person-pnc_id": hidden.pnc_id,
    }
    response = client.post(reverse("referrals:new"), data, follow=True)
    body = response.content.decode()
    assert "The panel will confirm the person&#x27;s identity" in body
    for secret in (hidden.first_names, hidden.crn, "cannot see", "already has"):
        assert secret not in body
    assert Referral.objects.get().nominal == hidden


def test_the_api_says_nothing_of_a_hidden_record(client, partner, police, hidden):
    client.force_login(partner)
    response = client.post(
        reverse("referral-list"),
        {
            "stream": "sac",
            "reasons": "Four burglaries",
            "proposed_lead_agency": police.pk,
            "new_person": {
                "first_names": "Ada",
                "surname": "Newcomer",
                "date_of_birth": "1994-02-03",
                "pnc_id": hidden.pnc_id,
            },
        },
        content_type="application/json",
    )
    assert response.status_code == 202
    text = response.content.decode()
    assert "identity" in response.json()["detail"]
    for secret in (hidden.first_names, hidden.crn, str(hidden.pk), "cannot_see"):
        assert secret not in text


def test_only_the_panel_is_told_a_referral_needs_an_identity_check(client, partner, officer):
    referral = factories.ReferralFactory(needs_identity_check=True)
    access.grant_to_user(partner, referral.nominal)
    url = reverse("referral-detail", args=[referral.pk])
    client.force_login(partner)
    assert client.get(url).json()["needs_identity_check"] is None
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Check identity" not in page
    client.force_login(officer)
    assert client.get(url).json()["needs_identity_check"] is True
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Check identity" in page


def test_an_identifier_held_by_a_hidden_record_is_refused_without_naming_it(partner, hidden):
    mine = factories.NominalFactory(pnc_id=None)
    access.grant_to_user(partner, mine)
    with pytest.raises(ValidationError) as refused:
        update_nominal(mine.pk, by=partner, version=mine.version, changes={"pnc_id": hidden.pnc_id})
    message = " ".join(refused.value.message_dict["pnc_id"])
    assert "Another person" not in message
    assert "identity" in message


def test_an_identifier_held_by_a_visible_record_is_refused_naming_it(officer, hidden):
    mine = factories.NominalFactory(pnc_id=None)
    with pytest.raises(ValidationError, match="Another person's record already has"):
        update_nominal(mine.pk, by=officer, version=mine.version, changes={"pnc_id": hidden.pnc_id})
