"""The contacts API: create, PATCH with version, 400 naming bad fields, 409 on a stale
version, 404 for people not shared, and reads that are disclosures."""

import datetime

from django.urls import reverse
from django.utils import timezone

from cohorts.contacts.models import Contact
from iom.models import AuditAction, AuditEvent
from tests.contacts.factories import ContactFactory

SOON = timezone.now() + datetime.timedelta(days=3)


def _create(client, nominal, **fields):
    payload = {"nominal": nominal.pk, "kind": "home-visit", "planned_at": SOON.isoformat()}
    return client.post(
        reverse("contact-list"), {**payload, **fields}, content_type="application/json"
    )


def test_officer_books_an_appointment_through_the_api(client, officer, nominal):
    client.force_login(officer)
    response = _create(client, nominal, attendees=[officer.pk])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == 1 and body["attendees"] == [officer.pk]
    assert Contact.objects.get().nominal == nominal


def test_bad_fields_are_named_in_a_400_and_nothing_is_written(client, officer, nominal):
    client.force_login(officer)
    response = _create(client, nominal, kind="seance", attendance="did-not-attend")
    assert response.status_code == 400
    assert "kind" in response.json()
    response = _create(client, nominal, attendance="attended")
    assert response.status_code == 400
    assert "attendance" in response.json()
    assert not Contact.objects.exists()


def test_a_person_not_shared_is_not_found(client, outsider, nominal):
    client.force_login(outsider)
    assert _create(client, nominal).status_code == 404
    assert _create(client, nominal.__class__(pk=999_999)).status_code == 404
    contact = ContactFactory(nominal=nominal, is_shared=True)
    assert client.get(reverse("contact-detail", args=[contact.pk])).status_code == 404
    response = client.patch(
        reverse("contact-detail", args=[contact.pk]),
        {"version": 1, "note": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Contact.objects.exclude(pk=contact.pk).exists()


def test_patch_with_the_version_records_the_outcome(client, officer):
    contact = ContactFactory(attendance="", happened_at=None)
    client.force_login(officer)
    response = client.patch(
        reverse("contact-detail", args=[contact.pk]),
        {"version": 1, "attendance": "did-not-attend", "absence": "acceptable",
         "absence_reason": "In hospital"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    contact.refresh_from_db()
    assert contact.absence == "acceptable"


def test_patch_without_a_version_is_refused(client, officer):
    contact = ContactFactory()
    client.force_login(officer)
    response = client.patch(
        reverse("contact-detail", args=[contact.pk]),
        {"note": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "version" in response.json()


def test_a_stale_version_is_a_409_and_changes_nothing(client, officer):
    contact = ContactFactory(version=3)
    client.force_login(officer)
    response = client.patch(
        reverse("contact-detail", args=[contact.pk]),
        {"version": 2, "note": "Late change"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == 3
    contact.refresh_from_db()
    assert contact.note == ""


def test_reads_are_disclosures(client, officer):
    contact = ContactFactory()
    client.force_login(officer)
    assert client.get(reverse("contact-list")).json()["count"] == 1
    assert (
        AuditEvent.objects.about(contact.nominal)
        .filter(action=AuditAction.DISCLOSURE, disclosure_format="json")
        .exists()
    )
