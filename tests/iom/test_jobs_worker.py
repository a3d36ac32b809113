"""Jobs end even when their worker is killed, with real Celery workers on a Redis server of the
test's own: a document or report is rendered again, a ranking run fails with its reason and
leaves the previous ranking; two runs of one date leave one set (docs/jobs.md).

Each job is held mid-way deterministically: the table its work reads first is locked
(``LOCK TABLE``) before the worker starts, so the worker claims the job, starts its
heartbeat, and waits on the lock until the test kills it."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from cohorts.risk import services as risk_services
from cohorts.risk import tasks as risk_tasks
from cohorts.risk.jobs import RANKING_RUNS
from cohorts.risk.models import RankingRun, RiskAssessment
from iom import jobs
from iom.tasks import sweep_jobs
from reports import monthly
from reports import services as report_services
from reports.measures.periods import last_month
from reports.models import Document
from tests import factories
from tests.iom.redis_server import RedisServer, tasks_sent_to
from tests.iom.test_celery_worker import _test_database_url
from tests.reports.cohort_factories import member
from tests.risk import factories as risk

pytestmark = [pytest.mark.worker, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parent.parent.parent
LEASE_SECONDS = 2
DEADLINE_SECONDS = 60
DAY = datetime.date(2026, 7, 1)


@pytest.fixture(scope="module")
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


class Workers:
    """Celery workers started for one test, on the test's Redis and database."""

    def __init__(self, broker_url: str, tmp_path: Path):
        self.broker_url = broker_url
        self.tmp_path = tmp_path
        self.started: list[tuple[subprocess.Popen, Path]] = []

    def start(self, *, pool: str = "solo", concurrency: int = 1) -> subprocess.Popen:
        log_path = self.tmp_path / f"worker-{len(self.started)}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "iom.settings",
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "DATABASE_URL": _test_database_url(),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "IOM_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
            "PYTHONUNBUFFERED": "1",
        }
        command = [
            sys.executable, "-m", "celery", "-A", "iom", "worker", f"--pool={pool}",
            f"--concurrency={concurrency}", "--loglevel=INFO", "--without-heartbeat",
            "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        with log_path.open("w") as log:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        self.started.append((process, log_path))
        return process

    def logs(self) -> str:
        return "\n".join(f"--- {path.name}\n{path.read_text()}" for _, path in self.started)

    def stop_all(self) -> None:
        for process, _ in self.started:
            if process.poll() is None:
                process.terminate()
        for process, _ in self.started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def workers(transactional_db, redis_server, tmp_path, settings):
    redis_server.flush()
    settings.IOM_JOB_LEASE_SECONDS = LEASE_SECONDS
    started = Workers(redis_server.url, tmp_path)
    with tasks_sent_to(redis_server.url):
        yield started
    started.stop_all()


class TableLock:
    """An ACCESS EXCLUSIVE lock on a table, from a connection of the test's own."""

    def __init__(self, table: str):
        self.connection = psycopg2.connect(_test_database_url())
        with self.connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")

    def release(self) -> None:
        if not self.connection.closed:
            self.connection.rollback()
            self.connection.close()


@pytest.fixture
def lock_table():
    locks: list[TableLock] = []

    def lock(table: str) -> TableLock:
        locks.append(TableLock(table))
        return locks[-1]

    yield lock
    for held in locks:
        held.release()


def wait_for(what: str, condition, workers: Workers, *, sweep: bool = False):
    """Poll ``condition`` until it is true (running the sweeper first when asked)."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if sweep:
            sweep_jobs()
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"Not {what} after {DEADLINE_SECONDS}s; the workers said:\n{workers.logs()}")


def kill(process: subprocess.Popen) -> float:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    return time.monotonic()


def _row(model, pk):
    return model.objects.filter(pk=pk).values("status", "attempts", "lease_owner", "error").get()


def _killed_mid_job_then_done_again(job, running: str, table: str, workers, lock_table) -> dict:
    """Lock ``table``, start a worker, kill it once it holds ``job``, and wait for the sweeper
    to queue the job again within its lease; then let a new worker do it."""
    model = type(job)
    lock = lock_table(table)
    first = workers.start()
    wait_for(running, lambda: _row(model, job.pk)["status"] == running, workers)
    killed_at = kill(first)
    row = wait_for(
        "queued again",
        lambda: (r := _row(model, job.pk))["status"] != running and r,
        workers,
        sweep=True,
    )
    assert time.monotonic() - killed_at < LEASE_SECONDS + 1
    assert (row["status"], row["attempts"]) == ("queued", 1)
    lock.release()
    workers.start()
    return wait_for("done", lambda: (r := _row(model, job.pk))["status"] == "ready" and r, workers)


def test_a_document_whose_worker_is_killed_mid_render_is_rendered_again(
    workers, lock_table, officer, nominal
):
    document = report_services.request_document(nominal, by=officer, kind="recall-pack")
    row = _killed_mid_job_then_done_again(
        document, "rendering", "cohorts_nominal", workers, lock_table
    )
    assert row["attempts"] == 2
    document.refresh_from_db()
    assert document.file.storage.exists(document.file.name)


def test_a_document_whose_pool_process_is_killed_is_rendered_again(
    workers, lock_table, officer, nominal
):
    document = report_services.request_document(nominal, by=officer, kind="recall-pack")
    lock = lock_table("cohorts_nominal")
    main = workers.start(pool="prefork")
    wait_for("rendering", lambda: _row(Document, document.pk)["status"] == "rendering", workers)
    child_pid = int(_row(Document, document.pk)["lease_owner"].rpartition(":")[2])
    assert child_pid != main.pid
    os.kill(child_pid, signal.SIGKILL)
    # The worker hands the message back at once (task_reject_on_worker_lost); its next pool
    # process takes the document over, as the owner of the lease is gone (or the sweeper
    # queues it again when the lease runs out).
    taken_again = lambda: _row(Document, document.pk)["attempts"] == 2  # noqa: E731
    wait_for("taken again", taken_again, workers, sweep=True)
    lock.release()
    ready = lambda: (r := _row(Document, document.pk))["status"] == "ready" and r  # noqa: E731
    row = wait_for("ready", ready, workers)
    assert row["attempts"] == 2
    assert main.poll() is None


def test_a_cohort_report_whose_worker_is_killed_mid_build_is_built_again(
    workers, lock_table, manager
):
    period = last_month(datetime.date.today())
    member(period.start - datetime.timedelta(days=30))
    report = monthly.request_report(start=period.start, end=period.end, by=manager)
    row = _killed_mid_job_then_done_again(
        report, "building", "cohorts_cohortmembership", workers, lock_table
    )
    assert row["attempts"] == 2
    report.refresh_from_db()
    assert report.pdf.storage.exists(report.pdf.name)


def _other_backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_a_ranking_run_whose_worker_is_killed_mid_run_fails_and_leaves_the_ranking(
    workers, lock_table
):
    people = factories.members(3)
    for nominal in people:
        risk.DetectedOffenceFactory(nominal=nominal, committed_on=DAY)
    risk_services.rerank(DAY)  # in this process: the ranking in place before the run
    before = sorted(RiskAssessment.objects.values_list("pk", "nominal_id", "score"))
    run = RankingRun.objects.create(kind="on-demand", run_date=DAY)
    assert jobs.publish(RANKING_RUNS, run)
    lock = lock_table("cohorts_cohortmembership")
    worker = workers.start()
    wait_for("running", lambda: _row(RankingRun, run.pk)["status"] == "running", workers)
    killed_at = kill(worker)
    failed = lambda: (r := _row(RankingRun, run.pk))["status"] == "failed" and r  # noqa: E731
    row = wait_for("failed", failed, workers, sweep=True)
    assert time.monotonic() - killed_at < LEASE_SECONDS + 1
    assert "The service stopped during the run" in row["error"]
    lock.release()
    wait_for("the killed worker's transaction ended", lambda: _other_backends() == 0, workers)
    assert sorted(RiskAssessment.objects.values_list("pk", "nominal_id", "score")) == before


def test_a_nightly_and_a_managers_run_of_one_date_together_leave_one_assessment_each(workers):
    people = factories.members(3)
    for nominal in people:
        risk.DetectedOffenceFactory(nominal=nominal, committed_on=DAY)
    run = RankingRun.objects.create(kind="on-demand", run_date=DAY)
    workers.start(pool="prefork", concurrency=2)
    risk_tasks.rerank_nightly.apply_async(args=[DAY.isoformat()])
    assert jobs.publish(RANKING_RUNS, run)
    wait_for(
        "both finished",
        lambda: RankingRun.objects.filter(status="succeeded").count() == 2,
        workers,
    )
    stored = list(RiskAssessment.objects.values_list("nominal_id", "run_id"))
    assert sorted(pk for pk, _ in stored) == sorted(n.pk for n in people)
    assert len({run_id for _, run_id in stored}) == 1


def test_a_document_requested_while_the_broker_was_down_is_rendered_once_it_is_back(
    workers, redis_server, officer, nominal, settings
):
    settings.IOM_JOB_SEND_GRACE_SECONDS = 0
    workers.start()
    redis_server.stop()
    document = report_services.request_document(nominal, by=officer, kind="recall-pack")
    assert document.is_unsent
    redis_server.start()  # the worker reconnects by itself; the sweeper sends the document
    ready = lambda: (r := _row(Document, document.pk))["status"] == "ready" and r  # noqa: E731
    assert wait_for("ready", ready, workers, sweep=True)["attempts"] == 1
