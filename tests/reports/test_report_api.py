"""The reports API: managers read the figures and the stored reports and download their
files; everyone else is refused."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from iom.models import AuditEvent
from reports import monthly
from reports.measures.periods import last_month
from reports.models import CohortReport
from tests import factories

from .cohort_factories import member
from .factories import ReadyDocumentFactory


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def report(db, manager, django_capture_on_commit_callbacks):
    period = last_month(timezone.localdate())
    member(period.start - datetime.timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        built = monthly.request_report(start=period.start, end=period.end, by=manager)
    built.refresh_from_db()
    return built


def test_manager_reads_the_dashboard_figures(api, manager, report):
    api.force_authenticate(manager)
    period = last_month(timezone.localdate())
    response = api.get("/api/report-figures/", {"month": f"{period.start:%Y-%m}"})
    assert response.status_code == 200
    assert response.json()["tables"][0]["rows"] == report.figures["tables"][0]["rows"]


def test_manager_lists_reads_and_downloads_a_report(api, manager, report):
    api.force_authenticate(manager)
    listed = api.get("/api/cohort-reports/").json()["results"]
    assert [item["id"] for item in listed] == [report.pk]
    detail = api.get(f"/api/cohort-reports/{report.pk}/").json()
    assert detail["figures"]["tables"][0]["key"] == "cohort-by-month"
    response = api.get(f"/api/cohort-reports/{report.pk}/download/xlsx/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert AuditEvent.objects.filter(action="disclosure", disclosure_format="xlsx").exists()


@pytest.mark.parametrize("role", ["officer", "partner"])
def test_officers_and_partner_workers_are_refused_the_reports_api(api, role, report):
    user = factories.IomOfficerFactory() if role == "officer" else factories.UserFactory()
    api.force_authenticate(user)
    for url in (
        "/api/report-figures/",
        "/api/cohort-reports/",
        f"/api/cohort-reports/{report.pk}/",
        f"/api/cohort-reports/{report.pk}/download/pdf/",
    ):
        assert api.get(url).status_code == 403


def test_the_reports_endpoints_are_in_the_openapi_schema(api, manager):
    api.force_authenticate(manager)
    text = api.get("/api/schema/").content.decode()
    assert "/api/report-figures/" in text
    assert "/api/cohort-reports/{id}/download/{file_format}/" in text


def test_a_report_with_a_named_annex_is_hidden_from_other_managers(api, report):
    CohortReport.objects.filter(pk=report.pk).update(with_annex=True)
    api.force_authenticate(factories.ManagerFactory())
    assert api.get(f"/api/cohort-reports/{report.pk}/").status_code == 404


def test_a_file_is_downloaded_by_its_format_suffix_url_too(api, manager, report):
    """The router adds ``.json`` URLs to every action: a download there is the file, not a
    server error."""
    api.force_authenticate(manager)
    response = api.get(f"/api/cohort-reports/{report.pk}/download/csv.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    figures = api.get("/api/report-figures.json")
    assert figures.status_code == 200
    assert figures["Content-Type"].startswith("application/json") and figures.json()


def test_a_document_is_downloaded_by_its_format_suffix_url_too(api, officer, db):
    document = ReadyDocumentFactory()
    api.force_authenticate(officer)
    response = api.get(f"/api/documents/{document.pk}/download.json")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
