"""OGRS3 where officers see it: the Risk section, the cohort list, emerging threats and the API."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.risk import services
from cohorts.risk.models import Ogrs3Correction
from iom.models import AuditEvent
from tests import factories
from tests.risk.ogrs3_factories import sanction

TODAY = datetime.date.today()
DAYS = datetime.timedelta(days=1)


@pytest.fixture
def scored(db):
    nominal = factories.members(1)[0]
    sanction(nominal, TODAY - 900 * DAYS, code="46")
    sanction(nominal, TODAY - 30 * DAYS, code="45")
    services.rerank(TODAY)
    return nominal


@pytest.fixture
def unscored(db):
    nominal = factories.members(1)[0]
    services.rerank(TODAY)
    return nominal


@pytest.fixture
def to_check(db):
    """Scored, but the first sanction is dated when the person was 9."""
    born = TODAY.replace(year=TODAY.year - 25) - 3 * DAYS
    nominal = factories.members(1, nominal__date_of_birth=born, nominal__gender="male")[0]
    sanction(nominal, born.replace(year=born.year + 9) + 30 * DAYS, code="46")
    sanction(nominal, TODAY - 30 * DAYS, code="45")
    services.rerank(TODAY)
    return nominal


def _risk_page(client, nominal) -> str:
    return client.get(reverse("cohorts:risk", kwargs={"pk": nominal.pk})).content.decode()


def test_the_risk_section_shows_ogrs3_percentages_band_and_inputs_with_sources(
    client, officer, scored
):
    client.force_login(officer)
    body = _risk_page(client, scored)
    assert "Likelihood of reoffending (OGRS3)" in body
    assert "Within 2 years" in body and "Of 100 people" in body
    assert "Theft from a vehicle (Theft from a vehicle)" in body
    assert "From the offending history" in body


def test_the_risk_section_says_which_input_is_missing_and_shows_no_score(client, officer, unscored):
    client.force_login(officer)
    body = _risk_page(client, unscored)
    assert "Cannot score: missing date of the current conviction or caution" in body
    assert "Within 2 years" not in body


def test_an_officer_records_an_input_on_the_risk_section_and_it_is_audited(
    client, officer, unscored
):
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:risk-ogrs3", kwargs={"pk": unscored.pk}),
        {"action": "correct", "field": "previous_sanctions", "count_value": "4",
         "reason": "PNC print"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Ogrs3Correction.objects.get(nominal=unscored).value == "4"
    assert (
        AuditEvent.objects.about(unscored)
        .filter(action="alteration", changes={"previous_sanctions": [None, "4"]})
        .exists()
    )


def test_a_correction_without_its_value_is_refused_naming_the_field(client, officer, unscored):
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:risk-ogrs3", kwargs={"pk": unscored.pk}),
        {"action": "correct", "field": "first_sanction_date", "reason": "PNC print"},
    )
    assert response.status_code == 400
    assert "Enter the date of the first sanction" in response.content.decode()
    assert not Ogrs3Correction.objects.exists()


def test_the_corrected_input_shows_who_recorded_it_after_the_next_run(client, officer, scored):
    client.force_login(officer)
    client.post(
        reverse("cohorts:risk-ogrs3", kwargs={"pk": scored.pk}),
        {"action": "correct", "field": "previous_sanctions", "count_value": "6",
         "reason": "Sanctions from another force"},
    )  # fmt: skip
    services.rerank(TODAY)
    body = _risk_page(client, scored)
    assert f"Recorded by {officer}" in body
    assert "6 on earlier days" in body


def test_the_risk_section_scores_a_first_sanction_at_nine_and_asks_to_check_it(
    client, officer, to_check
):
    client.force_login(officer)
    body = _risk_page(client, to_check)
    assert "Within 2 years" in body
    assert "Check the inputs before relying on this score" in body
    assert "under the age of criminal responsibility (10)" in body


def test_a_score_without_anything_to_check_shows_no_warning(client, officer, scored):
    client.force_login(officer)
    assert "Check the inputs before relying" not in _risk_page(client, scored)


def test_the_cohort_list_marks_a_score_to_check(client, officer, to_check, scored):
    client.force_login(officer)
    body = client.get(reverse("cohorts:list")).content.decode()
    assert body.count("Check inputs") == 1


def test_the_api_gives_the_reason_to_check_a_score(client, officer, to_check):
    client.force_login(officer)
    data = client.get("/api/risk-assessments/", {"nominal": to_check.pk}).json()
    row = data["results"][0] if "results" in data else data[0]
    assert row["ogrs3"]["two_year_percent"] is not None
    assert "check the date of birth" in row["ogrs3"]["check_reason"]


def test_the_api_returns_ogrs3_with_the_assessment(client, officer, scored):
    client.force_login(officer)
    data = client.get("/api/risk-assessments/", {"nominal": scored.pk}).json()
    row = data["results"][0] if "results" in data else data[0]
    assert row["ogrs3"]["band"] in {"low", "medium", "high", "very_high"}
    assert row["ogrs3"]["inputs"]["previous_sanctions"] == {"value": 1, "source": "record"}
    assert row["ogrs3"]["check_reason"] == ""
    assert row["ogrs3_cannot_score"] is None


def test_the_api_returns_null_with_a_reason_when_ogrs3_cannot_be_scored(client, officer, unscored):
    client.force_login(officer)
    data = client.get("/api/risk-assessments/", {"nominal": unscored.pk}).json()
    row = data["results"][0] if "results" in data else data[0]
    assert row["ogrs3"] is None
    assert row["ogrs3_cannot_score"].startswith("Cannot score: missing date of the current")


def test_the_cohort_list_filters_by_ogrs3_band(client, officer, scored, unscored):
    client.force_login(officer)
    body = client.get(reverse("cohorts:list"), {"ogrs3": "unscored"}).content.decode()
    assert unscored.surname in body
    assert scored.surname not in body or scored.surname == unscored.surname


def test_the_cohort_list_sorts_by_ogrs3(client, officer, scored, unscored):
    client.force_login(officer)
    response = client.get(reverse("cohorts:list"), {"sort": "ogrs3"})
    assert response.status_code == 200
    assert "OGRS3" in response.content.decode()


def test_emerging_threats_show_and_filter_by_ogrs3_band(client, officer, db):
    threat = factories.NominalFactory()
    for n in range(4):
        sanction(threat, TODAY - (10 + n) * DAYS, code="28A")
    services.rerank(TODAY)
    client.force_login(officer)
    url = reverse("cohorts:emerging-threats")
    shown = client.get(url, {"sort": "ogrs3"}).content.decode()
    assert threat.surname in shown and "in 2 years" in shown
    hidden = client.get(url, {"ogrs3": "unscored"}).content.decode()
    assert threat.surname not in hidden


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_the_risk_section_with_ogrs3_costs_the_same_with_few_and_many_corrections(
    client, officer, scored
):
    from cohorts.risk.ogrs3 import services as ogrs3_services

    client.force_login(officer)
    url = reverse("cohorts:risk", kwargs={"pk": scored.pk})
    ogrs3_services.correct_input(scored, by=officer, field="previous_sanctions", value=3,
                                 reason="PNC")  # fmt: skip
    services.rerank(TODAY)
    small = _count(client, url)
    for field, value in [("conviction_date", TODAY - 30 * DAYS),
                         ("first_sanction_date", TODAY - 1000 * DAYS),
                         ("offence_category", "robbery")]:  # fmt: skip
        ogrs3_services.correct_input(scored, by=officer, field=field, value=value, reason="PNC")
    services.rerank(TODAY)
    assert _count(client, url) == small


def test_the_cohort_list_with_ogrs3_costs_the_same_with_5_and_50_members(client, officer, db):
    client.force_login(officer)

    def cohort(size):
        for nominal in factories.members(size):
            sanction(nominal, TODAY - 30 * DAYS)
        services.rerank(TODAY)

    cohort(5)
    url = reverse("cohorts:list")
    small = _count(client, url, {"sort": "ogrs3", "ogrs3": "low"})
    cohort(45)
    assert _count(client, url, {"sort": "ogrs3", "ogrs3": "low"}) == small
