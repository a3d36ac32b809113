"""The control-measure and document API: through the access gate, the services and the audit."""

import datetime

from django.urls import reverse

from cohorts.controls.models import DrugTest
from iom.models import AuditAction, AuditEvent
from reports.models import Document
from tests.controls.factories import (
    BreachFactory,
    DrugTestFactory,
    LicenceConditionFactory,
    LicenceFactory,
)

TODAY = datetime.date.today()


def test_officer_records_a_drug_test_through_the_api(client, officer):
    licence = LicenceFactory()
    client.force_login(officer)
    response = client.post(
        reverse("drug-test-list"),
        {
            "nominal": licence.nominal.pk,
            "tested_on": TODAY.isoformat(),
            "outcome": "positive",
            "class_a_substances": "Crack cocaine",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert DrugTest.objects.get().licence == licence


def test_a_positive_test_without_the_drug_is_refused_by_field(client, officer):
    licence = LicenceFactory()
    client.force_login(officer)
    response = client.post(
        reverse("drug-test-list"),
        {"nominal": licence.nominal.pk, "tested_on": TODAY.isoformat(), "outcome": "positive"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "class_a_substances" in response.json()
    assert not DrugTest.objects.exists()


def test_reads_are_disclosures_and_outsiders_see_nothing(client, officer, outsider):
    breach = BreachFactory()
    client.force_login(outsider)
    assert client.get(reverse("breach-list")).json()["count"] == 0
    client.force_login(officer)
    assert client.get(reverse("breach-list")).json()["count"] == 1
    assert (
        AuditEvent.objects.about(breach.nominal)
        .filter(action=AuditAction.DISCLOSURE, disclosure_format="json")
        .exists()
    )


def test_outsider_cannot_record_a_test_for_a_person_they_cannot_see(client, outsider):
    licence = LicenceFactory()
    client.force_login(outsider)
    response = client.post(
        reverse("drug-test-list"),
        {"nominal": licence.nominal.pk, "tested_on": TODAY.isoformat(), "outcome": "negative"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not DrugTest.objects.exists()


def test_document_is_requested_and_downloaded_through_the_api(
    client, officer, django_capture_on_commit_callbacks
):
    test = DrugTestFactory(outcome="failed-to-attend")
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("document-list"),
            {"nominal": test.nominal.pk, "kind": "rag"},
            content_type="application/json",
        )
    assert response.status_code == 202
    document = Document.objects.get()
    detail = client.get(reverse("document-detail", args=[document.pk])).json()
    assert detail["status"] == "ready"
    download = client.get(reverse("document-download", args=[document.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(
        action=AuditAction.DISCLOSURE, disclosure_format="pdf", object_id=str(document.pk)
    ).exists()


def test_outsider_cannot_request_a_document_through_the_api(client, outsider):
    licence = LicenceFactory()
    client.force_login(outsider)
    response = client.post(
        reverse("document-list"),
        {"nominal": licence.nominal.pk, "kind": "rag"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_the_breach_form_offers_only_the_conditions_of_licences_the_user_may_change(
    client, outsider
):
    hidden = LicenceFactory()
    LicenceConditionFactory(licence=hidden, text="Curfew at the hidden address")
    client.force_login(outsider)
    body = client.get(reverse("breach-list"), HTTP_ACCEPT="text/html").content.decode()
    assert "Curfew at the hidden address" not in body


def test_a_breach_cannot_name_a_condition_of_a_licence_out_of_reach(client, officer, outsider):
    hidden_condition = LicenceConditionFactory()
    client.force_login(outsider)
    response = client.post(
        reverse("breach-list"),
        {
            "licence": hidden_condition.licence.pk,
            "condition": hidden_condition.pk,
            "occurred_on": TODAY.isoformat(),
            "evidence": "Late",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"licence", "condition"}
