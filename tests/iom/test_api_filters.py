"""The API's filters offer and accept only the people the user may see."""

from django.urls import reverse

from tests import factories
from tests.controls.factories import LicenceFactory
from tests.sharing import share_with


def test_the_browsable_filter_lists_only_the_people_shared_with_the_user(client, outsider):
    shared = LicenceFactory(nominal=factories.NominalFactory(surname="Sharedsurname")).nominal
    LicenceFactory(nominal=factories.NominalFactory(surname="Hiddensurname"))
    share_with(shared, outsider)
    client.force_login(outsider)
    body = client.get(reverse("membership-list"), HTTP_ACCEPT="text/html").content.decode()
    assert "Sharedsurname" in body
    assert "Hiddensurname" not in body


def test_filtering_by_a_hidden_person_answers_as_for_no_one(client, outsider):
    hidden = factories.NominalFactory()
    client.force_login(outsider)
    by_hidden = client.get(reverse("licence-list"), {"nominal": hidden.pk})
    by_nobody = client.get(reverse("licence-list"), {"nominal": hidden.pk + 1000})
    assert by_hidden.status_code == by_nobody.status_code == 400
    assert by_hidden.json().keys() == by_nobody.json().keys() == {"nominal"}


def test_the_iom_unit_filters_by_anyone(client, officer):
    licence = LicenceFactory()
    client.force_login(officer)
    response = client.get(reverse("licence-list"), {"nominal": licence.nominal.pk})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [licence.pk]


def test_the_referral_filter_lists_only_the_referrals_of_people_shared_with_the_user(
    client, outsider
):
    """A referral is named by its person: the panel decisions' filter on it offers only the
    referrals of people the user may see, and refuses a hidden one as it does a made-up one."""
    shared = factories.ReferralFactory(nominal=factories.NominalFactory(surname="Sharedsurname"))
    hidden = factories.ReferralFactory(nominal=factories.NominalFactory(surname="Hiddensurname"))
    share_with(shared.nominal, outsider)
    client.force_login(outsider)
    url = reverse("panel-decision-list")
    body = client.get(url, HTTP_ACCEPT="text/html").content.decode()
    assert "Sharedsurname" in body
    assert "Hiddensurname" not in body
    by_hidden = client.get(url, {"referral": hidden.pk})
    by_nobody = client.get(url, {"referral": hidden.pk + 1000})
    assert by_hidden.status_code == by_nobody.status_code == 400
    assert by_hidden.json().keys() == by_nobody.json().keys() == {"referral"}
