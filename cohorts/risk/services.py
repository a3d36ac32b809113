"""Every change to offending history and to the ranking: one function each, one transaction,
validation before writing, the audit event inside."""

from __future__ import annotations

import datetime
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cohorts import dates
from cohorts.models import Nominal
from iom import access, audit, jobs
from iom.formatting import long_date
from iom.locking import lock_for_transaction, lock_for_update
from iom.models import AuditAction

from . import assessing, current, table_statistics
from .jobs import RANKING_RUNS
from .models import (
    Band,
    Ogrs3Result,
    RankingRun,
    RiskAssessment,
    RiskModelVersion,
    RiskOverride,
    RunKind,
    RunStatus,
)
from .ogrs3 import run as ogrs3_run
from .parameters import ModelParameters

# An override is an officer's judgement for now: it lapses within a year, to be set again if
# it still holds, rather than standing for ever beside the computed band.
OVERRIDE_YEARS_AHEAD = 1


def can_run_ranking(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_iom_manager)


def can_override(user, nominal: Nominal) -> bool:
    return access.can(user, "change", nominal)


def override_expiry_error(expires_on: datetime.date) -> str | None:
    """Why an override cannot expire on ``expires_on`` (in the past, or more than a year
    ahead), or None. The form and the service give the same message."""
    if expires_on < timezone.localdate():
        return "The expiry date must be today or in the future"
    furthest = dates.latest(OVERRIDE_YEARS_AHEAD)
    if expires_on > furthest:
        return (
            f"The expiry date must be on or before {furthest.day} {furthest:%B %Y}: "
            "an override is looked at again within a year"
        )
    return None


# --- The ranking ------------------------------------------------------------------------------


def nightly_run(run_date: datetime.date) -> RankingRun:
    """The nightly run of ``run_date``: created once, found again on a second call."""
    run, _ = RankingRun.objects.get_or_create(
        kind=RunKind.NIGHTLY, run_date=run_date, defaults={"status": RunStatus.QUEUED}
    )
    return run


def request_run(*, by) -> RankingRun:
    """A manager asks for a ranking now: the run is saved and its task sent once committed
    (when the broker cannot take it, the run stays queued and the sweeper sends it later)."""
    actor = audit.as_actor(by)
    if not can_run_ranking(actor.user):
        raise PermissionDenied("Only managers can start a ranking run.")
    with transaction.atomic():
        run = RankingRun.objects.create(
            kind=RunKind.ON_DEMAND, run_date=timezone.localdate(), requested_by=actor.user
        )
        audit.record(actor, AuditAction.COMBINATION, run, description="Started a risk ranking")
    jobs.publish_on_commit(RANKING_RUNS, run)
    return run


class LeaseLost(Exception):
    """The run was taken from this worker (the sweeper found its lease run out)."""


def run_ranking(run: RankingRun, *, task_id: str = "", in_worker: bool = False) -> RankingRun:
    """Score everyone due on ``run.run_date`` and store one assessment each, replacing that
    date's assessments whoever stored them, in one transaction under a lock of the date: two
    runs of one date take turns and leave one set. A failure leaves the previous ranking in
    place and is recorded on the run with its error (then raised again). A run finished, or
    running under another worker's live lease, is left alone (iom/jobs.py)."""
    lease = jobs.claim(
        RANKING_RUNS, run.pk, task_id=task_id, heartbeat=in_worker, started_at=timezone.now(),
        finished_at=None, duration_seconds=None, error="",
    )  # fmt: skip
    if lease is None:
        run.refresh_from_db()
        return run
    started = time.monotonic()
    with lease:
        try:
            # A table just bulk-loaded, or changed a lot, is analysed first (outside the
            # transaction): the run's joins are planned knowing the tables' sizes.
            table_statistics.analyse_stale_tables(run.run_date)
            with transaction.atomic():
                lock_for_transaction("risk.ranking", run.run_date.toordinal())
                version = RiskModelVersion.current()
                params = ModelParameters.from_json(version.parameters)
                RiskAssessment.objects.filter(assessed_on=run.run_date).delete()
                Ogrs3Result.objects.filter(assessed_on=run.run_date).delete()
                counts = _write_assessments(run, version, params)
                ogrs3_run.score_run(run)  # OGRS3 beside the band (docs/ogrs3.md)
                current.record_run(run)  # the cohort list's current rankings
                finished = lease.finish(
                    status=RunStatus.SUCCEEDED,
                    model_version=version,
                    people_scored=counts.people_scored,
                    members_ranked=counts.members_ranked,
                    emerging_threats=counts.emerging_threats,
                    finished_at=timezone.now(),
                    duration_seconds=time.monotonic() - started,
                    error="",
                )
                if not finished:
                    raise LeaseLost("The run was stopped: its worker stopped responding.")
                audit.record(
                    audit.as_actor(run.requested_by),
                    AuditAction.COMBINATION,
                    run,
                    description=f"Ranked {counts.people_scored} people (model {version.number})",
                )
        except Exception as error:
            lease.fail(
                f"{type(error).__name__}: {error}", duration_seconds=time.monotonic() - started
            )
            run.refresh_from_db()
            raise
    run.refresh_from_db()
    return run


def _write_assessments(
    run: RankingRun, version: RiskModelVersion, params: ModelParameters
) -> assessing.RunCounts:
    """One INSERT ... SELECT on PostgreSQL, Python folding and bulk_create elsewhere."""
    return assessing.write_assessments(run, version, params)


def rerank(run_date: datetime.date, *, task_id: str = "", in_worker: bool = False) -> RankingRun:
    """The nightly re-ranking of ``run_date``. Running it twice for a date changes nothing: the
    second run replaces the first's assessments with the same ones. A nightly run of the date
    that finished, failed or was abandoned by its worker is run again; one still running
    under a live lease is left to finish."""
    run = nightly_run(run_date)
    jobs.reopen(RANKING_RUNS, run.pk, task_id=task_id)
    return run_ranking(run, task_id=task_id, in_worker=in_worker)


# --- Overrides --------------------------------------------------------------------------------


def set_override(
    nominal: Nominal, *, by, band: str, reason: str, expires_on: datetime.date
) -> RiskOverride:
    """Set the band officers should work to, with a reason and an expiry. Replaces an override
    already in force. Refuses a missing reason, an unknown band, an expiry in the past and one
    more than a year ahead."""
    actor = audit.as_actor(by)
    if actor.user is None or not can_override(actor.user, nominal):
        raise PermissionDenied("You cannot change this person's risk band.")
    errors = {}
    if band not in Band.values:
        errors["band"] = "Select Red, Amber or Green"
    if not reason.strip():
        errors["reason"] = "Say why the band should be different from the computed one"
    expiry_error = override_expiry_error(expires_on)
    if expiry_error:
        errors["expires_on"] = expiry_error
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        now = timezone.now()
        open_overrides = RiskOverride.objects.select_for_update().filter(
            nominal=nominal, ended_at__isnull=True
        )
        open_overrides.update(ended_at=now, ended_by=actor.user)
        override = RiskOverride.objects.create(
            nominal=nominal, band=band, reason=reason.strip(), expires_on=expires_on,
            set_by=actor.user,
        )  # fmt: skip
        audit.record(
            actor,
            AuditAction.ALTERATION,
            override,
            nominal=nominal,
            description=f"Set the risk band to {override.get_band_display()} "
            f"until {long_date(expires_on)}",
            changes={"band": [None, band], "expires_on": [None, expires_on.isoformat()]},
            reason=reason,
        )
    return override


def end_override(override_id: int, *, by, version: int) -> RiskOverride:
    """End an override before its expiry; the computed band applies again."""
    actor = audit.as_actor(by)
    with transaction.atomic():
        override = lock_for_update(RiskOverride, override_id, version)
        if actor.user is None or not can_override(actor.user, override.nominal):
            raise PermissionDenied("You cannot change this person's risk band.")
        if override.ended_at is not None:
            raise ValidationError("This override has already ended")
        override.ended_at = timezone.now()
        override.ended_by = actor.user
        override.save()
        audit.record(
            actor,
            AuditAction.ALTERATION,
            override,
            nominal=override.nominal,
            description="Ended the risk band override",
        )
    return override


# --- Versions of the risk model ---------------------------------------------------------------


@transaction.atomic
def create_model_version(*, parameters: dict, notes: str = "", by) -> RiskModelVersion:
    """Store a new version of the risk model. A version once stored is never changed, so every
    assessment keeps meaning what it meant; the next run uses the newest. Refuses parameters
    the scoring cannot read. The collection is audited with the parameters."""
    ModelParameters.from_json(parameters)
    RiskModelVersion.objects.select_for_update().filter(number__gte=0).exists()
    latest = RiskModelVersion.objects.aggregate(top=Max("number"))["top"] or 0
    actor = audit.as_actor(by)
    version = RiskModelVersion.objects.create(
        number=latest + 1,
        parameters=parameters,
        notes=notes,
        created_by=actor.user if getattr(actor.user, "is_authenticated", False) else None,
    )
    audit.record(
        actor,
        AuditAction.COLLECTION,
        version,
        description=f"Stored version {version.number} of the risk model",
        changes={"parameters": [None, parameters]},
    )
    return version
