"""The Controls section and its forms, through the Django test client."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cohorts.controls.models import ControlMeasure, Recall, Sanction
from iom.models import AuditAction, AuditEvent
from reports.models import Document
from tests import factories
from tests.controls.factories import (
    BreachFactory,
    ControlMeasureFactory,
    DrugTestFactory,
    LicenceConditionFactory,
    LicenceFactory,
    RecallFactory,
)

TODAY = datetime.date.today
DAY = datetime.timedelta(days=1)


def _date(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def _url(name, nominal, *args):
    return reverse(f"cohorts:{name}", args=[nominal.pk, *args])


@pytest.fixture
def licence(officer):
    licence = LicenceFactory(created_by=officer)
    LicenceConditionFactory(licence=licence, text="Submit to drug testing twice a week.")
    return licence


def test_officer_records_three_positive_tests_starts_a_recall_and_downloads_the_pack(
    client, officer, licence, django_capture_on_commit_callbacks
):
    nominal = licence.nominal
    client.force_login(officer)
    for days_ago in (9, 5, 1):
        response = client.post(
            _url("controls-test-new", nominal),
            {
                **_date("tested_on", TODAY() - days_ago * DAY),
                "outcome": "positive",
                "class_a_substances": "Cocaine",
            },
        )
        assert response.status_code == 302
        page = client.get(_url("controls", nominal)).content.decode()
        assert ("Recall threshold reached" in page) == (days_ago == 1)

    client.post(
        _url("controls-breach-new", nominal),
        {**_date("occurred_on", TODAY()), "evidence": "Third positive test for cocaine."},
    )
    breach = nominal.breaches.get()
    response = client.post(
        _url("controls-recall-new", nominal, breach.pk),
        {
            "reason": "Three positive tests for Class A drugs on licence.",
            "recommendation": "Fast-track standard recall.",
            "skip_reason": "Test-on-licence condition: three positive tests mean recall.",
        },
    )
    recall = Recall.objects.get()
    assert response.url == _url("controls-recall", nominal, recall.pk)
    for step in ("probation_contacted_at", "paperwork_completed_at", "ppcs_contacted_at"):
        recall.refresh_from_db()
        client.post(response.url, {"action": "step", "step": step, "version": recall.version})
    checklist = client.get(response.url).content.decode()
    assert checklist.count("Done now") == 3
    assert "Recall threshold reached" not in client.get(_url("controls", nominal)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:documents", args=[nominal.pk]), {"kind": "recall-pack"})
    document = Document.objects.get()
    response = client.get(reverse("reports:document-download", args=[nominal.pk, document.pk]))
    pages = [
        p.extract_text() for p in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    ]
    text = " ".join(" ".join(pages).split())
    for fact in (
        "Submit to drug testing twice a week (test on licence).",
        "Third positive test for cocaine.",
        "Cocaine",
        "Fast-track standard recall.",
        "3 positive for Class A drugs",
        "In progress",
    ):
        assert fact in text, fact
    assert all("OFFICIAL-SENSITIVE" in page for page in pages)
    assert (
        AuditEvent.objects.about(nominal)
        .filter(action=AuditAction.DISCLOSURE, disclosure_format="pdf")
        .exists()
    )


def test_controls_section_shows_licence_tests_and_measures(client, officer, licence):
    DrugTestFactory(licence=licence, outcome="failed-to-attend")
    ControlMeasureFactory(
        nominal=licence.nominal, kind="curfew", curfew_from="19:00", curfew_until="07:00"
    )
    client.force_login(officer)
    page = client.get(_url("controls", licence.nominal)).content.decode()
    assert "Submit to drug testing twice a week (test on licence)." in page
    assert "Failed to attend" in page
    assert "7pm to 7am" in page
    assert AuditEvent.objects.filter(
        action=AuditAction.CONSULTATION, description="Viewed the controls section"
    ).exists()


def test_a_warning_out_of_order_without_a_reason_is_refused_with_a_clear_message(
    client, officer, licence
):
    client.force_login(officer)
    response = client.post(
        _url("controls-sanction-new", licence.nominal),
        {"level": 2, **_date("issued_on", TODAY())},
    )
    assert response.status_code == 400
    assert "comes after written warning" in response.content.decode()
    assert not Sanction.objects.exists()


def test_a_stale_edit_of_a_measure_is_refused(client, officer, nominal):
    measure = ControlMeasureFactory(nominal=nominal)
    client.force_login(officer)
    url = _url("controls-measure", nominal, measure.pk)
    first = {"status": "breached", "version": 1, "details": "Missed reporting on Monday"}
    assert client.post(url, first).status_code == 302
    second = {"status": "ended", "version": 1, **_date("ends_on", TODAY())}
    response = client.post(url, second)
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    measure.refresh_from_db()
    assert measure.status == "breached"


def test_a_stale_checklist_tick_is_refused_on_the_page(client, officer, licence):
    recall = RecallFactory(breach=BreachFactory(licence=licence))
    client.force_login(officer)
    url = _url("controls-recall", licence.nominal, recall.pk)
    client.post(url, {"action": "step", "step": "probation_contacted_at", "version": 1})
    response = client.post(url, {"action": "step", "step": "ppcs_contacted_at", "version": 1})
    assert response.status_code == 409
    recall.refresh_from_db()
    assert recall.ppcs_contacted_at is None


def test_a_curfew_without_hours_names_the_fields(client, officer, nominal):
    client.force_login(officer)
    response = client.post(
        _url("controls-measure-new", nominal), {"kind": "curfew", **_date("starts_on", TODAY())}
    )
    assert response.status_code == 400
    assert "Enter the time the curfew starts" in response.content.decode()
    assert not ControlMeasure.objects.exists()


def test_partner_who_may_only_read_sees_controls_but_cannot_add(client, licence):
    from tests.sharing import share_with

    partner = factories.UserFactory()
    share_with(licence.nominal, partner, by=None)
    client.force_login(partner)
    page = client.get(_url("controls", licence.nominal))
    assert page.status_code == 200
    assert b"Record a drug test" not in page.content
    assert client.get(_url("controls-test-new", licence.nominal)).status_code == 404


def test_cohort_list_filters_people_with_a_recall_in_progress(client, officer):
    recalled, other = factories.members(2)
    RecallFactory(breach=BreachFactory(licence=LicenceFactory(nominal=recalled)))
    client.force_login(officer)
    page = client.get(reverse("cohorts:list"), {"controls": "recall"}).content.decode()
    assert recalled.surname in page
    assert "Recall in progress" in page
    assert other.surname not in page


def test_controls_page_queries_do_not_grow_with_history(
    client, officer, licence, django_assert_max_num_queries
):
    client.force_login(officer)
    DrugTestFactory.create_batch(5, licence=licence)
    BreachFactory.create_batch(3, licence=licence)
    ControlMeasureFactory.create_batch(2, nominal=licence.nominal)
    with django_assert_max_num_queries(40) as few:
        client.get(_url("controls", licence.nominal))
    DrugTestFactory.create_batch(50, licence=licence)
    BreachFactory.create_batch(30, licence=licence)
    ControlMeasureFactory.create_batch(20, nominal=licence.nominal)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url("controls", licence.nominal))
