"""The nightly ranking through a real Celery worker on the broker: twice for one date still
gives one assessment per person."""

import datetime
import time

import pytest

from cohorts.risk.models import RankingRun, RiskAssessment
from cohorts.risk.tasks import rerank_nightly
from tests import factories
from tests.iom.test_celery_worker import WAIT_FOR_TASK_SECONDS
from tests.risk import factories as risk

pytestmark = pytest.mark.worker

DAY = datetime.date(2026, 7, 1)


def _wait_for_attempts(count: int, process, log_path) -> RankingRun:
    deadline = time.monotonic() + WAIT_FOR_TASK_SECONDS
    while time.monotonic() < deadline:
        run = RankingRun.objects.filter(kind="nightly", run_date=DAY).first()
        if run is not None and run.attempts >= count and run.status == "succeeded":
            return run
        if process.poll() is not None:
            pytest.fail(f"The worker stopped (exit {process.returncode}):\n{log_path.read_text()}")
        time.sleep(0.2)
    pytest.fail(f"The run did not finish {count} times; the worker said:\n{log_path.read_text()}")


def test_the_nightly_task_run_twice_by_a_worker_keeps_one_assessment_per_person(worker, eager_off):
    process, queue, log_path = worker
    people = factories.members(3)
    for nominal in people:
        risk.DetectedOffenceFactory(nominal=nominal, committed_on=DAY)

    rerank_nightly.apply_async(args=[DAY.isoformat()], queue=queue)
    _wait_for_attempts(1, process, log_path)
    rerank_nightly.apply_async(args=[DAY.isoformat()], queue=queue)
    run = _wait_for_attempts(2, process, log_path)

    assert RankingRun.objects.filter(kind="nightly", run_date=DAY).count() == 1
    assert run.people_scored == 3
    per_person = RiskAssessment.objects.filter(assessed_on=DAY).values_list("nominal_id", flat=True)
    assert sorted(per_person) == sorted(n.pk for n in people)
