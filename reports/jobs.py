"""The background jobs of reports, as the sweeper knows them (iom/jobs.py, docs/jobs.md).

Documents and cohort reports only read: a job whose worker stopped is queued again, at most
``IOM_JOB_MAX_ATTEMPTS`` starts in all, then failed with the reason shown on its page.
"""

from django.conf import settings
from django.utils import timezone

from iom.jobs import REQUEUE, JobKind

from .models import CohortReport, Document, DocumentStatus, ReportStatus


def _document_failure(reason: str) -> dict:
    return {"status": DocumentStatus.FAILED, "error": reason, "completed_at": timezone.now()}


def _report_failure(reason: str) -> dict:
    return {"status": ReportStatus.FAILED, "error": reason, "completed_at": timezone.now()}


DOCUMENTS = JobKind(
    name="document",
    model=Document,
    task_path="reports.tasks.render_document",
    queued=DocumentStatus.QUEUED,
    running=(DocumentStatus.RENDERING,),
    on_lost=REQUEUE,
    failure=_document_failure,
    lost_reason="The service stopped while producing the document, {attempts} times out of "
    "{max_attempts}.",
    created_field="requested_at",
    max_attempts=settings.IOM_JOB_MAX_ATTEMPTS,
)

COHORT_REPORTS = JobKind(
    name="cohort-report",
    model=CohortReport,
    task_path="reports.tasks.build_cohort_report",
    queued=ReportStatus.QUEUED,
    running=(ReportStatus.BUILDING,),
    on_lost=REQUEUE,
    failure=_report_failure,
    lost_reason="The service stopped while building the report, {attempts} times out of "
    "{max_attempts}.",
    created_field="requested_at",
    max_attempts=settings.IOM_JOB_MAX_ATTEMPTS,
)
