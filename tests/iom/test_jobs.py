"""Jobs always end (iom/jobs.py): a second delivery changes nothing while a worker holds the
lease; the sweeper queues again, or fails with the reason, a job whose worker stopped, and
sends what the broker never took. The tasks run inline here; tests/iom/test_jobs_worker.py
kills real workers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.risk import services as risk_services
from cohorts.risk import tasks as risk_tasks
from cohorts.risk.models import ImportJob, RankingRun, RiskAssessment
from iom.tasks import sweep_jobs
from reports import monthly
from reports.jobs import DOCUMENTS
from reports.measures.periods import last_month
from reports.models import CohortReport, Document
from reports.services import render_document
from tests import factories
from tests.reports.factories import DocumentFactory
from tests.risk import factories as risk

DAY = datetime.date(2026, 7, 1)
SECOND = datetime.timedelta(seconds=1)


def _held(job, status: str, *, expired: bool, attempts: int = 1, task_id: str = "t-1"):
    """As a worker on another machine left it: running, its lease live or run out."""
    now = timezone.now()
    type(job).objects.filter(pk=job.pk).update(
        status=status,
        attempts=attempts,
        lease_owner="worker-elsewhere:4242",
        lease_task_id=task_id,
        leased_at=now - 120 * SECOND,
        heartbeat_at=now - 90 * SECOND,
        lease_expires_at=now - SECOND if expired else now + 60 * SECOND,
        published_at=now - 120 * SECOND,
    )
    job.refresh_from_db()
    return job


@pytest.fixture
def document(officer, nominal):
    return DocumentFactory(nominal=nominal, requested_by=officer)


def test_a_second_delivery_leaves_a_document_being_rendered_under_a_live_lease(document):
    _held(document, "rendering", expired=False)
    render_document(document.pk, task_id="t-2")
    document.refresh_from_db()
    assert (document.status, document.attempts, document.lease_task_id) == ("rendering", 1, "t-1")


def test_a_delivery_after_the_worker_stopped_renders_the_document_again(document):
    _held(document, "rendering", expired=True)
    render_document(document.pk, task_id="t-1")
    document.refresh_from_db()
    assert (document.status, document.attempts) == ("ready", 2)
    assert document.file


def test_the_sweeper_queues_again_and_sends_a_document_whose_worker_stopped(document):
    _held(document, "rendering", expired=True)
    assert sweep_jobs()["requeued"] == 1
    document.refresh_from_db()
    assert (document.status, document.attempts) == ("ready", 2)


def test_the_sweeper_leaves_a_document_whose_worker_is_alive(document):
    _held(document, "rendering", expired=False)
    assert sweep_jobs() == {"requeued": 0, "failed": 0, "published": 0}
    document.refresh_from_db()
    assert document.status == "rendering"


def test_a_document_whose_worker_stopped_at_every_attempt_fails_with_the_reason(
    client, officer, document
):
    _held(document, "rendering", expired=True, attempts=DOCUMENTS.max_attempts)
    assert sweep_jobs()["failed"] == 1
    document.refresh_from_db()
    assert document.status == "failed"
    assert "The service stopped while producing the document, 3 times out of 3" in document.error
    client.force_login(officer)
    page = client.get(reverse("reports:document", args=[document.nominal_id, document.pk]))
    assert document.error in page.content.decode()
    assert b"data-app-refresh" not in page.content


def test_a_document_the_broker_never_took_is_sent_by_the_sweeper(client, officer, document):
    Document.objects.filter(pk=document.pk).update(requested_at=timezone.now() - 60 * SECOND)
    client.force_login(officer)
    page = client.get(reverse("reports:document", args=[document.nominal_id, document.pk]))
    assert "Documents cannot be produced right now; the request is saved" in page.content.decode()
    assert sweep_jobs()["published"] == 1
    document.refresh_from_db()
    assert document.status == "ready"
    assert document.published_at is not None


def test_a_document_just_requested_is_left_to_the_request_that_sends_it(document):
    assert sweep_jobs()["published"] == 0
    document.refresh_from_db()
    assert document.status == "queued"


def test_a_document_that_cannot_be_stored_fails_with_the_reason(settings, tmp_path, document):
    # The store's folder cannot be created: a file stands where it should be (the tests may
    # run as root, for whom a read-only folder is still writable).
    (tmp_path / "not-a-folder").write_text("")
    settings.MEDIA_ROOT = tmp_path / "not-a-folder" / "media"
    render_document(document.pk)
    document.refresh_from_db()
    assert document.status == "failed"
    assert document.error.startswith("The document was produced but could not be stored")
    assert not document.file


@pytest.fixture
def period():
    return last_month(timezone.localdate())


def _report(period, manager) -> CohortReport:
    return monthly.request_report(start=period.start, end=period.end, by=manager)


def test_a_cohort_report_whose_worker_stopped_is_not_returned_to_the_next_request(manager, period):
    stuck = _held(_report(period, manager), "building", expired=True)
    fresh = _report(period, manager)
    assert fresh.pk != stuck.pk
    assert fresh.status == "queued"


def test_a_cohort_report_being_built_is_returned_to_the_next_request(manager, period):
    building = _held(_report(period, manager), "building", expired=False)
    assert _report(period, manager).pk == building.pk


def test_a_cohort_report_that_cannot_be_stored_fails_with_the_reason(
    settings, tmp_path, manager, period
):
    (tmp_path / "not-a-folder").write_text("")
    settings.MEDIA_ROOT = tmp_path / "not-a-folder" / "media"
    report = monthly.build_report(_report(period, manager).pk)
    assert report.status == "failed"
    assert report.error.startswith("The report was built but could not be stored")
    assert not report.pdf


def _run(**fields) -> RankingRun:
    return RankingRun.objects.create(kind="on-demand", run_date=DAY, **fields)


def test_a_ranking_run_whose_worker_stopped_is_failed_with_the_reason(db):
    risk.DetectedOffenceFactory(nominal=factories.members(1)[0], committed_on=DAY)
    run = _held(_run(), "running", expired=True)
    assert sweep_jobs() == {"requeued": 0, "failed": 1, "published": 0}
    run.refresh_from_db()
    assert run.status == "failed"
    assert "ranks everyone again next night" in run.error
    assert not RiskAssessment.objects.exists()


def test_a_nightly_message_delivered_again_after_its_worker_stopped_does_not_run_again(db):
    risk.DetectedOffenceFactory(nominal=factories.members(1)[0], committed_on=DAY)
    run = _held(risk_services.nightly_run(DAY), "running", expired=True, task_id="night-1")
    risk_tasks.rerank_nightly.apply(args=[DAY.isoformat()], task_id="night-1")
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("failed", 1)
    risk_tasks.rerank_nightly.apply(args=[DAY.isoformat()], task_id="night-2")
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("succeeded", 2)
    assert RiskAssessment.objects.count() == 1


def test_an_import_whose_worker_stopped_is_failed_with_the_reason(manager):
    job = ImportJob.objects.create(
        source="police", file_name="feed.csv", content="record_type\n", uploaded_by=manager
    )
    _held(job, "writing", expired=True)
    assert sweep_jobs()["failed"] == 1
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.errors[0]["message"].startswith("The service stopped during the import")
    assert job.finished_at is not None
