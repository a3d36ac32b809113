"""Background tasks of reports."""

from celery import shared_task

from . import services


@shared_task(name="reports.tasks.render_document")
def render_document(document_id: int) -> str:
    """Render one requested document. Idempotent: a document already rendered is skipped."""
    return services.render_document(document_id).status
