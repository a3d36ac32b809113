"""One ranking per person per date, whoever runs it; a ranking of a past date sees the cohort
and the custody of that date."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cohorts.models.membership import MembershipStatus
from cohorts.risk import services
from cohorts.risk.models import RankingRun, RiskAssessment, RunStatus
from tests import factories
from tests.risk import factories as risk

DAY = datetime.date(2026, 7, 1)
DAYS = datetime.timedelta(days=1)


def _offending(nominal, day=DAY):
    risk.DetectedOffenceFactory(nominal=nominal, committed_on=day)
    return nominal


def _managers_run(day=DAY) -> RankingRun:
    return RankingRun.objects.create(kind="on-demand", run_date=day)


def test_a_managers_run_after_the_nightly_run_replaces_that_dates_assessments(db):
    people = [_offending(nominal) for nominal in factories.members(3)]
    services.rerank(DAY)
    run = services.run_ranking(_managers_run())
    assessments = RiskAssessment.objects.filter(assessed_on=DAY)
    assert sorted(assessments.values_list("nominal_id", flat=True)) == [n.pk for n in people]
    assert set(assessments.values_list("run_id", flat=True)) == {run.pk}


def test_the_database_refuses_a_second_assessment_of_a_person_for_a_date(db):
    nominal = _offending(factories.members(1)[0])
    services.rerank(DAY)
    first = RiskAssessment.objects.get(nominal=nominal)
    first.pk, first.run = None, _managers_run()
    with pytest.raises(IntegrityError), transaction.atomic():
        first.save()


def test_a_past_ranking_counts_whoever_was_on_the_cohort_that_day(db):
    left_since = _offending(factories.members(1)[0])
    left_since.memberships.update(
        status=MembershipStatus.EXITED, exited_on=DAY + 10 * DAYS, exit_reason="risk-reduced"
    )
    joined_since = _offending(factories.members(1, entered_on=DAY + 5 * DAYS)[0])
    left_that_day = _offending(factories.members(1)[0])
    left_that_day.memberships.update(
        status=MembershipStatus.EXITED, exited_on=DAY, exit_reason="risk-reduced"
    )
    services.rerank(DAY)
    members = dict(RiskAssessment.objects.values_list("nominal_id", "is_member"))
    assert members == {left_since.pk: True, joined_since.pk: False, left_that_day.pk: False}


def test_a_custody_status_counts_today_and_not_in_a_ranking_of_a_past_date(db):
    today = timezone.localdate()
    nominal = _offending(factories.members(1)[0], today - 30 * DAYS)
    nominal.memberships.update(status=MembershipStatus.IN_CUSTODY)
    services.rerank(today)
    services.rerank(today - 10 * DAYS)
    in_custody = dict(RiskAssessment.objects.values_list("assessed_on", "in_custody"))
    assert in_custody == {today: True, today - 10 * DAYS: False}


def test_a_custody_period_counts_in_a_ranking_of_the_past_date_it_covers(db):
    nominal = _offending(factories.members(1)[0])
    risk.CustodyPeriodFactory(nominal=nominal, started_on=DAY - 20 * DAYS, ended_on=DAY - 5 * DAYS)
    services.rerank(DAY - 10 * DAYS)
    services.rerank(DAY)
    in_custody = dict(RiskAssessment.objects.values_list("assessed_on", "in_custody"))
    assert in_custody == {DAY - 10 * DAYS: True, DAY: False}


@pytest.mark.postgres
def test_two_runs_of_one_date_at_once_end_with_one_set_without_error(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent runs need PostgreSQL (SQLite lets one writer in at a time).")
    people = [_offending(nominal) for nominal in factories.members(4)]
    runs = [_managers_run(), services.nightly_run(DAY)]
    start = threading.Barrier(len(runs))
    errors: list[BaseException] = []

    def run_one(run):
        try:
            start.wait(timeout=30)
            services.run_ranking(run)
        except BaseException as error:  # the test reports it below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_one, args=(run,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert set(RankingRun.objects.values_list("status", flat=True)) == {RunStatus.SUCCEEDED}
    stored = list(RiskAssessment.objects.values_list("nominal_id", "run_id"))
    assert sorted(pk for pk, _ in stored) == [n.pk for n in people]
    assert len({run_id for _, run_id in stored}) == 1
