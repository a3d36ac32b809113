"""Dates of birth are in the past and after 1900, on every way in: the services, the pages,
the API and a new person's referral."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Alias, Nominal
from cohorts.services import create_nominal, update_nominal
from iom.models import AgencyKind
from referrals.models import Referral
from tests import factories
from tests.cohorts.test_nominal_pages import _edit_form

TODAY = timezone.localdate()
FUTURE = "Date of birth must be in the past"
TOO_EARLY = "Date of birth must be after 1900"


def _create(officer, born):
    return create_nominal(by=officer, first_names="Ada", surname="Born", date_of_birth=born)


@pytest.mark.parametrize(
    ("born", "message"),
    [
        (TODAY + datetime.timedelta(days=1), FUTURE),
        (TODAY, FUTURE),
        (datetime.date(1, 1, 1), TOO_EARLY),
        (datetime.date(1899, 12, 31), TOO_EARLY),
    ],
    ids=["tomorrow", "today", "year 1", "31 December 1899"],
)
def test_a_new_person_born_outside_the_bounds_is_refused(officer, born, message):
    with pytest.raises(ValidationError) as refused:
        _create(officer, born)
    assert refused.value.message_dict == {"date_of_birth": [message]}
    assert not Nominal.objects.exists()


@pytest.mark.parametrize(
    "born",
    [datetime.date(1900, 1, 1), TODAY - datetime.timedelta(days=1)],
    ids=["1900", "yesterday"],
)
def test_the_bounds_themselves_are_allowed(officer, born):
    assert _create(officer, born).date_of_birth == born


def test_an_edit_to_a_future_date_of_birth_is_refused(officer, nominal):
    with pytest.raises(ValidationError, match=FUTURE):
        update_nominal(
            nominal.pk,
            by=officer,
            version=nominal.version,
            changes={"date_of_birth": TODAY + datetime.timedelta(days=30)},
        )
    assert Nominal.objects.get(pk=nominal.pk).date_of_birth == nominal.date_of_birth


def test_an_alias_born_in_year_1_is_refused(nominal):
    alias = Alias(nominal=nominal, surname="Other", date_of_birth=datetime.date(1, 1, 1))
    with pytest.raises(ValidationError, match=TOO_EARLY):
        alias.full_clean()


def test_the_edit_page_gives_the_message_on_the_date_of_birth(client, officer, nominal):
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:edit", kwargs={"pk": nominal.pk}),
        _edit_form(nominal, date_of_birth_year="0001"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["date_of_birth"] == [TOO_EARLY]
    assert Nominal.objects.get(pk=nominal.pk).date_of_birth == nominal.date_of_birth


def test_the_api_refuses_a_future_date_of_birth_with_a_400(client, officer, nominal):
    client.force_login(officer)
    response = client.patch(
        reverse("nominal-detail", kwargs={"pk": nominal.pk}),
        {"date_of_birth": f"{TODAY.year + 1}-01-01", "version": nominal.version},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["date_of_birth"] == [FUTURE]
    assert Nominal.objects.get(pk=nominal.pk).date_of_birth == nominal.date_of_birth


@pytest.fixture
def police(db):
    return factories.AgencyFactory(name="Demo Police", kind=AgencyKind.POLICE)


def test_a_referral_of_a_person_born_in_the_future_is_refused_on_the_page(client, officer, police):
    from tests.referrals.test_referral_pages import _referral_form

    client.force_login(officer)
    response = client.post(
        reverse("referrals:new"),
        _referral_form(police, date_of_birth_year=str(TODAY.year + 1)),
    )
    assert response.status_code == 400
    assert FUTURE in response.content.decode()
    assert not Referral.objects.exists()
    assert not Nominal.objects.exists()


def test_a_referral_of_a_person_born_in_year_1_is_refused_by_the_api(client, officer, police):
    client.force_login(officer)
    response = client.post(
        reverse("referral-list"),
        {
            "stream": "sac",
            "reasons": "Six burglaries",
            "proposed_lead_agency": police.pk,
            "new_person": {"first_names": "Api", "surname": "Old", "date_of_birth": "0001-01-01"},
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert TOO_EARLY in str(response.json())
    assert not Referral.objects.exists()
