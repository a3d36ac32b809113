"""A member due out in 14 days: the countdown, a day-of-release plan, then the release, in a
real browser. The OGRS3 follow-up starts from the release and the plan's open items become
pathway actions."""

import datetime

import pytest
from playwright.sync_api import expect

from cohorts.risk import custody, services
from iom.models import AgencyKind
from tests import factories
from tests.e2e.test_recall import fill_date
from tests.e2e.test_sign_in import sign_in
from tests.risk.ogrs3_factories import sanction

pytestmark = pytest.mark.browser
DAYS = datetime.timedelta(days=1)


def test_a_member_due_out_is_planned_for_and_released(page):
    officer = factories.IomOfficerFactory()
    health = factories.AgencyFactory(name="Demoford Health", kind=AgencyKind.HEALTH)
    factories.AgencyFactory(name="Brookvale Homes", kind=AgencyKind.HOUSING)
    nominal = factories.members(1)[0]
    today = datetime.date.today()
    sanction(nominal, today - 400 * DAYS, code="28A")
    custody.open_custody_period(
        nominal, kind="sentence", starts_on=today - 399 * DAYS, by=officer,
        expected_release_on=today + 14 * DAYS, establishment="HMP Demoford",
    )  # fmt: skip

    sign_in(page, officer)
    page.goto("/reports/my-work/")
    releases = page.get_by_role("row").filter(has_text="Release from custody")
    expect(releases.get_by_text("due out in 14 days")).to_be_visible()
    expect(releases.get_by_text("No plan")).to_be_visible()
    releases.get_by_role("link", name=nominal.surname).first.click()

    expect(page.locator("#countdown")).to_have_text("due out in 14 days")
    for item, agency, days in (
        ("GP appointment", "Demoford Health", 16),
        ("Accommodation on release", "Brookvale Homes", 7),
    ):
        page.get_by_text("Add an item to the plan").click()
        page.get_by_label("Item of the plan").select_option(label=item)
        page.get_by_label("Agency responsible").select_option(label=agency)
        fill_date(page, "due_on", today + days * DAYS)
        page.get_by_role("button", name="Add to the plan").click()
        expect(page.get_by_text("The item was added to the day-of-release plan.")).to_be_visible()
    plan = page.locator("#plan + table")
    expect(plan.get_by_role("rowheader")).to_have_text(
        ["Accommodation on release", "GP appointment"]
    )

    fill_date(page, "released_on", today)
    page.get_by_role("button", name="Record the release").click()
    expect(page.get_by_text("The release was recorded.")).to_be_visible()
    expect(page.get_by_text("The person is not in custody.")).to_be_visible()

    page.goto(f"/pathways/{nominal.pk}/")
    expect(page.get_by_text("GP appointment").first).to_be_visible()
    expect(page.get_by_text("Accommodation on release").first).to_be_visible()
    assert health.pathway_actions.filter(nominal=nominal, due_on=today + 16 * DAYS).exists()

    services.rerank(today)  # the nightly run
    page.goto(f"/cohort/{nominal.pk}/risk/")
    expect(
        page.get_by_text(f"counted from {today:%-d %B %Y} (the release from custody)")
    ).to_be_visible()
