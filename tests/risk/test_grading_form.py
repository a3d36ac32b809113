"""The grading forms reveal each follow-up question under the choice that needs it (GOV.UK
conditional reveal), and ask for it only when that choice is made."""

import datetime

import pytest
from django.urls import reverse

from cohorts.risk import recording
from cohorts.risk.forms import DecisionForm, IntelligenceForm
from cohorts.risk.models import IntelligenceReport, IntelligenceSubmission, SubmissionStatus
from tests.risk.partners import partner

YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)
GRADED = {"grading_system": "3x5x2", "source_evaluation": "B", "intelligence_assessment": "2"}


def _report(**values) -> dict:
    return {
        "reported_on_day": YESTERDAY.day, "reported_on_month": YESTERDAY.month,
        "reported_on_year": YESTERDAY.year, "intelligence_source": "police",
        "summary": "Seen near the station.", **GRADED, **values,
    }  # fmt: skip


@pytest.fixture
def submission(db, nominal):
    return recording.submit_intelligence(
        nominal, by=partner("Housing", nominal), reported_on=YESTERDAY, summary="Dealing."
    )


def test_handling_code_c_asks_for_its_conditions(db):
    form = IntelligenceForm(_report(handling_code="C"))
    assert not form.is_valid()
    assert form.errors["handling_conditions"] == ["Enter the conditions of sharing"]


def test_conditions_typed_before_choosing_p_are_dropped_not_refused(db):
    form = IntelligenceForm(_report(handling_code="P", handling_conditions="Police only"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["handling_conditions"] == ""


def test_the_conditions_are_drawn_under_code_c_hidden_until_it_is_chosen(client, officer, nominal):
    client.force_login(officer)
    url = reverse("cohorts:intelligence-new", args=[nominal.pk])
    body = client.get(url).content.decode()
    assert 'data-aria-controls="conditional-id_handling_code_1"' in body
    assert (
        'class="govuk-radios__conditional govuk-radios__conditional--hidden" '
        'id="conditional-id_handling_code_1"' in body
    )
    assert body.count('name="handling_conditions"') == 1
    response = client.post(url, _report(handling_code="C"))
    body = response.content.decode()
    assert response.status_code == 400
    assert 'class="govuk-radios__conditional" id="conditional-id_handling_code_1"' in body
    assert not IntelligenceReport.objects.exists()


def test_the_report_is_recorded_with_p_whatever_the_hidden_conditions_held(
    client, officer, nominal
):
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:intelligence-new", args=[nominal.pk]),
        _report(handling_code="P", handling_conditions="Typed, then P chosen"),
    )
    assert response.status_code == 302
    report = IntelligenceReport.objects.get()
    assert (report.grading, report.handling_conditions) == ("B2P", "")


def test_a_rejection_needs_its_reason_and_no_grading(db):
    form = DecisionForm({"version": 1, "decision": "reject"})
    assert not form.is_valid()
    assert list(form.errors) == ["note"]
    assert form.errors["note"] == ["Say why the submission is rejected"]
    form = DecisionForm({"version": 1, "decision": "reject", "note": "Already known.",
                         "source_evaluation": "Z", "handling_code": "C"})  # fmt: skip
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["source_evaluation"], form.cleaned_data["handling_code"]) == ("", "")


def test_an_acceptance_needs_the_grading_and_no_reason(db):
    form = DecisionForm({"version": 1, "decision": "accept", "grading_system": "3x5x2"})
    assert not form.is_valid()
    assert set(form.errors) == {"source_evaluation", "intelligence_assessment", "handling_code"}
    assert form.errors["source_evaluation"] == ["Select the source evaluation"]
    form = DecisionForm({"version": 1, "decision": "accept", **GRADED, "handling_code": "P",
                         "note": "Typed under reject"})  # fmt: skip
    assert form.is_valid(), form.errors
    assert form.cleaned_data["note"] == ""


def test_nothing_is_asked_before_a_decision_is_chosen(db):
    form = DecisionForm({"version": 1})
    assert not form.is_valid()
    assert list(form.errors) == ["decision"]


def test_the_decision_page_reveals_the_grading_under_accept_and_the_reason_under_reject(
    client, officer, nominal, submission
):
    client.force_login(officer)
    url = reverse("cohorts:submission-decide", args=[nominal.pk, submission.pk])
    body = client.get(url).content.decode()
    accept = body.index('id="conditional-id_decision_0"')
    reject = body.index('id="conditional-id_decision_1"')
    assert accept < body.index('name="source_evaluation"') < reject
    assert reject < body.index('name="note"')
    response = client.post(url, {"version": 1, "decision": "reject", "note": "Already known."})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REJECTED
    assert submission.decision_note == "Already known."


def test_an_acceptance_without_a_grading_is_refused_beside_the_fields(
    client, officer, nominal, submission
):
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:submission-decide", args=[nominal.pk, submission.pk]),
        {"version": 1, "decision": "accept", "grading_system": "3x5x2"},
    )
    assert response.status_code == 400
    assert "Select the handling code" in response.content.decode()
    assert IntelligenceSubmission.objects.get().status == SubmissionStatus.SUBMITTED
