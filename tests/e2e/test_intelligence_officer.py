"""The intelligence officer's job, in a real browser: record what was learnt about someone
not on the cohort, a manager runs the ranking, and the person is an emerging threat."""

import datetime

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.test_recall import fill_date
from tests.e2e.test_sign_in import sign_in

pytestmark = pytest.mark.browser


def record_arrest(page, nominal, day: datetime.date) -> None:
    page.goto(f"/cohort/{nominal.pk}/offending/")
    page.get_by_role("link", name="Record an arrest").click()
    fill_date(page, "arrested_on", day)
    page.get_by_label("Offence", exact=True).select_option(label="Burglary in a dwelling (28A)")
    page.get_by_label("Evidence").check()
    page.get_by_label("Location").fill("Belgrave Road")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The arrest was recorded.")).to_be_visible()


def test_officer_records_offending_and_the_person_becomes_an_emerging_threat(
    page, browser, live_server
):
    officer = factories.IomOfficerFactory()
    manager = factories.ManagerFactory()
    nominal = factories.NominalFactory(surname="Prolific")
    day = datetime.date.today() - datetime.timedelta(days=2)

    sign_in(page, officer)
    record_arrest(page, nominal, day)
    record_arrest(page, nominal, day - datetime.timedelta(days=1))

    page.get_by_role("link", name="Record a detected offence").click()
    fill_date(page, "committed_on", day)
    page.get_by_label("Offence", exact=True).select_option(label="Burglary in a dwelling (28A)")
    page.get_by_label("Charged").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The detected offence was recorded.")).to_be_visible()

    page.get_by_role("link", name="Record intelligence").click()
    fill_date(page, "reported_on", day)
    page.get_by_label("Police", exact=True).check()
    page.get_by_label("Offence it is about").select_option(label="Burglary in a dwelling (28A)")
    page.get_by_label("What the report says").fill("Seen carrying tools near Belgrave Road.")
    page.get_by_label("B: untested").check()
    page.get_by_label("2: known indirectly to the source but corroborated").check()
    page.get_by_label("P: lawful sharing permitted").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The intelligence report was recorded.")).to_be_visible()
    expect(page.get_by_role("cell", name="B2P")).to_be_visible()

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
