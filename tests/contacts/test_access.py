"""Who reaches contacts: a user of another agency reaches no contact URL; a partner sees only
the contacts marked shared, and only while their agreement covers contacts."""

import pytest
from django.urls import reverse

from tests import factories
from tests.contacts.factories import ContactFactory
from tests.controls.factories import LicenceFactory
from tests.sharing import agreement_for, share_with


@pytest.fixture
def missed(db):
    licence = LicenceFactory()
    return ContactFactory(
        nominal=licence.nominal,
        attendance="did-not-attend",
        absence="unacceptable",
        happened_at=None,
        is_shared=True,
        note="Distinctive case note Quillfeather",
    )


def _urls(contact):
    pk = contact.nominal_id
    return [
        reverse("cohorts:contacts", args=[pk]),
        reverse("cohorts:contact-new", args=[pk]),
        reverse("cohorts:contact", args=[pk, contact.pk]),
        reverse("cohorts:contact-breach", args=[pk, contact.pk]),
    ]


def test_a_user_of_another_agency_reaches_no_contact_url(client, outsider, missed):
    client.force_login(outsider)
    for url in _urls(missed):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 404, (url, method)
            assert b"Quillfeather" not in response.content
    api = reverse("contact-detail", args=[missed.pk])
    assert client.get(api).status_code == 404
    assert client.patch(api, {"version": 1}, content_type="application/json").status_code == 404
    assert client.get(reverse("contact-list")).json()["count"] == 0


def test_a_partner_sees_only_the_contacts_marked_shared(client, missed):
    partner = factories.UserFactory()
    share_with(missed.nominal, partner)
    ContactFactory(nominal=missed.nominal, note="Kept to the unit Brackenridge")
    client.force_login(partner)
    page = client.get(reverse("cohorts:contacts", args=[missed.nominal_id]))
    assert page.status_code == 200
    assert b"Brackenridge" not in page.content
    listed = client.get(reverse("contact-list")).json()
    assert [row["id"] for row in listed["results"]] == [missed.pk]


def test_a_partner_whose_agreement_does_not_cover_contacts_sees_none(client, missed):
    agency = factories.AgencyFactory(name="Probation without contacts", kind="nps")
    agreement_for(agency, covers_contacts=False)
    partner = factories.UserFactory(agency=agency)
    share_with(missed.nominal, partner, agreement=False)
    client.force_login(partner)
    assert client.get(reverse("cohorts:contacts", args=[missed.nominal_id])).status_code == 403
    assert client.get(reverse("contact-list")).json()["count"] == 0
    summary = client.get(reverse("cohorts:nominal", args=[missed.nominal_id]))
    assert summary.status_code == 200
    assert b"Quillfeather" not in summary.content
    assert b'href="/cohort/%d/contacts/"' % missed.nominal_id not in summary.content


def test_a_partner_who_can_only_view_cannot_record_a_contact(client, missed):
    partner = factories.UserFactory()
    share_with(missed.nominal, partner)
    client.force_login(partner)
    url = reverse("cohorts:contact-new", args=[missed.nominal_id])
    assert client.get(url).status_code == 404
