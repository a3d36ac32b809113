"""The Offending section's forms: officers record and correct, partners submit intelligence
and see only their own agency's submissions, and nobody else reaches any of it."""

import datetime

import pytest
from django.urls import reverse

from cohorts.risk import recording, services
from cohorts.risk.models import Arrest, IntelligenceSubmission
from iom.models import OffendingCover
from tests.risk import factories as risk
from tests.risk.partners import partner

TODAY = datetime.date.today()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def _date(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


@pytest.fixture
def records(db, nominal):
    """One of each record about ``nominal``, and a partner's submission."""
    submitter = partner("Submitting agency", nominal)
    return {
        "arrest": risk.ArrestFactory(nominal=nominal),
        "detection": risk.DetectedOffenceFactory(nominal=nominal),
        "intelligence": risk.IntelligenceReportFactory(nominal=nominal),
        "submission": recording.submit_intelligence(
            nominal, by=submitter, reported_on=YESTERDAY, summary="SUBMITTED-TEXT-7731"
        ),
    }


def _urls(nominal, records) -> list[str]:
    pk = nominal.pk
    return [
        reverse("cohorts:arrest-new", args=[pk]),
        reverse("cohorts:arrest-edit", args=[pk, records["arrest"].pk]),
        reverse("cohorts:detection-new", args=[pk]),
        reverse("cohorts:detection-edit", args=[pk, records["detection"].pk]),
        reverse("cohorts:intelligence-new", args=[pk]),
        reverse("cohorts:intelligence-edit", args=[pk, records["intelligence"].pk]),
        reverse("cohorts:intelligence-submit", args=[pk]),
        reverse("cohorts:submission-decide", args=[pk, records["submission"].pk]),
    ]


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_agency_reaches_none_of_the_new_pages(client, outsider, nominal, records, method):
    client.force_login(outsider)
    for url in _urls(nominal, records):
        assert getattr(client, method)(url).status_code == 404, url
    assert client.get(reverse("cohorts:intelligence-submissions")).status_code == 403
    assert Arrest.objects.count() == 1


def test_a_partner_with_a_view_only_share_cannot_write_records(client, nominal, records):
    client.force_login(partner("Housing", nominal))
    for url in _urls(nominal, records)[:6] + _urls(nominal, records)[7:]:
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url
    assert client.get(reverse("cohorts:intelligence-submissions")).status_code == 403


def test_a_partner_whose_agreement_leaves_out_arrests_is_told_so(client, nominal, records):
    client.force_login(partner("Housing", nominal, offending=OffendingCover.CONVICTIONS))
    response = client.get(reverse("cohorts:arrest-new", args=[nominal.pk]))
    assert response.status_code == 403
    assert "does not cover the arrests" in response.content.decode()


def test_an_officer_records_an_arrest_on_its_form(client, officer, nominal):
    client.force_login(officer)
    url = reverse("cohorts:arrest-new", args=[nominal.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {**_date("arrested_on", YESTERDAY),
                                 "offence_type": risk.offence_type("28A").pk,
                                 "grounds": "evidence", "location": "High Street"})  # fmt: skip
    assert response.status_code == 302
    assert Arrest.objects.get().location == "High Street"


def test_the_form_shows_what_the_rules_refuse_beside_the_field(client, officer, nominal):
    client.force_login(officer)
    response = client.post(reverse("cohorts:detection-new", args=[nominal.pk]), {
        **_date("committed_on", YESTERDAY), "offence_type": risk.offence_type("28A").pk,
        "outcome": "charged", "scene_easting": "458300",
    })  # fmt: skip
    assert response.status_code == 400
    assert "Give both the easting and the northing, or neither" in response.content.decode()


def test_a_correction_from_a_stale_form_is_a_409_and_saves_nothing(client, officer, nominal):
    arrest = risk.ArrestFactory(nominal=nominal, location="High Street")
    recording.correct_arrest(arrest.pk, by=officer, version=1, location="Market Street")
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:arrest-edit", args=[nominal.pk, arrest.pk]),
        {**_date("arrested_on", arrest.arrested_on), "offence_type": arrest.offence_type_id,
         "grounds": arrest.grounds, "location": "Station Road", "version": 1},
    )  # fmt: skip
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    arrest.refresh_from_db()
    assert arrest.location == "Market Street"


def test_a_partner_submits_intelligence_without_an_intelligence_agreement(client, nominal):
    worker = partner("Housing", nominal, covers_intelligence=False)
    client.force_login(worker)
    url = reverse("cohorts:intelligence-submit", args=[nominal.pk])
    assert "Submit intelligence" in client.get(reverse("cohorts:offending", args=[nominal.pk])
                                               ).content.decode()  # fmt: skip
    response = client.post(url, {**_date("reported_on", YESTERDAY), "summary": "Dealing."})
    assert response.status_code == 302
    assert IntelligenceSubmission.objects.get().submitted_by == worker


def test_a_submission_reaches_the_iom_unit_and_not_other_partners(
    client, officer, nominal, records
):
    client.force_login(officer)
    section = client.get(reverse("cohorts:offending", args=[nominal.pk])).content.decode()
    assert "SUBMITTED-TEXT-7731" in section
    queue = client.get(reverse("cohorts:intelligence-submissions")).content.decode()
    decide = reverse("cohorts:submission-decide", args=[nominal.pk, records["submission"].pk])
    assert decide in queue
    other = partner("Other partner", nominal)
    client.force_login(other)
    section = client.get(reverse("cohorts:offending", args=[nominal.pk])).content.decode()
    assert "SUBMITTED-TEXT-7731" not in section
    submitter = records["submission"].submitted_by
    client.force_login(submitter)
    section = client.get(reverse("cohorts:offending", args=[nominal.pk])).content.decode()
    assert "SUBMITTED-TEXT-7731" in section and "Waiting to be graded" in section


def test_an_accepted_submission_shared_under_p_reaches_partners_covered_for_intelligence(
    client, officer, nominal, records
):
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:submission-decide", args=[nominal.pk, records["submission"].pk]),
        {"decision": "accept", "version": 1, "summary": "SANITISED-4410",
         "grading_system": "3x5x2", "source_evaluation": "B", "intelligence_assessment": "2",
         "handling_code": "P"},
    )  # fmt: skip
    assert response.status_code == 302
    covered = partner("Covered partner", nominal)
    client.force_login(covered)
    body = client.get(reverse("cohorts:offending", args=[nominal.pk])).content.decode()
    assert "SANITISED-4410" in body and "SUBMITTED-TEXT-7731" not in body
    client.force_login(partner("Not covered", nominal, covers_intelligence=False))
    body = client.get(reverse("cohorts:offending", args=[nominal.pk])).content.decode()
    assert "SANITISED-4410" not in body


def test_an_informants_report_recorded_on_the_form_never_reaches_a_partner(
    client, officer, nominal
):
    recording.record_intelligence(
        nominal, by=officer, reported_on=YESTERDAY, intelligence_source="informant",
        summary="INFORMANT-9921", grading_system="3x5x2", source_evaluation="A",
        intelligence_assessment=1, handling_code="P",
    )  # fmt: skip
    client.force_login(partner("Covered partner", nominal))
    body = client.get(reverse("cohorts:offending", args=[nominal.pk])).content.decode()
    assert "INFORMANT-9921" not in body


def test_the_risk_section_lists_an_arrest_recorded_since_the_last_ranking(client, officer, nominal):
    risk.DetectedOffenceFactory(nominal=nominal, committed_on=YESTERDAY)
    services.rerank(TODAY)
    recording.record_arrest(nominal, by=officer, arrested_on=TODAY, grounds="evidence",
                            offence_type=risk.offence_type("45"))  # fmt: skip
    client.force_login(officer)
    body = client.get(reverse("cohorts:risk", args=[nominal.pk])).content.decode()
    since = body.split("Recorded since the last ranking", 1)[1].split("</ul>", 1)[0]
    assert "Arrest: " in since and "Detected offence" not in since
    services.rerank(TODAY)
    body = client.get(reverse("cohorts:risk", args=[nominal.pk])).content.decode()
    assert "Recorded since the last ranking" not in body


def test_an_imported_report_with_no_grading_opens_for_correction(client, officer, nominal):
    report = risk.IntelligenceReportFactory(nominal=nominal, grading_system="", handling_code="P")
    client.force_login(officer)
    url = reverse("cohorts:intelligence-edit", kwargs={"pk": nominal.pk, "row_id": report.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"].fields["grading_system"].required is False
