"""The risk pages cost the same number of SQL queries however many rows are behind them."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.risk import services
from tests import factories
from tests.risk import factories as risk

TODAY = datetime.date.today()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _history(nominal, size: int) -> None:
    for n in range(size):
        day = TODAY - datetime.timedelta(days=n)
        risk.DetectedOffenceFactory(nominal=nominal, committed_on=day)
        risk.ArrestFactory(nominal=nominal, arrested_on=day)
        risk.IntelligenceReportFactory(nominal=nominal, reported_on=day)
        risk.DynamicFactorFactory(nominal=nominal, started_on=day)


def _runs(days: range) -> None:
    for n in days:
        services.rerank(TODAY - datetime.timedelta(days=n))


def test_the_risk_section_costs_the_same_with_a_short_and_a_long_history(client, officer):
    nominal = factories.members(1)[0]
    risk.RiskOverrideFactory(nominal=nominal)
    client.force_login(officer)
    _history(nominal, 2)
    _runs(range(2))
    url = reverse("cohorts:risk", kwargs={"pk": nominal.pk})
    small = _queries(client, url)
    _history(nominal, 20)
    _runs(range(2, 20))
    assert _queries(client, url) == small


def test_the_offending_section_costs_the_same_with_a_short_and_a_long_history(client, officer):
    nominal = factories.members(1)[0]
    client.force_login(officer)
    _history(nominal, 2)
    url = reverse("cohorts:offending", kwargs={"pk": nominal.pk})
    small = _queries(client, url)
    _history(nominal, 20)
    assert _queries(client, url) == small


def _emerging(count: int) -> None:
    for _ in range(count):
        nominal = factories.NominalFactory()
        for _ in range(3):
            risk.DetectedOffenceFactory(nominal=nominal, committed_on=TODAY)


def test_emerging_threats_cost_the_same_with_3_and_30_people(client, officer):
    client.force_login(officer)
    _emerging(3)
    services.rerank(TODAY)
    small = _queries(client, reverse("cohorts:emerging-threats"))
    _emerging(27)
    services.rerank(TODAY)
    assert _queries(client, reverse("cohorts:emerging-threats")) == small


def test_the_cohort_list_with_the_risk_column_costs_the_same_with_5_and_50_members(client, officer):
    client.force_login(officer)

    def cohort(size):
        for nominal in factories.members(size):
            risk.DetectedOffenceFactory(nominal=nominal, committed_on=TODAY)
            risk.RiskOverrideFactory(nominal=nominal, set_by=officer)
        services.rerank(TODAY)

    cohort(5)
    url = reverse("cohorts:list") + "?sort=rank&risk=red"
    small = _queries(client, url)
    cohort(45)
    assert _queries(client, url) == small


def _offending_rows(nominal, size: int) -> None:
    """``size`` of each list the Offending section pages, a partner's submission included."""
    from cohorts.risk.models import IntelligenceSubmission

    for n in range(size):
        day = TODAY - datetime.timedelta(days=n)
        risk.DetectedOffenceFactory(nominal=nominal, committed_on=day)
        risk.ArrestFactory(nominal=nominal, arrested_on=day)
        risk.IntelligenceReportFactory(nominal=nominal, reported_on=day)
    submitter = factories.IomOfficerFactory()
    IntelligenceSubmission.objects.bulk_create(
        IntelligenceSubmission(nominal=nominal, agency=submitter.agency, submitted_by=submitter,
                               reported_on=TODAY, summary=f"Submission {n}")
        for n in range(size)
    )  # fmt: skip


def test_the_offending_section_costs_the_same_with_10_and_200_rows_of_each(client, officer):
    small, large = factories.members(2)
    _offending_rows(small, 10)
    _offending_rows(large, 200)
    client.force_login(officer)
    counts = [
        _queries(client, reverse("cohorts:offending", kwargs={"pk": person.pk}))
        for person in (small, large)
    ]
    assert counts[0] == counts[1]
    shown = [
        _queries(client, reverse("cohorts:offending", kwargs={"pk": person.pk}) + "?show=arrests")
        for person in (small, large)
    ]
    assert shown[0] == shown[1]


def test_the_offending_section_pages_a_long_list(client, officer):
    nominal = factories.members(1)[0]
    _offending_rows(nominal, 45)
    client.force_login(officer)
    url = reverse("cohorts:offending", kwargs={"pk": nominal.pk})
    assert "All 45 arrests" in client.get(url).content.decode()
    body = client.get(url, {"show": "arrests", "page": 3}).content.decode()
    assert "Showing <strong>41</strong> to <strong>45</strong> of <strong>45</strong>" in body
