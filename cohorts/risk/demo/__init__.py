"""Demo data for offending and risk: each demo person's history, and the nightly rankings.

Called by ``manage.py seed_demo`` after ``cohorts.demo`` has made the people. ``history``
writes two years of offending to the day of the seed and ``ogrs3`` the earlier criminal
career; rows carry deterministic references under the source "demo", so a second run adds
nothing (and, having nothing new, does not rank again).

Last night's ranking runs here, so the pages show bands at once. Memberships are written later
in the seed (``referrals.demo``); ``rank_nights`` then ranks the last 60 nights, last night
again included, so that each assessment holds the member's rank and the risk history has
two months of points. It is called by ``reports.demo``, the last seeder.
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.utils import timezone

from cohorts.models import Nominal
from cohorts.risk import services
from cohorts.risk.models import (
    DetectedOffence,
    OffenceType,
    RankingRun,
    RunKind,
    RunStatus,
)
from iom import demo as core
from iom.formatting import long_date

from . import ogrs3
from .history import SOURCE, history

# The nightly rankings the demo has, up to and including last night's (the nightly job runs
# at 02:30 for that day's date).
NIGHTS = 60


def night_dates(today: datetime.date) -> list[datetime.date]:
    """The run dates of the last ``NIGHTS`` nightly rankings, oldest first."""
    return [today - datetime.timedelta(days=n) for n in range(NIGHTS - 1, -1, -1)]


def rank_nights(today: datetime.date, extra: tuple[datetime.date, ...] = ()) -> RankingRun:
    """Rank the last ``NIGHTS`` nights and the ``extra`` dates (month-ends), oldest first, with
    the nightly run service; last night's run is returned."""
    run = None
    for day in sorted({*night_dates(today), *extra}):
        run = services.rerank(day)
    return run


def _offence_types() -> dict[str, list[OffenceType]]:
    by_category: dict[str, list[OffenceType]] = {}
    for offence_type in OffenceType.objects.order_by("code"):
        by_category.setdefault(offence_type.category, []).append(offence_type)
    return by_category


def _write_history(rng: random.Random, today: datetime.date, by_category, result) -> None:
    everything: dict[type, list] = {}
    for nominal in Nominal.objects.order_by("pnc_id", "id"):
        for model, rows in history(rng, nominal, by_category, today).items():
            everything.setdefault(model, []).extend(rows)
    everything.setdefault(DetectedOffence, []).extend(
        ogrs3.earlier_sanctions(Nominal.objects.order_by("pnc_id", "id"), today)
    )
    for model, rows in everything.items():
        before = model.objects.filter(source=SOURCE).count()
        model.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        created = model.objects.filter(source=SOURCE).count() - before
        if created:
            result.created[str(model._meta.verbose_name_plural)] = created


def seed(
    rng: random.Random, stdout: TextIO | None, *, today: datetime.date | None = None
) -> core.SeedResult:
    today = today or timezone.localdate()
    result = core.SeedResult()
    by_category = _offence_types()
    if not by_category:
        result.notes.append("No offence types: run the migrations first.")
        return result
    if not DetectedOffence.objects.filter(source=SOURCE).exists():
        _write_history(rng, today, by_category, result)
    ranked = RankingRun.objects.filter(kind=RunKind.NIGHTLY, status=RunStatus.SUCCEEDED)
    if ranked.exists() and not result.created:
        return result  # seeded and ranked by an earlier run: change nothing
    run = services.rerank(today)
    bands = dict.fromkeys(("red", "amber", "green"), 0)
    for band in run.assessments.values_list("band", flat=True):
        bands[band] += 1
    result.summary.append(
        f"Ranked {run.people_scored} people last night ({long_date(today)}): "
        f"{bands['red']} Red, {bands['amber']} Amber, {bands['green']} Green"
    )
    return result
