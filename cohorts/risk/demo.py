"""Demo data for offending and risk: each demo person's recent history, then one ranking.

Called by ``manage.py seed_demo`` after ``cohorts.demo`` has made the people. Each person gets
a profile (prolific, active, occasional or quiet) that decides how many detections, arrests
and intelligence reports they have in the two years before the demo's reference date, and
whether officers recorded drug use, unstable accommodation, custody or a move out of the
area; the spread gives the cohort a plausible mix of Red, Amber and Green. Rows carry
deterministic references under the source "demo", so a second run adds nothing (and, having
nothing new, does not rank again).

The ranking runs once for the reference date, so the pages show bands at once. Memberships
are written later in the seed (``referrals.demo``), so the same date is ranked again when the
seed commits, which adds each member's rank in the cohort (a re-run of a date replaces it).
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.db import transaction

from cohorts.demo import REFERENCE_DATE
from cohorts.models import Nominal
from iom import demo as core

from . import ogrs3_demo, services
from .models import (
    Arrest,
    CustodyPeriod,
    DetectedOffence,
    DynamicFactor,
    IntelligenceReport,
    OffenceCategory,
    OffenceType,
    RankingRun,
    ResidencePeriod,
    RunKind,
    RunStatus,
)

SOURCE = "demo"
HISTORY_DAYS = 730
# (profile, share of people, detections, arrests, intelligence reports) as ranges.
PROFILES = [
    ("prolific", 18, (4, 9), (2, 5), (2, 6)),
    ("active", 32, (1, 4), (1, 3), (0, 3)),
    ("occasional", 30, (0, 2), (0, 2), (0, 1)),
    ("quiet", 20, (0, 1), (0, 1), (0, 0)),
]
# How recent a profile's events are: the age in days is HISTORY_DAYS * random() ** skew.
RECENCY_SKEW = {"prolific": 2.5, "active": 1.5, "occasional": 1.0, "quiet": 0.6}
LOCATIONS = ["Castlegate", "Riverside", "Northfields", "Westmoor", "Eastbridge", "Kettlebrook"]
ACQUISITIVE = (
    OffenceCategory.BURGLARY_DWELLING,
    OffenceCategory.ROBBERY_PERSONAL,
    OffenceCategory.THEFT_FROM_VEHICLE,
    OffenceCategory.THEFT_OF_VEHICLE,
)


def _day(rng: random.Random, profile: str) -> datetime.date:
    age = int(HISTORY_DAYS * rng.random() ** RECENCY_SKEW[profile])
    return REFERENCE_DATE - datetime.timedelta(days=age)


def _offence(rng: random.Random, by_category: dict) -> OffenceType:
    category = rng.choice(ACQUISITIVE) if rng.random() < 0.7 else rng.choice(list(by_category))
    return rng.choice(by_category[category])


def _history(rng: random.Random, nominal: Nominal, by_category: dict) -> dict[type, list]:
    profile, *_ = rng.choices(PROFILES, weights=[p[1] for p in PROFILES])[0]
    _, _, detections, arrests, reports = next(p for p in PROFILES if p[0] == profile)
    key = nominal.pnc_id or f"N{nominal.pk}"
    rows: dict[type, list] = {model: [] for model in (DetectedOffence, Arrest, IntelligenceReport,
                                                      DynamicFactor, CustodyPeriod,
                                                      ResidencePeriod)}  # fmt: skip
    for n in range(rng.randint(*detections)):
        day = _day(rng, profile)
        convicted = rng.random() < 0.6
        sanction_day = min(day + datetime.timedelta(days=rng.randint(30, 120)), REFERENCE_DATE)
        rows[DetectedOffence].append(DetectedOffence(
            nominal=nominal, source=SOURCE, external_ref=f"D-{key}-{n}", committed_on=day,
            offence_type=_offence(rng, by_category),
            outcome="convicted" if convicted else rng.choice(["charged", "tic"]),
            location=rng.choice(LOCATIONS), sanction="conviction" if convicted else "",
            sanction_date=sanction_day if convicted else None,
        ))  # fmt: skip
    for n in range(rng.randint(*arrests)):
        rows[Arrest].append(Arrest(
            nominal=nominal, source=SOURCE, external_ref=f"A-{key}-{n}",
            arrested_on=_day(rng, profile), offence_type=_offence(rng, by_category),
            grounds=rng.choice(["evidence", "suspicion", "suspicion", "forensic"]),
            location=rng.choice(LOCATIONS),
        ))  # fmt: skip
    for n in range(rng.randint(*reports)):
        rows[IntelligenceReport].append(IntelligenceReport(
            nominal=nominal, source=SOURCE, external_ref=f"I-{key}-{n}",
            reported_on=_day(rng, profile),
            intelligence_source=rng.choice(["police", "police", "informant", "partner"]),
            offence_type=_offence(rng, by_category) if rng.random() < 0.7 else None,
            grading=rng.choice(["1A", "B2", "C3", "2B"]),
        ))  # fmt: skip
    drug_chance = {"prolific": 0.6, "active": 0.35, "occasional": 0.15, "quiet": 0.05}[profile]
    for n, (factor, chance) in enumerate([
        ("class-a-use", drug_chance), ("drug-dependency", drug_chance / 2),
        ("accommodation-unstable", drug_chance / 1.5), ("unemployed", 0.4),
    ]):  # fmt: skip
        if rng.random() < chance:
            rows[DynamicFactor].append(DynamicFactor(
                nominal=nominal, source=SOURCE, external_ref=f"F-{key}-{n}", factor=factor,
                started_on=REFERENCE_DATE - datetime.timedelta(days=rng.randint(10, 400)),
            ))  # fmt: skip
    if rng.random() < 0.08:
        rows[CustodyPeriod].append(CustodyPeriod(
            nominal=nominal, source=SOURCE, external_ref=f"C-{key}",
            started_on=REFERENCE_DATE - datetime.timedelta(days=rng.randint(5, 200)),
            establishment="HMP Demoford",
        ))  # fmt: skip
    elif rng.random() < 0.05:
        rows[ResidencePeriod].append(ResidencePeriod(
            nominal=nominal, source=SOURCE, external_ref=f"R-{key}", in_area=False,
            started_on=REFERENCE_DATE - datetime.timedelta(days=rng.randint(5, 200)),
            details="Staying with family outside the area",
        ))  # fmt: skip
    return rows


def seed(rng: random.Random, stdout: TextIO) -> core.SeedResult:
    result = core.SeedResult()
    by_category: dict[str, list[OffenceType]] = {}
    for offence_type in OffenceType.objects.order_by("code"):
        by_category.setdefault(offence_type.category, []).append(offence_type)
    if not by_category:
        result.notes.append("No offence types: run the migrations first.")
        return result

    everything: dict[type, list] = {}
    for nominal in Nominal.objects.order_by("pnc_id", "id"):
        for model, rows in _history(rng, nominal, by_category).items():
            everything.setdefault(model, []).extend(rows)
    everything.setdefault(DetectedOffence, []).extend(
        ogrs3_demo.earlier_sanctions(Nominal.objects.order_by("pnc_id", "id"))
    )
    for model, rows in everything.items():
        before = model.objects.filter(source=SOURCE).count()
        model.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        created = model.objects.filter(source=SOURCE).count() - before
        if created:
            result.created[str(model._meta.verbose_name_plural)] = created

    ranked = RankingRun.objects.filter(
        kind=RunKind.NIGHTLY, run_date=REFERENCE_DATE, status=RunStatus.SUCCEEDED
    ).first()
    if ranked is not None and not result.created:
        return result  # seeded and ranked by an earlier run: change nothing
    run = services.rerank(REFERENCE_DATE)
    bands = dict.fromkeys(("red", "amber", "green"), 0)
    for band in run.assessments.values_list("band", flat=True):
        bands[band] += 1
    result.summary.append(
        f"Ranked {run.people_scored} people on {REFERENCE_DATE:%d/%m/%Y}: "
        f"{bands['red']} Red, {bands['amber']} Amber, {bands['green']} Green"
    )
    # Members are made later in the seed: rank them once everything is committed.
    transaction.on_commit(lambda: services.rerank(REFERENCE_DATE))
    return result
