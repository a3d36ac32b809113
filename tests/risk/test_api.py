"""The API: assessments and history filtered by access and logged as disclosures; runs for
managers."""

import datetime

import pytest
from django.urls import reverse

from cohorts.risk import services
from cohorts.risk.models import RankingRun, RiskModelVersion
from iom.models import AuditEvent
from tests import factories
from tests.risk import factories as risk

TODAY = datetime.date.today()


@pytest.fixture
def history(db):
    nominal = factories.members(1)[0]
    risk.DetectedOffenceFactory(nominal=nominal, committed_on=TODAY)
    risk.ArrestFactory(nominal=nominal, arrested_on=TODAY)
    risk.IntelligenceReportFactory(nominal=nominal, reported_on=TODAY)
    risk.CustodyPeriodFactory(nominal=nominal)
    risk.ResidencePeriodFactory(nominal=nominal)
    risk.DynamicFactorFactory(nominal=nominal)
    services.rerank(TODAY)
    return nominal


LISTS = [
    "risk-assessment-list", "detected-offence-list", "arrest-list", "intelligence-report-list",
    "custody-period-list", "residence-period-list", "dynamic-factor-list",
]  # fmt: skip


@pytest.mark.parametrize("url_name", LISTS)
def test_an_officer_reads_a_persons_rows_and_each_read_is_a_disclosure(
    client, officer, history, url_name
):
    client.force_login(officer)
    response = client.get(reverse(url_name), {"nominal": history.pk})
    assert response.status_code == 200
    assert [row["nominal"] for row in response.json()["results"]] == [history.pk]
    assert AuditEvent.objects.about(history).filter(action="disclosure").count() == 1


@pytest.mark.parametrize("url_name", LISTS)
def test_a_partner_sees_no_rows_of_people_not_shared_with_them(client, outsider, history, url_name):
    client.force_login(outsider)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_the_assessment_carries_its_contributions_and_model_version(client, officer, history):
    client.force_login(officer)
    row = client.get(reverse("risk-assessment-list")).json()["results"][0]
    assert row["model_version"] == RiskModelVersion.current().number
    assert {c["kind"] for c in row["contributions"]} >= {"detection", "custody"}


def test_a_manager_starts_a_run_through_the_api(
    client, manager, history, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ranking-run-list"))
    assert response.status_code == 202
    run = RankingRun.objects.get(pk=response.json()["id"])
    assert run.status == "succeeded"
    detail = client.get(reverse("ranking-run-detail", kwargs={"run_id": run.pk})).json()
    assert detail["people_scored"] == 1


def test_officers_cannot_start_or_list_runs_through_the_api(client, officer):
    client.force_login(officer)
    assert client.post(reverse("ranking-run-list")).status_code == 403
    assert client.get(reverse("ranking-run-list")).status_code == 403
    assert not RankingRun.objects.filter(kind="on-demand").exists()
