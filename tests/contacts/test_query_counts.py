"""Every list of contacts (the contact log, the Summary's timeline, My work and the API)
costs the same number of queries with 10 and with 200 rows behind it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.contacts.models import Contact
from cohorts.controls.models import Breach, DrugTest
from cohorts.models import Engagement
from tests import factories
from tests.controls.factories import LicenceFactory

pytestmark = pytest.mark.django_db


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    # The audit log's bulk INSERT goes in batches on SQLite (its parameter cap).
    return len([q for q in captured if not q["sql"].startswith('INSERT INTO "iom_auditevent"')])


def _add_contacts(nominal, officer, count: int, *, start: int = 0, booked: bool = False) -> None:
    now = timezone.now()
    contacts = Contact.objects.bulk_create(
        Contact(
            nominal=nominal,
            kind="office",
            planned_at=now + datetime.timedelta(hours=n + 1)
            if booked
            else now - datetime.timedelta(days=n + 1),
            happened_at=None if booked else now - datetime.timedelta(days=n + 1),
            attendance="" if booked else ("attended" if n % 3 else "refused"),
            outcome=f"Contact {n}",
            recorded_by=officer,
            is_shared=bool(n % 2),
        )
        for n in range(start, start + count)
    )
    through = Contact.attendees.through
    through.objects.bulk_create(through(contact=c, user=officer) for c in contacts)
    agencies = Contact.agencies.through
    agencies.objects.bulk_create(agencies(contact=c, agency=officer.agency) for c in contacts)


def _add_history(licence, officer, count: int, start: int = 0) -> None:
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=n % 30) for n in range(start, start + count)]
    Breach.objects.bulk_create(
        Breach(nominal=licence.nominal, licence=licence, occurred_on=day, evidence="x",
               recorded_by=officer) for day in days
    )  # fmt: skip
    DrugTest.objects.bulk_create(
        DrugTest(nominal=licence.nominal, licence=licence, tested_on=day, outcome="negative",
                 recorded_by=officer) for day in days
    )  # fmt: skip
    Engagement.objects.bulk_create(
        Engagement(nominal=licence.nominal, status="engaged", on=day, recorded_by=officer)
        for day in days
    )


def test_the_contact_log_costs_the_same_with_10_and_200_contacts(client, officer, nominal):
    client.force_login(officer)
    url = reverse("cohorts:contacts", args=[nominal.pk])
    _add_contacts(nominal, officer, 10)
    small = _queries_for(client, url)
    _add_contacts(nominal, officer, 190, start=10)
    assert _queries_for(client, url) == small


def test_a_partners_contact_log_costs_the_same_with_10_and_200_contacts(client, officer, nominal):
    from tests.sharing import share_with

    partner = factories.UserFactory()
    share_with(nominal, partner)
    client.force_login(partner)
    url = reverse("cohorts:contacts", args=[nominal.pk])
    _add_contacts(nominal, officer, 10)
    small = _queries_for(client, url)
    _add_contacts(nominal, officer, 190, start=10)
    assert _queries_for(client, url) == small


def test_the_summary_timeline_costs_the_same_with_10_and_200_of_each_record(client, officer):
    licence = LicenceFactory()
    nominal = licence.nominal
    client.force_login(officer)
    url = reverse("cohorts:nominal", args=[nominal.pk])
    _add_contacts(nominal, officer, 10)
    _add_history(licence, officer, 10)
    small = _queries_for(client, url)
    _add_contacts(nominal, officer, 190, start=10)
    _add_history(licence, officer, 190, start=10)
    assert _queries_for(client, url) == small
    assert _queries_for(client, url + "?page=3") == small
    assert _queries_for(client, url + "?kind=contacts") <= small


def test_my_work_costs_the_same_with_10_and_200_appointments(client, officer):
    nominals = factories.NominalFactory.create_batch(4)
    client.force_login(officer)
    url = reverse("reports:my-work")
    for nominal in nominals:
        _add_contacts(nominal, officer, 3, booked=True)
    small = _queries_for(client, url)
    for nominal in nominals:
        _add_contacts(nominal, officer, 50, start=3, booked=True)
    assert _queries_for(client, url) == small


def test_the_contacts_api_costs_the_same_with_10_and_200_contacts(client, officer, nominal):
    client.force_login(officer)
    url = reverse("contact-list") + "?page_size=200"
    _add_contacts(nominal, officer, 10)
    small = _queries_for(client, url)
    _add_contacts(nominal, officer, 190, start=10)
    assert _queries_for(client, url) == small
