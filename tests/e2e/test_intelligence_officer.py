"""The intelligence officer's job, in a real browser: add someone not on the cohort directly,
record what was learnt about them, a manager runs the ranking, and the person is an emerging
threat for those reasons. And a partner's intelligence reaches the IOM unit's queue, linked
from the navigation, and no other partner."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from cohorts.models import Nominal
from tests import factories
from tests.e2e.test_recall import fill_date
from tests.e2e.test_sign_in import sign_in
from tests.risk.partners import partner

pytestmark = pytest.mark.browser

BURGLARY = "Burglary in a dwelling (28A)"


def add_person(page, first_names: str, surname: str, born: datetime.date) -> Nominal:
    page.goto("/cohort/")
    page.get_by_role("button", name="Add a person").click()
    page.get_by_label("First names").fill(first_names)
    page.get_by_label("Surname").fill(surname)
    fill_date(page, "date_of_birth", born)
    page.get_by_label("Gender").select_option(label="Male")
    page.get_by_role("button", name="Add the person").click()
    expect(page.get_by_text(f"{first_names} {surname} was added.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/cohort/\d+/$"))
    return Nominal.objects.get(surname=surname)


def record_arrest(page, nominal, day: datetime.date) -> None:
    page.goto(f"/cohort/{nominal.pk}/offending/")
    page.get_by_role("link", name="Record an arrest").click()
    fill_date(page, "arrested_on", day)
    page.get_by_label("Offence", exact=True).select_option(label=BURGLARY)
    page.get_by_label("Evidence").check()
    page.get_by_label("Location").fill("Belgrave Road")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The arrest was recorded.")).to_be_visible()


def record_intelligence_under_conditions(page, day: datetime.date) -> None:
    """Handling code C reveals its conditions, and asks for them only then."""
    page.get_by_role("link", name="Record intelligence").click()
    fill_date(page, "reported_on", day)
    page.get_by_label("Police", exact=True).check()
    page.get_by_label("Offence it is about").select_option(label=BURGLARY)
    page.get_by_label("What the report says").fill("Seen carrying tools near Belgrave Road.")
    page.get_by_label("B: untested").check()
    page.get_by_label("2: known indirectly to the source but corroborated").check()
    conditions = page.get_by_label("Conditions of sharing")
    expect(conditions).to_be_hidden()
    page.get_by_label("C: lawful sharing permitted with conditions").check()
    expect(conditions).to_be_visible()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Enter the conditions of sharing")).to_be_visible()
    conditions.fill("Not to be shared outside the police and probation.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The intelligence report was recorded.")).to_be_visible()
    expect(page.get_by_role("cell", name="B2C")).to_be_visible()


def test_officer_adds_a_person_records_offending_and_they_become_an_emerging_threat(
    page, browser, live_server
):
    officer = factories.IomOfficerFactory()
    manager = factories.ManagerFactory()
    day = datetime.date.today() - datetime.timedelta(days=2)

    sign_in(page, officer)
    nominal = add_person(page, "Dale", "Prolific", datetime.date(1994, 5, 17))
    record_arrest(page, nominal, day)
    record_arrest(page, nominal, day - datetime.timedelta(days=1))

    page.get_by_role("link", name="Record a detected offence").click()
    fill_date(page, "committed_on", day)
    page.get_by_label("Offence", exact=True).select_option(label=BURGLARY)
    page.get_by_label("Charged").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The detected offence was recorded.")).to_be_visible()

    record_intelligence_under_conditions(page, day)

    page.goto(f"/cohort/{nominal.pk}/risk/")
    expect(page.get_by_role("heading", name="Recorded since the last ranking")).to_be_visible()

    other = browser.new_context(base_url=live_server.url)
    manager_page = other.new_page()
    sign_in(manager_page, manager)
    manager_page.goto("/cohort/risk-runs/")
    manager_page.get_by_role("button", name="Run the ranking now").click()
    expect(manager_page.get_by_text("The ranking run was started.")).to_be_visible()
    other.close()

    page.goto("/cohort/emerging-threats/")
    row = page.get_by_role("row").filter(has_text="Prolific")
    expect(row).to_be_visible()
    expect(row).to_contain_text("2 arrests for burglary (dwelling)")
    expect(row).to_contain_text("1 burglary (dwelling) detected")
    page.goto(f"/cohort/{nominal.pk}/risk/")
    expect(page.get_by_text("1 intelligence report about burglaries (dwelling)")).to_be_visible()
    expect(page.get_by_role("heading", name="Recorded since the last ranking")).to_have_count(0)


def test_a_partners_intelligence_reaches_the_iom_units_queue_and_no_other_partner(
    page, browser, live_server
):
    nominal = factories.NominalFactory(surname="Informed")
    submitter = partner("Demoford Housing", nominal)
    other_partner = partner("Other Partner", nominal)
    officer = factories.IomOfficerFactory()
    yesterday = datetime.date.today() - datetime.timedelta(days=1)

    sign_in(page, submitter)
    page.goto(f"/cohort/{nominal.pk}/offending/")
    expect(page.get_by_role("link", name=re.compile("Intelligence to grade"))).to_have_count(0)
    page.get_by_role("link", name="Submit intelligence to the IOM unit").click()
    fill_date(page, "reported_on", yesterday)
    page.get_by_label("What you learnt").fill("SUBMITTED-3817: staying at a friend's flat.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Sent to the IOM unit")).to_be_visible()

    context = browser.new_context(base_url=live_server.url)
    outsider = context.new_page()
    sign_in(outsider, other_partner)
    outsider.goto(f"/cohort/{nominal.pk}/offending/")
    expect(outsider.get_by_role("heading", name=re.compile("^Offending"))).to_be_visible()
    expect(outsider.get_by_text("SUBMITTED-3817")).to_have_count(0)
    response = outsider.goto("/cohort/intelligence-submissions/")
    assert response is not None and response.status == 403
    context.close()

    context = browser.new_context(base_url=live_server.url)
    unit = context.new_page()
    sign_in(unit, officer)
    link = unit.get_by_role("link", name="Intelligence to grade (1 waiting)")
    expect(link).to_be_visible()
    link.click()
    expect(unit.get_by_role("heading", name="Intelligence waiting to be graded")).to_be_visible()
    unit.get_by_role("row").filter(has_text="Informed").get_by_role("link").click()
    expect(unit.get_by_role("definition").filter(has_text="SUBMITTED-3817")).to_be_visible()
    expect(unit.get_by_label("B: untested")).to_be_hidden()
    unit.get_by_label("Grade and accept as intelligence").check()
    expect(unit.get_by_label("Why it is rejected")).to_be_hidden()
    unit.get_by_label("B: untested").check()
    unit.get_by_label("3: known indirectly to the source", exact=True).check()
    unit.get_by_label("P: lawful sharing permitted", exact=True).check()
    unit.get_by_role("button", name="Save the decision").click()
    expect(unit.get_by_text("The decision was recorded.")).to_be_visible()
    expect(unit.get_by_role("link", name=re.compile("waiting"))).to_have_count(0)
    context.close()
