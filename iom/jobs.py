"""Background jobs that always end: a lease on each job, a heartbeat, and a sweeper.

A job is a row (a document, a cohort report, a ranking run, an import) that a Celery worker
carries out. The row, not the broker's message, is the truth about the job:

* ``publish`` sends the job's task after the row is saved. When the broker is down or slow it
  gives up within the broker timeouts, logs it and leaves the row queued and unsent
  (``published_at`` empty); the sweeper sends it when the broker is back.
* ``claim`` gives the job to one worker: the row is locked, its status moves from queued to
  running, and the lease records who runs it (host and process, task id), since when, and
  until when the lease holds (``lease_expires_at``). A message that arrives for a job that is
  running under a live lease, or finished, changes nothing: redelivery is harmless.
* while the worker works, a heartbeat thread extends the lease; ``finish`` and ``fail`` end it.
  Both apply only while the worker still holds the lease, so a worker that lost it (the
  sweeper gave the job to another) cannot overwrite the other's outcome.
* ``sweep`` (every minute, from beat) ends each job whose lease expired, that is whose worker
  stopped (killed, out of memory, machine lost): it queues the job again, a bounded number of
  times, or marks it failed with a reason the user reads, as its kind says. It also sends
  queued jobs that were never sent, or whose message was lost.

Each app registers its kinds of job (``register``) from its ``AppConfig.ready``; this module
knows none of them. docs/jobs.md says what each kind does when things fail.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

REQUEUE = "requeue"
FAIL = "fail"


class Job(models.Model):
    """The lease fields every job model has (abstract: each job keeps its own table)."""

    attempts = models.PositiveIntegerField(
        default=0, help_text="How many times a worker has started the job."
    )
    lease_owner = models.CharField(
        max_length=255, blank=True, help_text="The worker running the job: host:process."
    )
    lease_task_id = models.CharField(max_length=64, blank=True)
    leased_at = models.DateTimeField(null=True, blank=True, help_text="When the worker took it.")
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Unless renewed by then, the worker is taken as gone."
    )
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When its task was last sent (empty: not sent yet)."
    )

    class Meta:
        abstract = True

    @property
    def is_unsent(self) -> bool:
        """Saved, but its task could not be sent yet (the broker was unavailable)."""
        return self.published_at is None and self.attempts == 0


@dataclass(frozen=True)
class JobKind:
    """How one kind of job is run and ended.

    ``failure`` gives the fields that record a failure and its reason on the row (each model
    names its error and end fields its own way); ``lost_reason`` is the reason the user reads
    when the worker stopped, formatted with ``attempts`` and ``max_attempts``.
    """

    name: str
    model: type[models.Model]
    task_path: str  # the dotted path of the Celery task, sent with the job's primary key
    queued: str
    running: tuple[str, ...]
    on_lost: str  # REQUEUE or FAIL
    failure: Callable[[str], dict]
    lost_reason: str
    created_field: str
    max_attempts: int = 1

    @property
    def queryset(self) -> models.QuerySet:
        return self.model._default_manager.all()

    @property
    def task(self) -> Any:
        return import_string(self.task_path)


_kinds: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    """Let the sweeper look after this kind of job (``ready`` may call it twice: replaced)."""
    _kinds[kind.name] = kind


def kinds() -> list[JobKind]:
    return list(_kinds.values())


def lease_seconds() -> float:
    return float(getattr(settings, "IOM_JOB_LEASE_SECONDS", 60))


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _owner_is_gone(job: Job) -> bool:
    """The lease is held by a process of this machine that no longer exists (a killed pool
    child, say): no need to wait for the lease to run out."""
    host, _, pid = job.lease_owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, under another user
        return False
    return False


def is_lost(job: Job, now: datetime.datetime | None = None) -> bool:
    """A running job whose worker stopped: its lease ran out, or its process is gone."""
    now = now or timezone.now()
    if job.lease_expires_at is None or job.lease_expires_at < now:
        return True
    return _owner_is_gone(job)


def live(kind: JobKind, now: datetime.datetime | None = None) -> Q:
    """Jobs still on their way: queued, or running under a lease that has not run out."""
    now = now or timezone.now()
    return Q(status=kind.queued) | Q(status__in=kind.running, lease_expires_at__gte=now)


def _lease_fields(now: datetime.datetime) -> dict:
    expires = now + datetime.timedelta(seconds=lease_seconds())
    return {"heartbeat_at": now, "lease_expires_at": expires}


def _lost_reason(kind: JobKind, attempts: int) -> str:
    return kind.lost_reason.format(attempts=attempts, max_attempts=kind.max_attempts)


# --- Sending --------------------------------------------------------------------------------


def publish(kind: JobKind, job: Job) -> bool:
    """Send the job's task; True when it was sent (or, in the embedded mode, run inline).

    With a real broker only the sending happens here, so any error is the broker's: it is
    logged and the job stays queued and unsent for the sweeper. Call it once the row is
    committed (``transaction.on_commit``), so that a worker never looks for a row it cannot
    see yet."""
    app = kind.task.app
    if app.conf.task_always_eager:
        kind.task.apply_async(args=[job.pk])
    else:
        try:
            kind.task.apply_async(args=[job.pk])
        except Exception:  # the broker is down, frozen or refusing: the sweeper sends it later
            logger.warning("Could not send %s %s to the broker", kind.name, job.pk, exc_info=True)
            return False
    now = timezone.now()
    kind.queryset.filter(pk=job.pk, published_at__isnull=True).update(published_at=now)
    if job.published_at is None:
        job.published_at = now
    return True


def publish_on_commit(kind: JobKind, job: Job) -> None:
    transaction.on_commit(lambda: publish(kind, job))


# --- Running --------------------------------------------------------------------------------


class Lease:
    """A worker's hold on one job, from ``claim`` to ``finish`` or ``fail``."""

    def __init__(self, kind: JobKind, job: Job, *, heartbeat: bool):
        self.kind = kind
        self.job = job
        self._stop = threading.Event()
        self._thread = None
        if heartbeat:
            self._thread = threading.Thread(
                target=self._beat, name=f"lease-{kind.name}-{job.pk}", daemon=True
            )

    def __enter__(self) -> Lease:
        if self._thread is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=lease_seconds())

    def _mine(self) -> models.QuerySet:
        return self.kind.queryset.filter(
            pk=self.job.pk,
            status__in=self.kind.running,
            lease_owner=self.job.lease_owner,
            lease_task_id=self.job.lease_task_id,
        )

    def _beat(self) -> None:
        interval = lease_seconds() / 3
        try:
            while not self._stop.wait(interval):
                try:
                    if not self.renew():
                        return
                except DatabaseError:  # the next beat tries again; the lease may run out
                    logger.warning("Heartbeat of %s %s failed", self.kind.name, self.job.pk)
        finally:
            connections.close_all()  # this thread's own connection

    def renew(self) -> bool:
        """Extend the lease; False when the job is no longer this worker's."""
        return bool(self._mine().update(**_lease_fields(timezone.now())))

    def finish(self, **fields) -> bool:
        """Record the outcome (status and results); False, and nothing saved, when the lease
        was lost meanwhile."""
        return bool(self._mine().update(lease_expires_at=None, **fields))

    def fail(self, reason: str, **fields) -> bool:
        """Record a failure with the reason the user reads."""
        return self.finish(**self.kind.failure(reason[:2000]), **fields)


def claim(kind: JobKind, pk, *, task_id: str = "", heartbeat: bool = False, **fields):
    """Take the job for this worker: a ``Lease`` (use it with ``with``), or None when the job
    is not to be run here (finished, running under a live lease, deleted, or of a kind that is
    not taken over). ``fields`` are set as well, e.g. the job's own ``started_at``.

    A running job whose worker was lost (a message delivered again after its worker died) is
    taken over when its kind is re-queued, up to its ``max_attempts``; otherwise it is failed
    with the reason, as the sweeper would."""
    now = timezone.now()
    with transaction.atomic():
        job = kind.queryset.select_for_update().filter(pk=pk).first()
        if job is None:
            return None
        if job.status in kind.running:
            if not is_lost(job, now):
                return None
            if kind.on_lost != REQUEUE or job.attempts >= kind.max_attempts:
                _fail_lost(kind, job)
                return None
        elif job.status != kind.queued:
            return None
        changes = {
            "status": kind.running[0],
            "attempts": job.attempts + 1,
            "lease_owner": worker_identity(),
            "lease_task_id": task_id or "",
            "leased_at": now,
            "published_at": job.published_at or now,
            **_lease_fields(now),
            **fields,
        }
        kind.queryset.filter(pk=pk).update(**changes)
        for name, value in changes.items():
            setattr(job, name, value)
    return Lease(kind, job, heartbeat=heartbeat)


def reopen(kind: JobKind, pk, *, task_id: str = "") -> bool:
    """Queue a finished or abandoned job again, at a new request for the same thing (the
    nightly run of a date started again). A job running under a live lease is left, and so is
    one last taken by ``task_id``: that message is being delivered again after its worker
    stopped, which is not a new request (claim fails the job instead)."""
    now = timezone.now()
    jobs = kind.queryset.filter(pk=pk).exclude(live(kind, now))
    if task_id:
        jobs = jobs.exclude(lease_task_id=task_id)
    return bool(jobs.update(status=kind.queued, lease_expires_at=None, published_at=now))


def _fail_lost(kind: JobKind, job: Job) -> None:
    reason = _lost_reason(kind, job.attempts)
    kind.queryset.filter(pk=job.pk).update(lease_expires_at=None, **kind.failure(reason))
    logger.warning("%s %s failed: %s", kind.name, job.pk, reason)


# --- The sweeper ----------------------------------------------------------------------------


@dataclass
class SweepResult:
    requeued: int = 0
    failed: int = 0
    published: int = 0


def sweep(now: datetime.datetime | None = None) -> SweepResult:
    """End or re-queue every job whose worker was lost, and send every queued job that was
    never sent (or whose message has had time to be lost). Safe to run at any time, on any
    number of machines: rows being changed by someone else are skipped (``skip_locked``)."""
    now = now or timezone.now()
    result = SweepResult()
    for kind in kinds():
        to_publish: dict = {}
        with transaction.atomic():
            running = kind.queryset.select_for_update(skip_locked=True).filter(
                status__in=kind.running
            )
            for job in running:
                if not is_lost(job, now):
                    continue
                if kind.on_lost == REQUEUE and job.attempts < kind.max_attempts:
                    kind.queryset.filter(pk=job.pk).update(
                        status=kind.queued, lease_expires_at=None, published_at=None
                    )
                    logger.warning(
                        "%s %s was queued again: its worker %s stopped (attempt %s of %s)",
                        kind.name, job.pk, job.lease_owner, job.attempts, kind.max_attempts,
                    )  # fmt: skip
                    result.requeued += 1
                    to_publish[job.pk] = job
                else:
                    _fail_lost(kind, job)
                    result.failed += 1
            for job in _unsent(kind, now):
                to_publish.setdefault(job.pk, job)
        for job in to_publish.values():
            result.published += publish(kind, job)
    return result


def _unsent(kind: JobKind, now: datetime.datetime) -> list[Job]:
    """Queued jobs never sent (past a grace for the request that is sending them now), or
    sent long enough ago that their message was surely lost (a broker restarted empty)."""
    grace = now - datetime.timedelta(seconds=getattr(settings, "IOM_JOB_SEND_GRACE_SECONDS", 10))
    resend = now - datetime.timedelta(seconds=getattr(settings, "IOM_JOB_RESEND_SECONDS", 600))
    unsent = Q(published_at__isnull=True, **{f"{kind.created_field}__lt": grace})
    return list(
        kind.queryset.select_for_update(skip_locked=True)
        .filter(status=kind.queued)
        .filter(unsent | Q(published_at__lt=resend))
        .only("pk", "status", "published_at")
    )
