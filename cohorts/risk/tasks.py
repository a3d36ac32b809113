"""Celery tasks of the ranking and the feeds: thin wrappers over the services, safe to run twice
(each job's lease decides who runs it, iom/jobs.py)."""

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import importing, services
from .models import RankingRun

RANKING_LIMITS = settings.IOM_TASK_TIME_LIMITS["ranking"]
IMPORT_LIMITS = settings.IOM_TASK_TIME_LIMITS["import"]


@shared_task(
    bind=True,
    name="risk.rerank_nightly",
    soft_time_limit=RANKING_LIMITS[0],
    time_limit=RANKING_LIMITS[1],
)
def rerank_nightly(self, run_date: str | None = None) -> int:
    """Re-rank everyone for ``run_date`` (today by default). A second run of the same date
    replaces that date's assessments, so there is still one per person. Returns the run id."""
    day = datetime.date.fromisoformat(run_date) if run_date else timezone.localdate()
    return services.rerank(
        day, task_id=self.request.id or "", in_worker=not self.request.is_eager
    ).pk


@shared_task(
    bind=True,
    name="risk.run_ranking",
    soft_time_limit=RANKING_LIMITS[0],
    time_limit=RANKING_LIMITS[1],
)
def run_ranking(self, run_id: int) -> int:
    """Carry out a run a manager requested (services.request_run); a run finished or running
    under another worker's live lease is left."""
    run = RankingRun.objects.get(pk=run_id)
    return services.run_ranking(
        run, task_id=self.request.id or "", in_worker=not self.request.is_eager
    ).pk


@shared_task(
    bind=True,
    name="risk.import_offending",
    soft_time_limit=IMPORT_LIMITS[0],
    time_limit=IMPORT_LIMITS[1],
)
def import_offending(self, job_id: int) -> int:
    """Validate and import an uploaded feed (importing.run_import); a finished job, or one
    running under another worker's live lease, is left."""
    return importing.run_import(
        job_id, task_id=self.request.id or "", in_worker=not self.request.is_eager
    ).pk
