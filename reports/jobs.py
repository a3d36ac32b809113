"""The background jobs of reports, as the sweeper knows them (iom/jobs.py, docs/jobs.md).

Documents and cohort reports only read: a job whose worker stopped is queued again, at most
``IOM_JOB_MAX_ATTEMPTS`` starts in all, then failed with the reason shown on its page.
"""

from django.conf import settings
from django.utils import timezone

from iom.jobs import REQUEUE, JobKind

from .models import CohortReport, Document, DocumentStatus, ReportStatus


def _read_only_job(name: str, model, task: str, statuses, running, doing: str) -> JobKind:
    """A job that only reads what it builds from: lost, it is queued again; after its last
    attempt it fails with the reason, and the time it did."""

    def failure(reason: str) -> dict:
        return {"status": statuses.FAILED, "error": reason, "completed_at": timezone.now()}

    return JobKind(
        name=name,
        model=model,
        task_path=task,
        queued=statuses.QUEUED,
        running=(running,),
        on_lost=REQUEUE,
        failure=failure,
        lost_reason=f"The service stopped while {doing}, {{attempts}} times out of "
        "{max_attempts}.",
        created_field="requested_at",
        max_attempts=settings.IOM_JOB_MAX_ATTEMPTS,
    )


DOCUMENTS = _read_only_job(
    "document",
    Document,
    "reports.tasks.render_document",
    DocumentStatus,
    DocumentStatus.RENDERING,
    "producing the document",
)
COHORT_REPORTS = _read_only_job(
    "cohort-report",
    CohortReport,
    "reports.tasks.build_cohort_report",
    ReportStatus,
    ReportStatus.BUILDING,
    "building the report",
)
