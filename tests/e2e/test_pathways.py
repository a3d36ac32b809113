"""A drug-service worker's day, in a real browser: their people, a treatment appointment on
Drugs & Alcohol, no way to act on Accommodation, and their overdue reviews on My work."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.test_sign_in import sign_in
from tests.pathways import factories as pf

pytestmark = pytest.mark.browser


def test_drug_worker_logs_a_treatment_appointment_and_sees_overdue_reviews(page):
    drugs = pf.drug_service()
    worker = pf.worker_of(drugs)
    member = pf.member_shared_with(drugs, nominal__surname="Quillfeather")
    stranger = pf.member_shared_with(pf.housing_service(), nominal__surname="Outlander")
    review = pf.pathway_of(member, "drugs-alcohol")
    review.contact_agency, review.contact_worker = drugs, worker
    review.review_date = datetime.date(2020, 3, 2)
    review.save()

    sign_in(page, worker)
    expect(page.get_by_role("heading", name="Cohort", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Quillfeather")
    expect(page.locator("main")).not_to_contain_text(stranger.surname)

    page.goto(f"/pathways/{member.pk}/")
    card = page.locator("#pathway-drugs-alcohol")
    card.get_by_role("link", name="Add action on Drugs & Alcohol").click()
    page.get_by_label("What is to be done").fill("Treatment appointment with the key worker")
    page.locator("#id_due_on_0").fill("3")
    page.locator("#id_due_on_1").fill("12")
    page.locator("#id_due_on_2").fill("2026")
    page.get_by_role("button", name="Add action").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Drugs & Alcohol")
    expect(page.locator(".moj-timeline")).to_contain_text(
        "Treatment appointment with the key worker"
    )

    expect(page.locator("#pathway-accommodation").get_by_role("link")).to_have_count(0)
    response = page.goto(f"/pathways/{member.pk}/accommodation/actions/new/")
    assert response.status == 403

    page.goto("/")
    page.get_by_role("link", name="My work").click()
    overdue = page.locator("#overdue")
    expect(overdue).to_contain_text("Overdue")
    expect(page.locator("main")).to_contain_text("Quillfeather")
    expect(page.locator("main table").first).to_contain_text("Drugs & Alcohol")
