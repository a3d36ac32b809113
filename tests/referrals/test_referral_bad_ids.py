"""The referral form's record ids (``?nominal=`` and the match chosen) that are not ids: a
404 page, never a 500, and nothing written."""

import pytest
from django.urls import reverse

from iom.models import AgencyKind
from referrals.models import Referral
from tests import factories
from tests.referrals.test_referral_pages import _referral_form

NOT_IDS = ["abc", "-1", "0", "1.5", "１２", "99999999999999999999999", "1 OR 1=1"]


@pytest.mark.parametrize("value", NOT_IDS)
def test_a_nominal_that_is_not_an_id_is_a_404(client, officer, value):
    client.force_login(officer)
    response = client.get(reverse("referrals:new"), {"nominal": value})
    assert response.status_code == 404


@pytest.mark.parametrize("value", NOT_IDS)
def test_a_match_that_is_not_an_id_is_a_404_and_writes_nothing(client, officer, value):
    police = factories.AgencyFactory(name="Demo Police", kind=AgencyKind.POLICE)
    client.force_login(officer)
    response = client.post(reverse("referrals:new"), {**_referral_form(police), "match": value})
    assert response.status_code == 404
    assert not Referral.objects.exists()


def test_a_match_in_the_query_string_is_ignored(client, officer):
    client.force_login(officer)
    response = client.get(reverse("referrals:new"), {"match": "abc"})
    assert response.status_code == 200
    assert not response.context["form"].is_bound
    assert 'name="match"' not in response.content.decode()


def test_a_nominal_id_of_a_visible_person_still_opens_the_form_for_them(client, officer):
    nominal = factories.NominalFactory()
    client.force_login(officer)
    response = client.get(reverse("referrals:new"), {"nominal": str(nominal.pk)})
    assert response.status_code == 200
    assert response.context["nominal"] == nominal
