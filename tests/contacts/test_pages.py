"""The Contacts section, the Summary's timeline and engagement record, and My work."""

import datetime

from django.urls import reverse
from django.utils import timezone

from cohorts.contacts.models import Contact
from cohorts.controls.models import Breach
from iom.models import AuditAction, AuditEvent
from tests.contacts.factories import ContactFactory
from tests.controls.factories import LicenceFactory

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def _date(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_officer_books_an_appointment_that_shows_in_their_my_work(client, officer, nominal):
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:contact-new", args=[nominal.pk]) + "?book=1",
        {"kind": "office", **_date("planned_on", TOMORROW), "planned_time": "10:30",
         "attendees": [officer.pk]},
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    contact = Contact.objects.get()
    assert timezone.localtime(contact.planned_at).hour == 10
    page = client.get(reverse("reports:my-work"))
    assert nominal.surname.encode() in page.content
    assert b"Appointments" in page.content


def test_a_date_without_a_time_is_refused_on_the_form(client, officer, nominal):
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:contact-new", args=[nominal.pk]),
        {"kind": "phone", **_date("planned_on", TOMORROW)},
    )
    assert response.status_code == 400
    assert b"Enter the time" in response.content
    assert not Contact.objects.exists()


YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def _missed(**values) -> dict:
    return {"kind": "office", **_date("planned_on", YESTERDAY), "planned_time": "10:30",
            "attendance": "did-not-attend", **values}  # fmt: skip


def test_did_not_attend_reveals_whether_a_reason_was_given(client, officer, nominal):
    client.force_login(officer)
    url = reverse("cohorts:contact-new", args=[nominal.pk])
    body = client.get(url).content.decode()
    reveal = body.index('id="conditional-id_attendance_2"')
    assert reveal < body.index('name="absence"') < body.index('name="absence_reason"')
    response = client.post(url, _missed())
    assert response.status_code == 400
    assert b"Say whether a reason was given, and whether it is acceptable" in response.content
    assert not Contact.objects.exists()
    response = client.post(url, _missed(absence="acceptable", absence_reason="In hospital"))
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.absence, contact.absence_reason) == ("acceptable", "In hospital")


def test_a_reason_typed_before_choosing_attended_is_dropped_not_refused(client, officer, nominal):
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:contact-new", args=[nominal.pk]),
        _missed(attendance="attended", **_date("happened_on", YESTERDAY), happened_time="10:30",
                absence="unacceptable", absence_reason="Typed first"),
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    contact = Contact.objects.get()
    assert (contact.attendance, contact.absence, contact.absence_reason) == ("attended", "", "")


def test_the_log_offers_a_breach_only_for_a_missed_appointment_on_licence(client, officer):
    licence = LicenceFactory()
    missed = ContactFactory(
        nominal=licence.nominal, attendance="did-not-attend", absence="unacceptable"
    )
    ContactFactory(nominal=licence.nominal)
    client.force_login(officer)
    page = client.get(reverse("cohorts:contacts", args=[licence.nominal_id]))
    breach_url = reverse("cohorts:contact-breach", args=[licence.nominal_id, missed.pk])
    assert page.content.count(b"/breach/") == 1
    assert breach_url.encode() in page.content
    assert (
        AuditEvent.objects.about(licence.nominal)
        .filter(action=AuditAction.CONSULTATION, description__contains="contacts")
        .exists()
    )


def test_the_breach_form_is_prefilled_and_records_the_breach(client, officer):
    licence = LicenceFactory()
    missed = ContactFactory(
        nominal=licence.nominal, attendance="did-not-attend", absence="no-reason"
    )
    client.force_login(officer)
    url = reverse("cohorts:contact-breach", args=[licence.nominal_id, missed.pk])
    form = client.get(url)
    assert b"Did not attend the office appointment" in form.content
    day = timezone.localdate(missed.planned_at)
    response = client.post(url, {**_date("occurred_on", day), "evidence": "Did not attend."})
    assert response.status_code == 302
    missed.refresh_from_db()
    assert missed.breach == Breach.objects.get()


def test_the_summary_shows_attendance_and_a_timeline_filtered_by_kind(client, officer, nominal):
    for n in range(3):
        ContactFactory(nominal=nominal, outcome=f"Outcome number {n}")
    ContactFactory(nominal=nominal, attendance="refused", outcome="Refused at the door")
    client.force_login(officer)
    page = client.get(reverse("cohorts:nominal", args=[nominal.pk]))
    assert b"Attended 3 of the last 4 appointments" in page.content
    assert b"moj-timeline" in page.content
    assert b"Refused at the door" in page.content
    filtered = client.get(reverse("cohorts:nominal", args=[nominal.pk]) + "?kind=controls")
    assert b"Refused at the door" not in filtered.content


def test_the_timeline_is_paged(client, officer, nominal):
    for n in range(25):
        ContactFactory(
            nominal=nominal,
            outcome=f"Paged outcome {n:02d}",
            planned_at=timezone.now() - datetime.timedelta(days=n + 1),
            happened_at=timezone.now() - datetime.timedelta(days=n + 1),
        )
    client.force_login(officer)
    url = reverse("cohorts:nominal", args=[nominal.pk])
    first = client.get(url + "?kind=contacts")
    assert b"Paged outcome 00" in first.content and b"Paged outcome 20" not in first.content
    second = client.get(url + "?kind=contacts&page=2")
    assert b"Paged outcome 20" in second.content and b"Paged outcome 00" not in second.content
