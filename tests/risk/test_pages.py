"""The Risk and Offending sections, emerging threats, runs and imports, as users see them."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cohorts.risk import services
from cohorts.risk.models import DynamicFactor, ImportJob, RankingRun, RiskOverride
from iom.models import AuditEvent
from tests import factories
from tests.risk import factories as risk

TODAY = datetime.date.today()


@pytest.fixture
def ranked(db):
    """A member ranked twice: a burglary, then (since the last run) an arrest and Class A use."""
    nominal = factories.members(1)[0]
    for n in range(3):
        risk.DetectedOffenceFactory(
            nominal=nominal, committed_on=TODAY - datetime.timedelta(days=20 + n)
        )
    services.rerank(TODAY - datetime.timedelta(days=1))
    risk.ArrestFactory(nominal=nominal, arrested_on=TODAY, grounds="evidence")
    risk.DynamicFactorFactory(nominal=nominal, started_on=TODAY, factor="class-a-use")
    services.rerank(TODAY)
    return nominal


def test_the_risk_section_shows_the_band_and_why_in_words(client, officer, ranked):
    client.force_login(officer)
    body = client.get(reverse("cohorts:risk", kwargs={"pk": ranked.pk})).content.decode()
    assert "govuk-tag--red" in body
    assert "3 burglaries (dwelling) detected in the last month" in body
    assert "Class A drug use recorded since" in body


def test_the_risk_section_shows_what_changed_since_the_last_run(client, officer, ranked):
    client.force_login(officer)
    body = client.get(reverse("cohorts:risk", kwargs={"pk": ranked.pk})).content.decode()
    assert "Band changed from Amber to Red" in body
    assert "New: 1 arrest for burglary (dwelling)" in body


def test_the_risk_section_draws_the_history_with_a_table_beside_it(client, officer, ranked):
    client.force_login(officer)
    body = client.get(reverse("cohorts:risk", kwargs={"pk": ranked.pk})).content.decode()
    assert "<svg" in body and "Red from 40" in body
    assert "The history as a table" in body
    assert "style=" not in body.split("<svg", 1)[1].split("</svg>")[0]


def test_viewing_the_risk_section_is_audited(client, officer, ranked):
    client.force_login(officer)
    client.get(reverse("cohorts:risk", kwargs={"pk": ranked.pk}))
    assert (
        AuditEvent.objects.about(ranked)
        .filter(action="consultation", description__contains="risk")
        .exists()
    )


def test_an_officer_overrides_the_band_and_sees_it_beside_the_computed_one(client, officer, ranked):
    client.force_login(officer)
    expiry = TODAY + datetime.timedelta(days=30)
    response = client.post(
        reverse("cohorts:risk-override", kwargs={"pk": ranked.pk}),
        {"action": "set", "band": "green", "reason": "Engaging well with treatment",
         "expires_on_day": expiry.day, "expires_on_month": expiry.month,
         "expires_on_year": expiry.year},
    )  # fmt: skip
    assert response.status_code == 302
    body = client.get(reverse("cohorts:risk", kwargs={"pk": ranked.pk})).content.decode()
    assert "Engaging well with treatment" in body
    assert "Computed band" in body and "(overridden)" in body
    assert AuditEvent.objects.about(ranked).filter(action="alteration").exists()


def test_an_override_without_a_reason_is_refused_naming_the_field(client, officer, ranked):
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:risk-override", kwargs={"pk": ranked.pk}),
        {"action": "set", "band": "green", "reason": "",
         "expires_on_day": "1", "expires_on_month": "1", "expires_on_year": str(TODAY.year + 1)},
    )  # fmt: skip
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not RiskOverride.objects.exists()


def test_an_officer_ends_an_override(client, officer, ranked):
    override = risk.RiskOverrideFactory(nominal=ranked, set_by=officer)
    client.force_login(officer)
    client.post(
        reverse("cohorts:risk-override", kwargs={"pk": ranked.pk}),
        {"action": "end", "override": override.pk, "version": override.version},
    )
    override.refresh_from_db()
    assert override.ended_at is not None


def test_the_offending_section_lists_the_history(client, officer, ranked):
    risk.IntelligenceReportFactory(nominal=ranked, grading="B2")
    risk.CustodyPeriodFactory(nominal=ranked, establishment="HMP Demoford")
    client.force_login(officer)
    body = client.get(reverse("cohorts:offending", kwargs={"pk": ranked.pk})).content.decode()
    assert "Burglary in a dwelling (28A)" in body
    assert "Evidence" in body
    assert "B2" in body
    assert "HMP Demoford" in body
    assert "Class A drug use" in body


def test_an_officer_records_a_dynamic_factor(client, officer, nominal):
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:factor-new", kwargs={"pk": nominal.pk}),
        {"factor": "no-accommodation", "started_on_day": TODAY.day,
         "started_on_month": TODAY.month, "started_on_year": TODAY.year, "note": "Sofa surfing"},
    )  # fmt: skip
    assert response.status_code == 302
    factor = DynamicFactor.objects.get(nominal=nominal)
    assert (factor.factor, factor.note, factor.source) == ("no-accommodation", "Sofa surfing",
                                                           "officer")  # fmt: skip


def test_an_officer_ends_a_dynamic_factor(client, officer, nominal):
    factor = risk.DynamicFactorFactory(nominal=nominal, started_on=datetime.date(2026, 1, 1))
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:factor-end", kwargs={"pk": nominal.pk}),
        {"factor": factor.pk, "version": factor.version,
         "ended_on_day": TODAY.day, "ended_on_month": TODAY.month, "ended_on_year": TODAY.year},
    )  # fmt: skip
    assert response.status_code == 302
    factor.refresh_from_db()
    assert factor.ended_on == TODAY


def test_a_custody_period_ending_before_it_starts_is_refused(client, officer, nominal):
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:custody-new", kwargs={"pk": nominal.pk}),
        {"started_on_day": "10", "started_on_month": "5", "started_on_year": "2026",
         "ended_on_day": "1", "ended_on_month": "5", "ended_on_year": "2026"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "The end date must be the same as or after the start date" in response.content.decode()


def test_an_officer_records_living_out_of_the_area(client, officer, nominal):
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:residence-new", kwargs={"pk": nominal.pk}),
        {
            "in_area": "no",
            "started_on_day": "1",
            "started_on_month": "5",
            "started_on_year": "2026",
        },
    )
    assert response.status_code == 302
    assert nominal.residence_periods.get().in_area is False


def test_emerging_threats_lists_non_members_above_amber_with_a_referral_link(client, officer):
    member = factories.members(1)[0]
    emerging = factories.NominalFactory(surname="Risingstar")
    quiet = factories.NominalFactory(surname="Quietlife")
    for nominal in (member, emerging, emerging, emerging):
        risk.DetectedOffenceFactory(nominal=nominal, committed_on=TODAY)
    risk.DetectedOffenceFactory(
        nominal=quiet, committed_on=TODAY, offence_type=risk.offence_type("46")
    )
    services.rerank(TODAY)
    client.force_login(officer)
    body = client.get(reverse("cohorts:emerging-threats")).content.decode()
    assert "Risingstar" in body
    assert f"{reverse('referrals:new')}?nominal={emerging.pk}" in body
    assert "Quietlife" not in body
    assert member.surname not in body


def test_the_cohort_list_links_to_emerging_threats(client, officer):
    client.force_login(officer)
    body = client.get(reverse("cohorts:list")).content.decode()
    assert reverse("cohorts:emerging-threats") in body


def test_a_manager_starts_a_run_and_sees_it(
    client, manager, ranked, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cohorts:risk-run-start"))
    run = RankingRun.objects.get(kind="on-demand")
    assert response.url == reverse("cohorts:risk-run", kwargs={"run_id": run.pk})
    body = client.get(response.url).content.decode()
    assert "Finished" in body
    assert "data-app-refresh" not in body


def test_a_queued_run_page_refreshes_itself(client, manager):
    run = RankingRun.objects.create(kind="on-demand", run_date=TODAY, requested_by=manager)
    client.force_login(manager)
    body = client.get(reverse("cohorts:risk-run", kwargs={"run_id": run.pk})).content.decode()
    assert 'data-app-refresh="3"' in body


def test_a_manager_uploads_a_feed_and_sees_the_outcome(
    client, manager, django_capture_on_commit_callbacks
):
    nominal = factories.NominalFactory(pnc_id="2010/0000001A")
    content = (
        "record_type,external_ref,pnc_id,date,offence_code,outcome\n"
        f"detection,D-1,{nominal.pnc_id},2026-05-01,28A,charged\n"
    )
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cohorts:offending-imports"),
            {"file": SimpleUploadedFile("feed.csv", content.encode()), "source": "police"},
        )
    job = ImportJob.objects.get()
    assert response.url == reverse("cohorts:offending-import", kwargs={"job_id": job.pk})
    body = client.get(response.url).content.decode()
    assert "1 new, 0 updated, 0 unchanged" in body
    assert "Checked 1 of 1 rows" in body


@pytest.mark.parametrize(
    "url",
    [
        reverse("cohorts:risk-runs"),
        reverse("cohorts:risk-run", kwargs={"run_id": 1}),
        reverse("cohorts:offending-imports"),
        reverse("cohorts:offending-import", kwargs={"job_id": 1}),
    ],
)
def test_officers_and_partners_cannot_reach_manager_pages(client, officer, outsider, url):
    RankingRun.objects.create(pk=1, kind="on-demand", run_date=TODAY)
    ImportJob.objects.create(pk=1, source="police", file_name="x.csv", content="")
    for user in (officer, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_officers_cannot_start_a_run(client, officer):
    client.force_login(officer)
    assert client.post(reverse("cohorts:risk-run-start")).status_code == 403
    assert not RankingRun.objects.exists()


def test_a_partner_sees_no_emerging_threat_they_are_not_shared(client, outsider):
    emerging = factories.NominalFactory(surname="Hiddenperson")
    for _ in range(3):
        risk.DetectedOffenceFactory(nominal=emerging, committed_on=TODAY)
    services.rerank(TODAY)
    client.force_login(outsider)
    body = client.get(reverse("cohorts:emerging-threats")).content.decode()
    assert "Hiddenperson" not in body
