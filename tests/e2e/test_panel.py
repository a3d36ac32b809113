"""From emerging threats to the panel, in a real browser: the referral prefilled from the
ranking, the agenda with each person's figures, an acceptance with the stream amended and an
action that lands in its owner's My work."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from cohorts.risk import services as risk_services
from iom.models import AgencyKind, Team
from tests import factories
from tests.e2e.test_sign_in import sign_in
from tests.risk import factories as risk

pytestmark = pytest.mark.browser
TODAY = datetime.date.today()


def _burglar(first_names: str, surname: str, police, count: int = 3):
    nominal = factories.NominalFactory(first_names=first_names, surname=surname, lead_agency=police)
    for n in range(count):
        risk.DetectedOffenceFactory(
            nominal=nominal,
            committed_on=TODAY - datetime.timedelta(days=5 + n),
            offence_type=risk.offence_type("28A"),
        )
    return nominal


def test_an_emerging_threat_is_referred_prefilled_and_accepted_on_another_stream(page):
    officer = factories.IomOfficerFactory()
    police = officer.agency
    assert police.kind == AgencyKind.POLICE
    _burglar("Rhys", "Risingstar", police)
    already = _burglar("Ada", "Alreadyreferred", police, count=4)
    earlier = factories.ReferralFactory(nominal=already, referring_agency=police)
    risk_services.rerank(TODAY)
    factories.PanelMeetingFactory(chair=officer, created_by=officer)
    sign_in(page, officer)

    # Emerging threats: the person already referred shows that referral, not "Refer".
    page.goto("/cohort/emerging-threats/")
    referred_row = page.get_by_role("row").filter(has_text="Alreadyreferred")
    expect(referred_row).to_contain_text(earlier.reference)
    expect(referred_row).to_contain_text("Awaiting panel")
    expect(referred_row.get_by_role("link", name=re.compile(r"^Refer "))).to_have_count(0)
    rising_row = page.get_by_role("row").filter(has_text="Risingstar")
    rising_row.get_by_role("link", name="Refer Rhys Risingstar").click()

    # The referral form is filled in from the ranking: stream, lead agency and reasons.
    expect(page.locator("#prefill")).to_contain_text("filled in from the ranking")
    expect(page.get_by_label("Serious Acquisitive Crime")).to_be_checked()
    expect(page.locator("#id_proposed_lead_agency option:checked")).to_have_text(police.name)
    expect(page.locator("#id_reasons")).to_contain_text("burglaries (dwelling) detected")
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_role("heading", name="Rhys Risingstar")).to_be_visible()

    # The panel's agenda lists each referral with its figures and the referrer's reasons.
    page.goto("/referrals/panels/")
    page.get_by_role("link", name=TODAY.strftime("%-d %B %Y")).click()
    agenda = page.locator("table").first
    row = agenda.get_by_role("row").filter(has_text="Risingstar")
    expect(row).to_contain_text("3 offences detected")
    expect(row).to_contain_text("burglaries (dwelling) detected")
    expect(row.locator(".govuk-tag").first).to_be_visible()
    row.get_by_role("link", name="Risingstar", exact=False).click()
    expect(page.get_by_text("Now deciding: Rhys Risingstar")).to_be_visible()

    # Accepted on another stream than proposed, with the reason, minutes and an action.
    page.get_by_label("Accept").check()
    page.get_by_label("Minutes (optional)").fill("Agreed to take him on.")
    page.select_option("#id_stream", label="Prolific and Priority Offender")
    page.get_by_label("Why the panel changed the stream or lead agency").fill(
        "He is on the force's PPO list"
    )
    page.fill("#id_action_title", "Arrange a joint home visit")
    page.select_option("#id_action_owner", label=f"{officer} ({police})")
    due = TODAY + datetime.timedelta(days=7)
    page.fill("#id_action_due_on_0", str(due.day))
    page.fill("#id_action_due_on_1", str(due.month))
    page.fill("#id_action_due_on_2", str(due.year))
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Accept: Rhys Risingstar")).to_be_visible()
    expect(page.get_by_text("Amended: Prolific and Priority Offender, not Serious")).to_be_visible()
    actions = page.locator("table").filter(has_text="Arrange a joint home visit")
    expect(actions).to_contain_text(due.strftime("%-d %b %Y"))

    # The person is on the cohort on the stream decided.
    page.goto("/cohort/?stream=ppo")
    expect(page.get_by_role("row").filter(has_text="Risingstar")).to_be_visible()

    # The action is in its owner's My work, with its date.
    page.goto("/reports/my-work/")
    task_row = page.get_by_role("row").filter(has_text="Arrange a joint home visit")
    expect(task_row).to_contain_text(due.strftime("%-d %b %Y"))
    expect(task_row).to_contain_text("Panel action")

    # A partner of another agency reaches none of the panel.
    outsider = factories.UserFactory(
        agency=factories.AgencyFactory(name="Unrelated Housing", kind=AgencyKind.HOUSING),
        team=Team.objects.filter(is_iom_unit=False).first(),
    )
    context = page.context.browser.new_context(base_url=page.url.split("/reports/")[0])
    partner = context.new_page()
    sign_in(partner, outsider)
    response = partner.goto("/referrals/panels/")
    assert response.status == 403
    context.close()
