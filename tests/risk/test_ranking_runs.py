"""Nightly and on-demand runs: idempotent, atomic, recorded; overrides survive them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cohorts.risk import services, tasks
from cohorts.risk.models import RankingRun, RiskAssessment, RiskOverride
from tests import factories
from tests.risk import factories as risk

DAY = datetime.date(2026, 7, 1)


@pytest.fixture
def cohort(db):
    people = factories.members(3)
    for days, nominal in enumerate(people):
        risk.DetectedOffenceFactory(nominal=nominal, committed_on=DAY - datetime.timedelta(days))
    return people


def test_running_the_same_night_twice_keeps_one_assessment_per_person(cohort):
    services.rerank(DAY)
    services.rerank(DAY)
    assert RankingRun.objects.filter(kind="nightly", run_date=DAY).count() == 1
    assert RiskAssessment.objects.filter(assessed_on=DAY).count() == 3
    run = RankingRun.objects.get()
    assert (run.status, run.people_scored, run.members_ranked, run.attempts) == (
        "succeeded", 3, 3, 2,
    )  # fmt: skip


def test_the_task_reranks_the_date_it_is_given(cohort):
    run_id = tasks.rerank_nightly.delay(DAY.isoformat()).get()
    assert RankingRun.objects.get(pk=run_id).run_date == DAY
    assert RiskAssessment.objects.filter(run_id=run_id).count() == 3


def test_a_failure_mid_run_leaves_the_previous_ranking_in_place(cohort, monkeypatch):
    services.rerank(DAY)
    before = list(RiskAssessment.objects.order_by("pk").values_list("pk", "score", "rank"))
    risk.DetectedOffenceFactory(nominal=cohort[2], committed_on=DAY)

    write = services._write_assessments

    def fail_after_writing(run, version, params):
        write(run, version, params)
        assert RiskAssessment.objects.filter(run=run).exists()
        raise RuntimeError("database connection lost")

    monkeypatch.setattr(services, "_write_assessments", fail_after_writing)
    with pytest.raises(RuntimeError):
        services.rerank(DAY)
    after = list(RiskAssessment.objects.order_by("pk").values_list("pk", "score", "rank"))
    assert after == before


def test_a_failed_run_is_recorded_with_its_error(cohort, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_write_assessments", broken)
    with pytest.raises(RuntimeError):
        services.rerank(DAY)
    run = RankingRun.objects.get()
    assert run.status == "failed"
    assert "disk full" in run.error
    assert run.finished_at is not None
    assert not RiskAssessment.objects.exists()


def test_an_override_survives_a_run_until_it_expires(cohort, officer, settings):
    nominal = cohort[0]
    override = services.set_override(
        nominal, by=officer, band="red", reason="Linked to a burglary series",
        expires_on=datetime.date.today() + datetime.timedelta(days=7),
    )  # fmt: skip
    services.rerank(DAY)
    services.rerank(DAY + datetime.timedelta(days=1))
    override.refresh_from_db()
    assert override.ended_at is None
    assert override.is_in_force_on(datetime.date.today())
    assert not override.is_in_force_on(override.expires_on + datetime.timedelta(days=1))


def test_a_new_override_replaces_the_one_in_force(cohort, officer):
    nominal = cohort[0]
    expiry = datetime.date.today() + datetime.timedelta(days=3)
    first = services.set_override(nominal, by=officer, band="red", reason="x", expires_on=expiry)
    services.set_override(nominal, by=officer, band="green", reason="y", expires_on=expiry)
    first.refresh_from_db()
    assert first.ended_at is not None
    assert RiskOverride.objects.filter(nominal=nominal, ended_at__isnull=True).count() == 1


def test_an_override_needs_a_reason_and_a_future_expiry(cohort, officer):
    with pytest.raises(ValidationError) as error:
        services.set_override(
            cohort[0], by=officer, band="red", reason=" ",
            expires_on=datetime.date.today() - datetime.timedelta(days=1),
        )  # fmt: skip
    assert set(error.value.error_dict) == {"reason", "expires_on"}
    assert not RiskOverride.objects.exists()


def test_an_outsider_cannot_override_a_band(cohort, outsider):
    with pytest.raises(PermissionDenied):
        services.set_override(
            cohort[0], by=outsider, band="green", reason="x", expires_on=datetime.date.today()
        )


def test_only_managers_can_request_a_run(officer, manager):
    with pytest.raises(PermissionDenied):
        services.request_run(by=officer)
    run = services.request_run(by=manager)
    assert (run.kind, run.status) == ("on-demand", "queued")


def test_a_requested_run_is_carried_out_by_its_task(cohort, manager):
    run = services.request_run(by=manager)
    tasks.run_ranking.delay(run.pk)
    run.refresh_from_db()
    assert run.status == "succeeded"
    assert run.assessments.count() == 3
