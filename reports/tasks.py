"""Background tasks of reports: thin wrappers over the services, safe to run twice (each job's
lease decides who runs it, iom/jobs.py)."""

from celery import shared_task
from django.conf import settings

from . import services

DOCUMENT_LIMITS = settings.IOM_TASK_TIME_LIMITS["document"]
REPORT_LIMITS = settings.IOM_TASK_TIME_LIMITS["cohort-report"]


@shared_task(
    bind=True,
    name="reports.tasks.render_document",
    soft_time_limit=DOCUMENT_LIMITS[0],
    time_limit=DOCUMENT_LIMITS[1],
)
def render_document(self, document_id: int) -> str:
    """Render one requested document. Idempotent: a document finished, or being rendered by a
    live worker, is skipped."""
    return services.render_document(
        document_id, task_id=self.request.id or "", in_worker=not self.request.is_eager
    ).status


@shared_task(
    bind=True,
    name="reports.tasks.build_cohort_report",
    soft_time_limit=REPORT_LIMITS[0],
    time_limit=REPORT_LIMITS[1],
)
def build_cohort_report(self, report_id: int) -> str:
    """Build one requested cohort report. Idempotent: a report finished, or being built by a
    live worker, is skipped."""
    from . import monthly

    return monthly.build_report(
        report_id, task_id=self.request.id or "", in_worker=not self.request.is_eager
    ).status


@shared_task(name="reports.tasks.monthly_cohort_report")
def monthly_cohort_report() -> int:
    """On the first of each month: last month's cohort report (the stored one if the data
    have not changed)."""
    from . import monthly

    return monthly.request_last_month().pk


@shared_task(name="reports.refresh_dashboard")
def refresh_dashboard() -> str:
    """Last month's dashboard figures worked out again before they go stale."""
    from . import dashboard_figures

    return dashboard_figures.refresh()
