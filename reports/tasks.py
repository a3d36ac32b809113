"""Background tasks of reports."""

from celery import shared_task

from . import services


@shared_task(name="reports.tasks.render_document")
def render_document(document_id: int) -> str:
    """Render one requested document. Idempotent: a document already rendered is skipped."""
    return services.render_document(document_id).status


@shared_task(name="reports.tasks.build_cohort_report")
def build_cohort_report(report_id: int) -> str:
    """Build one requested cohort report. Idempotent: a report already built is skipped."""
    from . import monthly

    return monthly.build_report(report_id).status


@shared_task(name="reports.tasks.monthly_cohort_report")
def monthly_cohort_report() -> int:
    """On the first of each month: last month's cohort report (the stored one if the data
    have not changed)."""
    from . import monthly

    return monthly.request_last_month().pk
