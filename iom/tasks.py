"""Background tasks of the shared core."""

import socket

from celery import shared_task
from django.db.models import F
from django.utils import timezone

from .models import Heartbeat


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
