"""A referral from first form to the cohort list, in a real browser."""

import datetime

import pytest
from playwright.sync_api import expect

from iom.models import AgencyKind
from tests import factories
from tests.e2e.test_sign_in import sign_in

pytestmark = pytest.mark.browser


def test_a_police_user_refers_a_look_alike_and_the_panel_accepts_them(page, browser):
    police = factories.AgencyFactory(name="Demo Police", kind=AgencyKind.POLICE)
    officer = factories.IomOfficerFactory(agency=police)
    existing = factories.NominalFactory(
        first_names="Dorian", surname="Lookalike", date_of_birth=datetime.date(1991, 4, 5)
    )
    factories.PanelMeetingFactory(chair=officer, created_by=officer)
    sign_in(page, officer)

    # The referral form: a new person who looks like an existing record.
    page.goto("/referrals/new/")
    page.fill("#id_person-first_names", "Dorian")
    page.fill("#id_person-surname", "Lookalike")
    page.fill("#id_person-date_of_birth_0", "5")
    page.fill("#id_person-date_of_birth_1", "4")
    page.fill("#id_person-date_of_birth_2", "1991")
    page.get_by_label("Serious Acquisitive Crime").check()
    page.select_option("#id_proposed_lead_agency", label="Demo Police")
    page.fill("#id_reasons", "Five dwelling burglaries since his release in the spring.")
    page.get_by_role("button", name="Send the referral").click()

    # The match screen: the officer recognises the existing record and picks it.
    expect(page.get_by_text("This person may already have a record")).to_be_visible()
    page.get_by_label(existing.listed_name, exact=False).check()
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_role("heading", name="Dorian Lookalike")).to_be_visible()

    # The panel accepts the referral.
    page.goto("/referrals/panels/")
    page.get_by_role("link", name=datetime.date.today().strftime("%-d %B %Y")).click()
    expect(page.get_by_text("Now deciding: Dorian Lookalike")).to_be_visible()
    page.get_by_label("Accept").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Accept: Dorian Lookalike")).to_be_visible()

    # The person is on the cohort with the stream and lead agency of the referral.
    page.goto("/cohort/?stream=sac")
    row = page.get_by_role("row").filter(has_text="Lookalike")
    expect(row).to_contain_text("SAC")
    expect(row).to_contain_text("Police")

    # A partner worker of an agency the record is not shared with sees none of it.
    outsider = factories.UserFactory(
        agency=factories.AgencyFactory(name="Unrelated Housing", kind=AgencyKind.HOUSING)
    )
    context = browser.new_context(base_url=page.url.split("/cohort")[0])
    partner = context.new_page()
    sign_in(partner, outsider)
    partner.goto("/cohort/?q=Lookalike")
    expect(partner.get_by_text("No one found")).to_be_visible()
    partner.goto("/referrals/?status=")
    expect(partner.get_by_text("Lookalike")).to_have_count(0)
    partner.goto(f"/cohort/{existing.pk}/")
    expect(partner.get_by_role("heading", name="Page not found")).to_be_visible()
    context.close()
