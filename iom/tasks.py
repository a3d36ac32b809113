"""Background tasks of the shared core."""

import socket

from celery import shared_task
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from . import jobs
from .models import Heartbeat

SWEEP_LIMITS = settings.IOM_TASK_TIME_LIMITS["sweep"]


@shared_task(name="iom.tasks.record_heartbeat")
def record_heartbeat(source: str = "worker") -> int:
    """Record that a worker ran a task now; the status page shows it. Safe to run twice."""
    now = timezone.now()
    beat, created = Heartbeat.objects.get_or_create(
        source=source, defaults={"at": now, "hostname": socket.gethostname(), "count": 1}
    )
    if not created:
        Heartbeat.objects.filter(pk=beat.pk).update(
            at=now, hostname=socket.gethostname(), count=F("count") + 1
        )
    return Heartbeat.objects.get(pk=beat.pk).count


@shared_task(
    name="iom.tasks.sweep_jobs", soft_time_limit=SWEEP_LIMITS[0], time_limit=SWEEP_LIMITS[1]
)
def sweep_jobs() -> dict[str, int]:
    """Every minute (beat): re-queue or fail the jobs whose worker stopped, and send the
    queued jobs the broker did not take (iom/jobs.py). Safe to run twice or on two workers."""
    result = jobs.sweep()
    return {"requeued": result.requeued, "failed": result.failed, "published": result.published}
