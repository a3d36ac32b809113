"""The cohort list's Risk column: band tag with override marker, filter by band, sort by rank."""

import datetime

from django.urls import reverse

from cohorts.risk import services
from tests import factories
from tests.risk import factories as risk

TODAY = datetime.date.today()


def _cohort():
    high, low, overridden = factories.members(3)
    for _ in range(4):
        risk.DetectedOffenceFactory(nominal=high, committed_on=TODAY)
    risk.DetectedOffenceFactory(
        nominal=low, committed_on=TODAY, offence_type=risk.offence_type("46")
    )
    risk.DetectedOffenceFactory(nominal=overridden, committed_on=TODAY)
    services.rerank(TODAY)
    risk.RiskOverrideFactory(nominal=overridden, band="red")
    return high, low, overridden


def test_the_risk_column_shows_the_band_and_marks_an_override(client, officer):
    _cohort()
    client.force_login(officer)
    body = client.get(reverse("cohorts:list")).content.decode()
    assert "govuk-tag--red" in body and "govuk-tag--green" in body
    assert "Overridden (computed green)" in body


def test_the_cohort_list_filters_by_the_band_officers_work_to(client, officer):
    high, low, overridden = _cohort()
    client.force_login(officer)
    body = client.get(reverse("cohorts:list"), {"risk": "red"}).content.decode()
    assert high.surname in body and overridden.surname in body
    assert low.surname not in body


def test_the_cohort_list_sorts_by_rank(client, officer):
    high, low, overridden = _cohort()
    client.force_login(officer)
    body = client.get(reverse("cohorts:list"), {"sort": "rank"}).content.decode()
    assert body.index(high.surname) < body.index(overridden.surname) < body.index(low.surname)
    body = client.get(reverse("cohorts:list"), {"sort": "-rank"}).content.decode()
    assert body.index(low.surname) < body.index(high.surname)
