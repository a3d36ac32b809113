"""Signing in and finding a person, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.browser


def sign_in(page, user) -> None:
    page.goto("/sign-in/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_officer_signs_in_and_opens_a_nominal_from_the_cohort(page):
    officer = factories.IomOfficerFactory()
    nominal = factories.members(1)[0]
    stylesheets = {}
    page.on(
        "response",
        lambda response: (
            stylesheets.setdefault(response.url, response.status)
            if response.url.endswith("/static/build/app.css")
            else None
        ),
    )

    sign_in(page, officer)
    expect(page.get_by_role("heading", name="Cohort", exact=True)).to_be_visible()
    page.get_by_role("link", name=nominal.listed_name).click()

    expect(page).to_have_url(re.compile(rf"/cohort/{nominal.pk}/$"))
    expect(page.get_by_role("heading", name=nominal.full_name)).to_be_visible()
    for section in ("Summary", "Offending", "Risk"):
        expect(page.get_by_role("link", name=section, exact=True)).to_be_visible()
    assert list(stylesheets.values()) == [200], (
        f"app.css was not served (responses: {stylesheets}); run bin/setup to build the assets"
    )


def test_partner_of_an_unrelated_agency_gets_page_not_found_for_a_nominal(page, outsider):
    nominal = factories.NominalFactory()

    sign_in(page, outsider)
    response = page.goto(f"/cohort/{nominal.pk}/")

    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(nominal.surname)
    expect(page.locator("body")).not_to_contain_text(nominal.first_names)
