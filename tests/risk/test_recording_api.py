"""The API records and corrects arrests, detections and intelligence: 201, 400 naming the
fields, 409 on a stale version, 404 for people not shared; partners submit intelligence."""

import datetime

import pytest
from django.urls import reverse

from cohorts.risk.models import Arrest, IntelligenceReport, IntelligenceSubmission
from tests.risk import factories as risk
from tests.risk.partners import partner

YESTERDAY = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()


@pytest.fixture
def burglary(db):
    return risk.offence_type("28A")


def _arrest(nominal, burglary, **changes):
    return {"nominal": nominal.pk, "arrested_on": YESTERDAY, "offence_type": burglary.pk,
            "grounds": "evidence", **changes}  # fmt: skip


def test_an_officer_records_an_arrest(client, officer, nominal, burglary):
    client.force_login(officer)
    response = client.post(reverse("arrest-list"), _arrest(nominal, burglary),
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 201
    assert response.json()["version"] == 1
    assert Arrest.objects.get().recorded_by == officer


def test_a_bad_arrest_is_a_400_naming_its_fields(client, officer, nominal, burglary):
    client.force_login(officer)
    body = _arrest(nominal, burglary, arrested_on="2999-01-01", location="=HYPERLINK()")
    response = client.post(reverse("arrest-list"), body, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"arrested_on", "location"}
    unknown = client.post(reverse("arrest-list"), _arrest(nominal, burglary, grounds="hunch"),
                          content_type="application/json")  # fmt: skip
    assert (unknown.status_code, list(unknown.json())) == (400, ["grounds"])
    assert not Arrest.objects.exists()


def test_an_arrest_about_a_person_not_shared_is_a_404(client, outsider, nominal, burglary):
    client.force_login(outsider)
    response = client.post(reverse("arrest-list"), _arrest(nominal, burglary),
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 404
    assert not Arrest.objects.exists()


def test_a_partner_with_a_view_only_share_cannot_record_an_arrest(client, nominal, burglary):
    client.force_login(partner("Housing", nominal))
    response = client.post(reverse("arrest-list"), _arrest(nominal, burglary),
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 403


def test_a_patch_with_the_version_corrects_and_a_stale_one_is_a_409(client, officer, nominal):
    arrest = risk.ArrestFactory(nominal=nominal, location="High Street")
    client.force_login(officer)
    url = reverse("arrest-detail", args=[arrest.pk])
    first = client.patch(url, {"version": 1, "location": "Market Street"},
                         content_type="application/json")  # fmt: skip
    assert (first.status_code, first.json()["version"]) == (200, 2)
    stale = client.patch(url, {"version": 1, "location": "Station Road"},
                         content_type="application/json")  # fmt: skip
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    arrest.refresh_from_db()
    assert arrest.location == "Market Street"


def test_a_patch_without_a_version_is_a_400(client, officer, nominal):
    detection = risk.DetectedOffenceFactory(nominal=nominal)
    client.force_login(officer)
    response = client.patch(reverse("detected-offence-detail", args=[detection.pk]),
                            {"outcome": "convicted"}, content_type="application/json")  # fmt: skip
    assert (response.status_code, list(response.json())) == (400, ["version"])


def test_a_patch_of_a_record_of_a_person_not_shared_is_a_404(client, outsider, nominal):
    detection = risk.DetectedOffenceFactory(nominal=nominal)
    client.force_login(outsider)
    response = client.patch(reverse("detected-offence-detail", args=[detection.pk]),
                            {"version": 1, "outcome": "convicted"},
                            content_type="application/json")  # fmt: skip
    assert response.status_code == 404


def test_intelligence_created_through_the_api_is_graded(client, officer, nominal):
    client.force_login(officer)
    response = client.post(
        reverse("intelligence-report-list"),
        {"nominal": nominal.pk, "reported_on": YESTERDAY, "intelligence_source": "police",
         "grading_system": "3x5x2", "source_evaluation": "A", "intelligence_assessment": 1,
         "handling_code": "C"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert list(response.json()) == ["handling_conditions"]
    assert not IntelligenceReport.objects.exists()


def test_a_partner_submits_and_sees_only_its_own_agencys_submissions(client, nominal):
    housing = partner("Housing", nominal)
    drugs = partner("Drug service", nominal)
    client.force_login(housing)
    created = client.post(
        reverse("intelligence-submission-list"),
        {"nominal": nominal.pk, "reported_on": YESTERDAY, "summary": "Dealing from the flat."},
        content_type="application/json",
    )
    assert (created.status_code, created.json()["status"]) == (201, "submitted")
    client.force_login(drugs)
    assert client.get(reverse("intelligence-submission-list")).json()["results"] == []
    assert client.get(reverse("intelligence-report-list")).json()["results"] == []


def test_the_iom_unit_grades_a_submission_through_the_api(client, officer, nominal):
    submission = IntelligenceSubmission.objects.create(
        nominal=nominal, agency=officer.agency, submitted_by=officer, reported_on=YESTERDAY,
        summary="Dealing from the flat.",
    )  # fmt: skip
    client.force_login(officer)
    url = reverse("intelligence-submission-decide", args=[submission.pk])
    body = {"decision": "accept", "version": 1, "source_evaluation": "B",
            "intelligence_assessment": 2, "handling_code": "P"}  # fmt: skip
    response = client.post(url, body, content_type="application/json")
    assert (response.status_code, response.json()["status"]) == (200, "accepted")
    assert IntelligenceReport.objects.get().grading == "B2P"
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 409
