"""Celery tasks of the ranking and the feeds: thin wrappers over the services, safe to run twice."""

import datetime

from celery import shared_task
from django.utils import timezone

from . import importing, services
from .models import RankingRun


@shared_task(name="risk.rerank_nightly")
def rerank_nightly(run_date: str | None = None) -> int:
    """Re-rank everyone for ``run_date`` (today by default). A second run of the same date
    replaces that date's assessments, so there is still one per person. Returns the run id."""
    day = datetime.date.fromisoformat(run_date) if run_date else timezone.localdate()
    return services.rerank(day).pk


@shared_task(name="risk.run_ranking")
def run_ranking(run_id: int) -> int:
    """Carry out a run a manager requested (services.request_run)."""
    run = RankingRun.objects.get(pk=run_id)
    if run.is_finished:
        return run.pk
    return services.run_ranking(run).pk


@shared_task(name="risk.import_offending")
def import_offending(job_id: int) -> int:
    """Validate and import an uploaded feed (importing.run_import); a finished job is left."""
    return importing.run_import(job_id).pk
