"""Contacts and the photograph in the documents: the control-court briefing counts the
appointments offered and attended, the recall pack lists the contacts since release and
shows the photograph; a partner's document never carries an IOM-only contact."""

import datetime
import io

from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from cohorts import services as cohort_services
from reports.documents.render import render_html
from reports.documents.sources import gather
from reports.services import render_document
from tests import factories
from tests.contacts.factories import ContactFactory
from tests.controls.factories import LicenceFactory
from tests.reports.factories import DocumentFactory
from tests.sharing import share_with


def _contacts(nominal):
    for n in range(3):
        ContactFactory(nominal=nominal, outcome=f"Came in {n}", is_shared=True)
    ContactFactory(
        nominal=nominal, attendance="did-not-attend", absence="unacceptable",
        outcome="Not at home Wexcombe", is_shared=False,
    )  # fmt: skip


def test_the_court_briefing_counts_appointments_offered_and_attended(officer):
    licence = LicenceFactory()
    _contacts(licence.nominal)
    html = render_html("court-briefing", gather(licence.nominal_id, requested_by=officer))
    assert "4 offered, 3 attended, 1 not attended and 0 refused" in html
    assert "Not at home Wexcombe" in html


def test_the_recall_pack_lists_contacts_since_release_and_shows_the_photograph(officer):
    licence = LicenceFactory()
    nominal = licence.nominal
    ContactFactory(
        nominal=nominal,
        outcome="Before release Oldharbour",
        planned_at=timezone.now() - datetime.timedelta(days=(timezone.localdate()
                   - licence.release_date).days + 3),
    )  # fmt: skip
    _contacts(nominal)
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), (10, 90, 200)).save(buffer, format="PNG")
    from django.core.files.uploadedfile import SimpleUploadedFile

    cohort_services.set_photograph(
        nominal.pk, by=officer, upload=SimpleUploadedFile("p.png", buffer.getvalue()), version=1
    )
    document = render_document(
        DocumentFactory(nominal=nominal, requested_by=officer, kind="recall-pack").pk
    )
    reader = PdfReader(io.BytesIO(document.file.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Contact history since release" in text and "Came in 2" in text
    assert "Oldharbour" not in text
    assert "No photograph recorded" not in text
    assert any(page.images for page in reader.pages)


def test_a_partners_document_has_no_iom_only_contact(db):
    licence = LicenceFactory()
    _contacts(licence.nominal)
    partner = factories.UserFactory()
    share_with(licence.nominal, partner)
    html = render_html("court-briefing", gather(licence.nominal_id, requested_by=partner))
    assert "Came in 1" in html
    assert "Wexcombe" not in html


def test_a_document_fetches_nothing_but_embedded_data():
    import pytest
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    from reports.documents.render import _only_data_uris

    with pytest.raises(FatalURLFetchingError):
        HTML(
            string='<img src="http://192.0.2.1/tracker.png">', url_fetcher=_only_data_uris()
        ).render()
