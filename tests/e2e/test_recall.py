"""Recording tests on licence, starting a recall and downloading the recall pack, in a real
browser."""

import datetime
import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests import factories
from tests.controls.factories import LicenceConditionFactory, LicenceFactory
from tests.e2e.test_sign_in import sign_in

pytestmark = pytest.mark.browser


def fill_date(page, prefix: str, day: datetime.date) -> None:
    page.fill(f"#id_{prefix}_0", str(day.day))
    page.fill(f"#id_{prefix}_1", str(day.month))
    page.fill(f"#id_{prefix}_2", str(day.year))


def record_positive_test(page, nominal, day: datetime.date) -> None:
    page.goto(f"/cohort/{nominal.pk}/controls/")
    page.get_by_role("button", name="Record a drug test").click()
    fill_date(page, "tested_on", day)
    page.get_by_label("Positive for Class A").check()
    page.get_by_label("Class A drugs found").fill("Heroin")
    page.get_by_role("button", name="Record test result").click()
    expect(page.get_by_text("The test result was recorded.")).to_be_visible()


def test_officer_reaches_the_threshold_recalls_and_downloads_the_pack(page):
    officer = factories.IomOfficerFactory()
    licence = LicenceFactory(created_by=officer)
    LicenceConditionFactory(licence=licence, text="Attend drug testing every Tuesday.")
    nominal = licence.nominal
    today = datetime.date.today()

    sign_in(page, officer)
    for days_ago in (6, 4):
        record_positive_test(page, nominal, today - datetime.timedelta(days=days_ago))
    expect(page.get_by_role("heading", name="Recall threshold reached")).to_have_count(0)
    record_positive_test(page, nominal, today - datetime.timedelta(days=1))
    expect(page.get_by_role("heading", name="Recall threshold reached")).to_be_visible()

    page.get_by_role("link", name="Record the breach").click()
    page.get_by_label("Evidence").fill("Third positive test for heroin on licence.")
    page.get_by_role("button", name="Record breach").click()
    page.get_by_role("link", name="Start a recall from the breach").first.click()
    page.get_by_label("Why is recall being sought?").fill("Three positive tests for heroin.")
    page.get_by_label("Recommendation").fill("Standard recall, arrest today.")
    page.get_by_label("Why the warnings were skipped").fill("Test on licence: recall at three.")
    page.get_by_role("button", name="Start recall").click()
    page.get_by_role("button", name=re.compile("Done now.*Probation contacted")).click()
    expect(page.get_by_text("The step was ticked.")).to_be_visible()

    page.get_by_role("link", name="Generate the licence recall pack").click()
    page.get_by_label("Licence recall pack").check()
    page.get_by_role("button", name="Produce the document").click()
    expect(page.get_by_text("The document is ready")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the PDF").click()
    with open(download_info.value.path(), "rb") as pdf:
        content = pdf.read()
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(content)).pages]
    text = " ".join(" ".join(pages).split())
    assert "Attend drug testing every Tuesday (test on licence)." in text
    assert "Third positive test for heroin on licence." in text
    assert "Standard recall, arrest today." in text
    assert all("OFFICIAL-SENSITIVE" in p and nominal.surname.upper() in p for p in pages)


def test_three_positive_tests_then_consider_a_recall_countersign_and_recall(
    page, browser, live_server
):
    officer = factories.IomOfficerFactory()
    manager = factories.ManagerFactory()
    licence = LicenceFactory(created_by=officer)
    nominal = licence.nominal
    today = datetime.date.today()

    sign_in(page, officer)
    for days_ago in (7, 4, 1):
        record_positive_test(page, nominal, today - datetime.timedelta(days=days_ago))
    expect(page.get_by_role("heading", name="Recall threshold reached")).to_be_visible()
    page.get_by_role("link", name="Record the breach").click()
    page.get_by_label("Evidence").fill("Third positive test for heroin on licence.")
    page.get_by_role("button", name="Record breach").click()
    page.get_by_role("link", name="Start a recall from the breach").first.click()
    page.get_by_label("Why is recall being sought?").fill("Three positive tests for heroin.")
    page.get_by_label("Why the warnings were skipped").fill("Test on licence: recall at three.")
    page.get_by_role("button", name="Start recall").click()

    # Consider a recall: the three tests are offered from the record, already ticked.
    page.get_by_role("link", name="Consider a recall: record the decision").click()
    offered = page.get_by_role("checkbox", name=re.compile(r"Positive for Class A \(Heroin\)"))
    expect(offered).to_have_count(3)
    for index in range(3):
        expect(offered.nth(index)).to_be_checked()
    page.get_by_label("Risk has increased", exact=True).check()
    page.get_by_label("Standard recall").check()
    page.get_by_label("Rationale for the decision").fill("Three positive tests: risk is rising.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("A manager of the IOM unit must countersign it.")).to_be_visible()
    expect(page.get_by_role("button", name="Countersign the decision")).to_have_count(0)
    recall_url = page.url

    # The manager countersigns in a session of their own.
    context = browser.new_context(base_url=live_server.url)
    manager_page = context.new_page()
    sign_in(manager_page, manager)
    manager_page.goto(recall_url)
    manager_page.get_by_label("Your rationale as countersigning manager").fill(
        "Agreed: standard recall."
    )
    manager_page.get_by_role("button", name="Countersign the decision").click()
    expect(manager_page.get_by_text("Awaiting return to custody").first).to_be_visible()
    context.close()

    # The officer goes on with the recall, each step at the time it was done.
    page.goto(recall_url)
    for step in ("Probation contacted", "Recall paperwork completed"):
        page.get_by_role("button", name=re.compile(f"Done now.*{step}")).click()
        expect(page.get_by_text("The step was ticked.")).to_be_visible()
    page.get_by_label("Step", exact=True).select_option(label="Arrested and returned to custody")
    page.get_by_role("button", name="Record the step").click()
    expect(page.get_by_text("The step was ticked.")).to_be_visible()
    expect(page.get_by_text("Returned to custody").first).to_be_visible()
    # The return to custody has its consequences: a recall custody period, the licence recalled.
    assert nominal.custody_periods.get().kind == "recall"
    licence.refresh_from_db()
    assert licence.recalled_on == today
    recall = nominal.recalls.get()
    assert recall.status == "returned"
    assert recall.countersigned_by == manager
    assert recall.alternatives.filter(kind="drug-test").count() == 3
