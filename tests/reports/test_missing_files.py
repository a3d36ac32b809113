"""A stored document or report file that has gone missing: a 404 page that offers to produce
it again, the attempt logged, nothing disclosed, and the next request builds it afresh."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from iom.models import AuditAction, AuditEvent
from reports import monthly
from reports.measures.periods import last_month
from reports.models import CohortReport, Document
from tests.reports.factories import ReadyDocumentFactory


@pytest.fixture
def lost_document(officer, nominal):
    document = ReadyDocumentFactory(nominal=nominal, requested_by=officer)
    default_storage.delete(document.file.name)
    return document


def _download(client, document):
    return client.get(reverse("reports:document-download", args=[document.nominal_id, document.pk]))


def test_a_missing_document_file_gives_a_404_page_that_offers_to_produce_it_again(
    client, officer, lost_document
):
    client.force_login(officer)
    response = _download(client, lost_document)
    assert response.status_code == 404
    page = response.content.decode()
    assert "The document's file cannot be found" in page
    assert f'action="{reverse("reports:documents", args=[lost_document.nominal_id])}"' in page
    assert 'name="kind" value="recall-pack"' in page
    assert "Produce the licence recall pack again" in page


def test_a_missing_document_file_is_logged_and_nothing_is_disclosed(client, officer, lost_document):
    client.force_login(officer)
    _download(client, lost_document)
    event = AuditEvent.objects.get(action=AuditAction.CONSULTATION, object_type="reports.Document")
    assert "stored file is missing" in event.description
    assert event.person_id == lost_document.nominal_id
    assert not AuditEvent.objects.filter(action=AuditAction.DISCLOSURE).exists()
    lost_document.refresh_from_db()
    assert lost_document.status == "failed"


def test_the_offered_form_produces_the_document_again(
    client, officer, lost_document, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    _download(client, lost_document)
    url = reverse("reports:documents", args=[lost_document.nominal_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"kind": "recall-pack"})
    again = Document.objects.exclude(pk=lost_document.pk).get()
    assert response.status_code == 302
    assert again.status == "ready"
    assert _download(client, again).status_code == 200


@pytest.fixture
def lost_report(manager):
    period = last_month(timezone.localdate())
    return CohortReport.objects.create(
        period_start=period.start, period_end=period.end, trigger="on-request",
        fingerprint=monthly.fingerprint(), status="ready", requested_by=manager,
        pdf="reports/gone.pdf", csv="reports/gone.csv", xlsx="reports/gone.xlsx",
    )  # fmt: skip


def test_a_missing_report_file_gives_a_404_page_that_offers_to_ask_again(
    client, manager, lost_report
):
    client.force_login(manager)
    response = client.get(reverse("reports:cohort-report-download", args=[lost_report.pk, "pdf"]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "The report's file cannot be found" in page
    assert f'action="{reverse("reports:cohort-reports")}"' in page
    assert f'value="{lost_report.period_start.year}"' in page
    event = AuditEvent.objects.get(action=AuditAction.CONSULTATION)
    assert "stored file is missing" in event.description
    assert not AuditEvent.objects.filter(action=AuditAction.DISCLOSURE).exists()


def test_asking_again_for_a_report_whose_file_went_missing_builds_it_afresh(
    client, manager, lost_report
):
    client.force_login(manager)
    client.get(reverse("reports:cohort-report-download", args=[lost_report.pk, "csv"]))
    again = monthly.request_report(
        start=lost_report.period_start, end=lost_report.period_end, by=manager
    )
    assert again.pk != lost_report.pk


def test_the_api_answers_404_for_a_report_file_that_went_missing(client, manager, lost_report):
    client.force_login(manager)
    response = client.get(f"/api/cohort-reports/{lost_report.pk}/download/xlsx/")
    assert response.status_code == 404
    assert response.json()["detail"] == monthly.FILE_MISSING
    assert AuditEvent.objects.filter(action=AuditAction.CONSULTATION).count() == 1
