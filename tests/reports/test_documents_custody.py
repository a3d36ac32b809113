"""Every document reads the current state: a person returned to custody is never "on licence
today", and the court briefing recommends no bail conditions for them."""

import datetime
import io

import pytest
from pypdf import PdfReader

from cohorts.controls import services as controls
from cohorts.controls.models import Recall
from cohorts.risk import custody
from cohorts.risk.models import CustodyPeriod
from reports.services import render_document
from tests.controls.factories import BreachFactory, DrugTestFactory, LicenceFactory
from tests.reports.factories import DocumentFactory

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def _text(officer, nominal, kind) -> str:
    document = render_document(DocumentFactory(nominal=nominal, requested_by=officer, kind=kind).pk)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(document.file.read())).pages]
    return " ".join(" ".join(pages).split())


@pytest.fixture
def returned(officer, manager):
    """Recalled after three positive tests, and returned to custody this morning."""
    licence = LicenceFactory(created_by=officer)
    breach = BreachFactory(licence=licence)
    for days_ago in (12, 8, 4):
        DrugTestFactory(
            licence=licence,
            outcome="positive",
            class_a_substances="Opiates",
            tested_on=TODAY - days_ago * DAY,
        )
    recall = controls.start_recall(
        breach, by=officer, reason="Third positive test.", skip_reason="Test on licence."
    )
    recall = controls.record_recall_decision(
        recall.pk, by=officer, version=recall.version, grounds="risk", recall_type="standard",
        rationale="Third positive test.", chosen=[],
    )  # fmt: skip
    recall = controls.countersign_recall_decision(
        recall.pk, by=manager, version=recall.version, rationale="Agreed."
    )
    recall = Recall.objects.get(pk=recall.pk)
    controls.complete_recall_step(
        recall.pk, by=officer, version=recall.version, step="returned_to_custody_at"
    )
    return licence.nominal


@pytest.mark.parametrize("kind", ["recall-pack", "rag"])
def test_a_person_returned_to_custody_is_not_on_licence_today(officer, returned, kind):
    text = _text(officer, returned, kind)
    assert "On licence today Yes" not in text
    assert "On licence today No: In custody since" in text
    assert "(recall to prison)" in text


def test_the_rag_document_does_not_call_the_person_on_licence(officer, returned):
    text = _text(officer, returned, "rag")
    assert "The person is on licence" not in text


def test_the_court_briefing_recommends_no_bail_conditions_for_a_person_in_custody(
    officer, returned
):
    text = _text(officer, returned, "court-briefing")
    assert "recommends no bail conditions while the person is in custody" in text
    assert "Curfew" not in text.split("Recommended bail conditions")[-1]


def test_after_release_the_person_is_on_licence_again(officer, returned):
    period = CustodyPeriod.objects.get(nominal=returned)
    custody.release_from_custody(period.pk, by=officer, version=period.version, released_on=TODAY)
    text = _text(officer, returned, "recall-pack")
    assert "On licence today Yes" in text
    assert "Custody At liberty" in text
