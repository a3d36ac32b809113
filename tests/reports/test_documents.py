"""Documents: requested, rendered by the task, listed, downloaded as an audited disclosure, and
printed with the marking and the person on every page."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cohorts.controls import services as controls
from iom.models import AuditAction, AuditEvent
from reports.models import Document, DocumentStatus
from reports.services import render_document
from tests import factories
from tests.controls.factories import (
    BreachFactory,
    ControlMeasureFactory,
    DrugTestFactory,
    LicenceConditionFactory,
    LicenceFactory,
)
from tests.reports.factories import DocumentFactory, ReadyDocumentFactory
from tests.risk.factories import DetectedOffenceFactory
from tests.sharing import share_with

TODAY = datetime.date.today
DAY = datetime.timedelta(days=1)


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def download(client, document) -> bytes:
    response = client.get(
        reverse("reports:document-download", args=[document.nominal_id, document.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def assert_marked_on_every_page(pages, nominal):
    for number, text in enumerate(pages, start=1):
        assert "OFFICIAL-SENSITIVE" in text, f"page {number} has no marking"
        assert nominal.surname.upper() in text, f"page {number} does not name the person"
        assert nominal.pnc_id in text, f"page {number} has no PNC ID"
        assert f"Page {number} of {len(pages)}" in text


@pytest.fixture
def recall_case(officer):
    licence = LicenceFactory(created_by=officer, offence="Burglary dwelling (three counts)")
    LicenceConditionFactory(licence=licence, text="Reside at 14 Canal Street, Demoford.")
    breach = BreachFactory(licence=licence, evidence="Absent from his approved address overnight.")
    for days_ago in (12, 8, 4):
        DrugTestFactory(
            licence=licence, outcome="positive", class_a_substances="Opiates",
            tested_on=TODAY() - days_ago * DAY,
        )  # fmt: skip
    controls.start_recall(
        breach,
        by=officer,
        reason="Third positive test for Class A drugs.",
        recommendation="Standard recall; arrest within 24 hours.",
        skip_reason="Test-on-licence condition: recall after three positive tests.",
    )
    return licence.nominal


def test_recall_pack_shows_the_facts_and_is_marked_on_every_page(officer, recall_case):
    document = render_document(
        DocumentFactory(nominal=recall_case, requested_by=officer, kind="recall-pack").pk
    )
    assert document.status == DocumentStatus.READY
    pages = pdf_pages(document.file.read())
    text = " ".join(" ".join(pages).split())
    for fact in (
        "Reside at 14 Canal Street",
        "Absent from his approved address overnight",
        "Opiates",
        "Standard recall; arrest within 24 hours",
        "Probation contacted",
        "Recall to prison",
        "No photograph recorded",
        "Burglary dwelling (three counts)",
    ):
        assert fact in text, fact
    assert_marked_on_every_page(pages, recall_case)


def test_a_long_history_runs_over_pages_with_the_header_on_each(officer, recall_case):
    licence = recall_case.licences.get()
    DrugTestFactory.create_batch(
        60, licence=licence, outcome="negative", tested_on=TODAY() - 20 * DAY
    )
    document = render_document(
        DocumentFactory(nominal=recall_case, requested_by=officer, kind="recall-pack").pk
    )
    pages = pdf_pages(document.file.read())
    assert len(pages) > 1
    assert_marked_on_every_page(pages, recall_case)
    # The tests' table runs over pages: its header is repeated on each page it spans.
    first = next(n for n, page in enumerate(pages) if "Drug test results on licence" in page)
    after = next(n for n, page in enumerate(pages) if "Previous convictions and cautions" in page)
    assert after - first >= 2, (first, after)
    assert all("Date Result Class A drugs" in page for page in pages[first + 1 : after])


def test_recall_pack_lists_a_years_drug_tests_and_counts_earlier_ones_per_month(
    officer, recall_case
):
    licence = recall_case.licences.get()
    old = TODAY() - 500 * DAY
    DrugTestFactory(licence=licence, outcome="positive", class_a_substances="Crack cocaine",
                    tested_on=old)  # fmt: skip
    DrugTestFactory(licence=licence, outcome="refused", tested_on=old)
    document = render_document(
        DocumentFactory(nominal=recall_case, requested_by=officer, kind="recall-pack").pk
    )
    text = " ".join(" ".join(pdf_pages(document.file.read())).split())
    assert "earlier tests are summarised as counts per month" in text
    assert f"{old:%B %Y} 2 1 1 0" in text
    assert "Crack cocaine" not in text
    day = TODAY() - 4 * DAY
    assert f"{day.day} {day:%b %Y} Positive for Class A Opiates" in text


def test_court_briefing_recommends_bail_conditions_from_engagement(officer, recall_case):
    from cohorts.services import record_engagement

    record_engagement(
        recall_case, by=officer, status="declined", on=TODAY(), note="Refused the drug service."
    )
    ControlMeasureFactory(nominal=recall_case, kind="report", status="breached")
    document = render_document(
        DocumentFactory(nominal=recall_case, requested_by=officer, kind="court-briefing").pk
    )
    pages = pdf_pages(document.file.read())
    text = " ".join(" ".join(pages).split())
    assert "Declined" in text
    assert "Refused the drug service." in text
    assert "Curfew with electronic monitoring." in text
    assert "Recommended bail conditions" in text
    assert_marked_on_every_page(pages, recall_case)


def test_rag_document_holds_mg6_mg7_licence_bail_and_convictions(officer, recall_case):
    ControlMeasureFactory(nominal=recall_case, kind="exclusion-zone", details="Demoford centre")
    document = render_document(
        DocumentFactory(nominal=recall_case, requested_by=officer, kind="rag").pk
    )
    pages = pdf_pages(document.file.read())
    text = " ".join(" ".join(pages).split())
    for heading in ("MG6", "MG7", "Licence conditions", "Bail conditions", "Previous convictions"):
        assert heading in text
    assert "Demoford centre" in text
    assert "3 positive tests for Class A drugs" in text
    assert_marked_on_every_page(pages, recall_case)


def test_rendering_twice_leaves_the_document_as_it_was(officer, recall_case):
    document = render_document(DocumentFactory(nominal=recall_case, requested_by=officer).pk)
    again = render_document(document.pk)
    assert again.file.name == document.file.name
    assert again.completed_at == document.completed_at


def test_officer_requests_follows_and_downloads_a_document(
    client, officer, recall_case, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    url = reverse("reports:documents", args=[recall_case.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"kind": "recall-pack"})
    document = Document.objects.get()
    assert response.url == reverse("reports:document", args=[recall_case.pk, document.pk])
    status_page = client.get(response.url).content.decode()
    assert "Download the PDF" in status_page
    assert "data-app-refresh" not in status_page
    assert "Licence recall pack" in client.get(url).content.decode()
    assert "OFFICIAL-SENSITIVE" in pdf_pages(download(client, document))[0]
    event = AuditEvent.objects.get(action=AuditAction.DISCLOSURE, object_id=str(document.pk))
    assert event.disclosure_format == "pdf"
    assert officer.username in event.username
    assert str(officer) in event.recipient


def test_status_page_refreshes_itself_until_the_document_is_ready(client, officer, nominal):
    document = DocumentFactory(nominal=nominal, requested_by=officer)
    client.force_login(officer)
    body = client.get(reverse("reports:document", args=[nominal.pk, document.pk])).content
    assert b'data-app-refresh="2"' in body
    assert b"Queued" in body


def test_a_document_not_ready_is_not_downloaded(client, officer, nominal):
    document = DocumentFactory(nominal=nominal, requested_by=officer)
    client.force_login(officer)
    response = client.get(reverse("reports:document-download", args=[nominal.pk, document.pk]))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action=AuditAction.DISCLOSURE).exists()


def test_a_user_without_access_cannot_request_a_document(client, outsider, nominal):
    client.force_login(outsider)
    response = client.post(reverse("reports:documents", args=[nominal.pk]), {"kind": "rag"})
    assert response.status_code == 404
    assert not Document.objects.exists()


def test_a_user_without_access_cannot_download_a_document(client, outsider, nominal):
    document = ReadyDocumentFactory(nominal=nominal)
    client.force_login(outsider)
    response = client.get(reverse("reports:document-download", args=[nominal.pk, document.pk]))
    assert response.status_code == 404


def test_a_partner_who_may_only_read_the_record_cannot_produce_documents(client, nominal):
    partner = factories.UserFactory()
    share_with(nominal, partner, by=None)
    document = ReadyDocumentFactory(nominal=nominal)
    client.force_login(partner)
    page = client.get(reverse("reports:documents", args=[nominal.pk]))
    assert page.status_code == 200
    assert b"Produce the document" not in page.content
    assert client.post(page.request["PATH_INFO"], {"kind": "rag"}).status_code == 404
    download_url = reverse("reports:document-download", args=[nominal.pk, document.pk])
    assert client.get(download_url).status_code == 404


def test_a_document_of_another_person_is_not_found_under_this_one(client, officer, nominal):
    other = ReadyDocumentFactory()
    client.force_login(officer)
    response = client.get(reverse("reports:document-download", args=[nominal.pk, other.pk]))
    assert response.status_code == 404


def test_documents_render_without_a_licence_or_any_history(officer, nominal):
    for kind in ("recall-pack", "court-briefing", "rag"):
        document = render_document(
            DocumentFactory(nominal=nominal, requested_by=officer, kind=kind).pk
        )
        assert document.status == DocumentStatus.READY, document.error
        assert "OFFICIAL-SENSITIVE" in pdf_pages(document.file.read())[0]


@pytest.fixture
def case_with_faults_to_avoid(officer, recall_case):
    """What tripped the documents' text: a condition that already says "(test on licence).",
    details ending in a full stop, a caution, and labels with IOM and Class A in them."""
    licence = recall_case.licences.get()
    LicenceConditionFactory(
        licence=licence,
        text="Attend drug testing twice a week as directed (test on licence).",
        is_drug_testing=True,
    )
    ControlMeasureFactory(
        nominal=recall_case,
        category="bail",
        kind="report",
        details="Report to Demoford Central daily (charged 20 Nov 2026).",
        status="active",
    )
    DetectedOffenceFactory(
        nominal=recall_case,
        committed_on=TODAY() - 100 * DAY,
        outcome="convicted",
        sanction="caution",
        sanction_date=TODAY() - 90 * DAY,
    )
    return recall_case


ISO_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d(T| )\d\d:\d\d")


@pytest.mark.parametrize("kind", ["recall-pack", "court-briefing", "rag"])
def test_document_text_reads_right(officer, case_with_faults_to_avoid, kind):
    document = render_document(
        DocumentFactory(nominal=case_with_faults_to_avoid, requested_by=officer, kind=kind).pk
    )
    text = " ".join(" ".join(pdf_pages(document.file.read())).split())
    assert "(test on licence). (test on licence)" not in text
    assert "(test on licence) (test on licence)" not in text
    assert not re.search(r"[^.]\.\.(?!\.)", text), re.search(r".{40}\.\..{10}", text)
    assert not ISO_TIMESTAMP.search(text)
    assert re.search(r"Generated \d{1,2} [A-Z][a-z]+ \d{4} at \d{1,2}(:\d\d)?(am|pm)", text)
    assert "iom unit" not in text and "class a" not in text.replace("class action", "")
    assert "Convicted Caution" not in text
    if kind == "rag":
        assert "(charged 20 Nov 2026)." in text
        assert "Previous convictions and cautions" in text
        assert re.search(r"Cautioned Caution \d{1,2} [A-Z][a-z]{2} \d{4}", text)
        assert "Attend drug testing twice a week as directed (test on licence)." in text
        assert "Reside at 14 Canal Street, Demoford (test on licence)." in text
