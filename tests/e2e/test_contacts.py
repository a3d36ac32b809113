"""The offender manager's contact log in a real browser: book an appointment, find it in My
work, record that the person did not attend, and turn it into a breach of licence."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.controls.factories import LicenceFactory
from tests.e2e.test_recall import fill_date
from tests.e2e.test_sign_in import sign_in

pytestmark = pytest.mark.browser


def test_offender_manager_books_records_a_missed_appointment_and_breaches_it(page):
    officer = factories.IomOfficerFactory()
    licence = LicenceFactory(created_by=officer)
    nominal = licence.nominal
    booked = timezone.localtime() - datetime.timedelta(hours=1)

    sign_in(page, officer)
    page.goto(reverse("cohorts:contacts", args=[nominal.pk]))
    page.get_by_role("button", name="Book an appointment").click()
    page.get_by_label("Office appointment").check()
    fill_date(page, "planned_on", booked.date())
    page.get_by_label("Time booked").fill(booked.strftime("%H:%M"))
    page.get_by_label("Where").fill("Probation office, Room 3")
    page.get_by_role("button", name="Book appointment").click()
    expect(page.get_by_text("The appointment was booked.")).to_be_visible()

    page.goto(reverse("reports:my-work"))
    page.get_by_label("Kind of work").select_option("appointment")
    page.get_by_role("button", name=re.compile("Filter")).click()
    expect(page.get_by_role("row").filter(has_text="Appointment").first).to_be_visible()
    page.get_by_role("link", name=re.compile("Record outcome")).click()

    page.get_by_label("Did not attend", exact=True).check()
    page.get_by_label("Unacceptable absence").check()
    page.get_by_label("The reason they gave").fill("Said he overslept")
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_text("The contact was saved.")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("Unacceptable absence"))).to_be_visible()

    page.get_by_role("link", name=re.compile("Record a breach")).click()
    evidence = page.get_by_label("Evidence")
    expect(evidence).to_have_value(re.compile("Did not attend the office appointment"))
    page.get_by_role("button", name="Record breach").click()
    expect(page.get_by_text("The breach was recorded from the missed contact.")).to_be_visible()
    expect(page.get_by_text(re.compile("Said he overslept")).first).to_be_visible()

    page.goto(reverse("cohorts:nominal", args=[nominal.pk]))
    expect(page.get_by_text("Missed the one appointment recorded.")).to_be_visible()
