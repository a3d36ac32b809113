"""The recall pack as the dossier, and the decision-not-to-recall letter: rendered, read back
from the PDF, downloaded as an audited disclosure, and refused to another agency."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cohorts.controls import services as controls
from iom.models import AuditAction, AuditEvent
from reports import services
from reports.models import Document, DocumentStatus
from reports.services import render_document
from tests.contacts.factories import ContactFactory
from tests.controls.factories import (
    BreachFactory,
    ControlMeasureFactory,
    LicenceConditionFactory,
    LicenceFactory,
)
from tests.reports.factories import DocumentFactory
from tests.reports.test_documents import download, pdf_pages
from tests.risk.factories import DetectedOffenceFactory, offence_type

TODAY = datetime.date.today
DAY = datetime.timedelta(days=1)


@pytest.fixture
def recall(officer):
    licence = LicenceFactory(created_by=officer, release_date=TODAY() - 90 * DAY)
    LicenceConditionFactory(licence=licence, text="Reside at 14 Canal Street, Demoford.")
    nominal = licence.nominal
    breach = BreachFactory(licence=licence, evidence="Absent from his approved address.")
    before = licence.release_date - 400 * DAY
    DetectedOffenceFactory(
        nominal=nominal, committed_on=before, outcome="convicted", sanction="conviction",
        sanction_date=before + 30 * DAY, location="Mill Lane",
    )  # fmt: skip
    # Recorded by the feed as "convicted", but the disposal was a caution.
    DetectedOffenceFactory(
        nominal=nominal, committed_on=before + 50 * DAY, outcome="convicted", sanction="caution",
        sanction_date=before + 60 * DAY, offence_type=offence_type("45"), location="Park Road",
    )  # fmt: skip
    DetectedOffenceFactory(
        nominal=nominal, committed_on=TODAY() - 20 * DAY, outcome="charged",
        location="Canal Street",
    )  # fmt: skip
    ControlMeasureFactory(
        nominal=nominal, kind="curfew", curfew_from=datetime.time(19),
        curfew_until=datetime.time(7), details="Curfew at his address",
        starts_on=TODAY() - 30 * DAY, created_by=officer,
    )  # fmt: skip
    ContactFactory(
        nominal=nominal, outcome="Talked about the hostel place.", recorded_by=officer,
        planned_at=timezone.now() - 10 * DAY,
    )  # fmt: skip
    return controls.start_recall(
        breach, by=officer, reason="He left his approved address.", skip_reason="Fast-track"
    )


def _decide_and_countersign(recall, officer, manager, recall_type):
    tried = [c.source for c in controls.alternative_candidates(recall, officer)]
    recall = controls.record_recall_decision(
        recall.pk, by=officer, version=recall.version, grounds="contact",
        recall_type=recall_type, rationale="He has returned to the address and engages again.",
        chosen=tried,
        additions=[{"kind": "other", "description": "Meeting with his hostel key worker"}],
    )  # fmt: skip
    return controls.countersign_recall_decision(
        recall.pk, by=manager, version=recall.version, rationale="Agreed: manage in community."
    )


def _text(document) -> str:
    assert document.status == DocumentStatus.READY, document.error
    return " ".join(" ".join(pdf_pages(document.file.read())).split())


def test_the_recall_pack_is_the_dossier(officer, manager, recall):
    _decide_and_countersign(recall, officer, manager, "standard")
    document = render_document(
        DocumentFactory(nominal=recall.nominal, requested_by=officer, kind="recall-pack").pk
    )
    text = _text(document)
    for fact in (
        "Previous convictions and cautions",
        "Mill Lane",
        "Conviction",
        "Park Road",
        "Caution",
        "Current charges",
        "Canal Street",
        "Charged, awaiting outcome",
        "Offences on licence",
        "Contact history since release",
        "Talked about the hostel place.",
        "Bail conditions, civil orders and targeted enforcement",
        "Curfew at his address",
        "No photograph recorded",
        "Contact has broken down",
        "Standard recall",
        "Agreed: manage in community.",
        "Meeting with his hostel key worker",
        "Dossier check",
        "Charge sheet Missing",
        "Licence Present",
    ):
        assert fact in text, fact
    # A caution is a caution: nothing in the dossier calls it a conviction.
    assert "Convicted" not in text


def test_the_no_recall_letter_follows_a_countersigned_decision_not_to_recall(
    officer, manager, recall, client, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError):
        services.request_document(recall.nominal, by=officer, kind="no-recall-letter")
    _decide_and_countersign(recall, officer, manager, "no-recall")
    client.force_login(officer)
    page = client.get(
        reverse("reports:documents", args=[recall.nominal_id]), {"kind": "no-recall-letter"}
    ).content.decode()
    assert 'value="no-recall-letter" checked' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reports:documents", args=[recall.nominal_id]), {"kind": "no-recall-letter"}
        )
    document = Document.objects.get(kind="no-recall-letter")
    content = download(client, document)
    text = " ".join(" ".join(pdf_pages(content)).split())
    for fact in (
        "Decision not to recall letter",
        f"Dear {recall.nominal.full_name}",
        "We have decided not to recall you.",
        "He has returned to the address and engages again.",
        "contact has broken down",
        "Absent from his approved address.",
        "Meeting with his hostel key worker",
        "Reside at 14 Canal Street, Demoford.",
        f"countersigned by {manager}",
        "OFFICIAL-SENSITIVE",
    ):
        assert fact in text, fact
    assert (
        AuditEvent.objects.about(recall.nominal)
        .filter(action=AuditAction.DISCLOSURE, disclosure_format="pdf")
        .exists()
    )


def test_another_agency_cannot_produce_or_download_the_letter(
    officer, manager, recall, client, outsider
):
    _decide_and_countersign(recall, officer, manager, "no-recall")
    document = render_document(
        DocumentFactory(nominal=recall.nominal, requested_by=officer, kind="no-recall-letter").pk
    )
    client.force_login(outsider)
    documents = reverse("reports:documents", args=[recall.nominal_id])
    assert client.post(documents, {"kind": "no-recall-letter"}).status_code == 404
    download_url = reverse("reports:document-download", args=[recall.nominal_id, document.pk])
    assert client.get(download_url).status_code == 404
    assert client.get(f"/api/documents/{document.pk}/download/").status_code == 404
    assert Document.objects.filter(kind="no-recall-letter").count() == 1
