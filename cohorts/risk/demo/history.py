"""Each demo person's recent history: detections, arrests, intelligence, dynamic factors and,
for a few, a spell in custody or away from the area.

Each person gets a profile (prolific, active, occasional or quiet) that decides how many
detections, arrests and intelligence reports they have in the two years before the day of the
seed, and whether officers recorded drug use, unstable accommodation, custody or a move out
of the area; the spread gives the cohort a plausible mix of Red, Amber and Green. Rows carry
deterministic references under the source "demo".
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from cohorts.models import Nominal
from cohorts.risk.models import (
    Arrest,
    CustodyPeriod,
    DetectedOffence,
    DynamicFactor,
    IntelligenceReport,
    OffenceCategory,
    OffenceType,
    ResidencePeriod,
)

_DAY = datetime.timedelta(days=1)
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


def _day(rng: random.Random, profile: str, today: datetime.date) -> datetime.date:
    age = int(HISTORY_DAYS * rng.random() ** RECENCY_SKEW[profile])
    return today - datetime.timedelta(days=age)


def _offence(rng: random.Random, by_category: dict) -> OffenceType:
    category = rng.choice(ACQUISITIVE) if rng.random() < 0.7 else rng.choice(list(by_category))
    return rng.choice(by_category[category])


@dataclass(frozen=True)
class _Person:
    """One demo person as their history is made: the random source, their profile and the
    key of their rows' references."""

    rng: random.Random
    nominal: Nominal
    key: str
    profile: str
    by_category: dict
    today: datetime.date

    def day(self) -> datetime.date:
        return _day(self.rng, self.profile, self.today)

    def offence(self) -> OffenceType:
        return _offence(self.rng, self.by_category)


def history(
    rng: random.Random, nominal: Nominal, by_category: dict, today: datetime.date
) -> dict[type, list]:
    """One person's offending, factors and custody or absence in the two years to ``today``."""
    profile, *_ = rng.choices(PROFILES, weights=[p[1] for p in PROFILES])[0]
    _, _, detections, arrests, reports = next(p for p in PROFILES if p[0] == profile)
    person = _Person(rng, nominal, nominal.pnc_id or f"N{nominal.pk}", profile, by_category, today)
    rows: dict[type, list] = {model: [] for model in (DetectedOffence, Arrest, IntelligenceReport,
                                                      DynamicFactor, CustodyPeriod,
                                                      ResidencePeriod)}  # fmt: skip
    # In this order: each draws on the random source after the one before.
    rows[DetectedOffence] = _detections(person, rng.randint(*detections))
    rows[Arrest] = _arrests(person, rng.randint(*arrests))
    rows[IntelligenceReport] = _reports(person, rng.randint(*reports))
    rows[DynamicFactor] = _factors(person)
    _custody_or_absence(person, rows)
    return rows


def _detections(person: _Person, count: int) -> list[DetectedOffence]:
    rng, today, key = person.rng, person.today, person.key
    rows = []
    for n in range(count):
        day = person.day()
        convicted = rng.random() < 0.6
        sanction_day = min(day + datetime.timedelta(days=rng.randint(30, 120)), today)
        rows.append(DetectedOffence(
            nominal=person.nominal, source=SOURCE, external_ref=f"D-{key}-{n}", committed_on=day,
            offence_type=person.offence(),
            outcome="convicted" if convicted else rng.choice(["charged", "tic"]),
            location=rng.choice(LOCATIONS), sanction="conviction" if convicted else "",
            sanction_date=sanction_day if convicted else None,
        ))  # fmt: skip
    return rows


def _arrests(person: _Person, count: int) -> list[Arrest]:
    rng = person.rng
    return [
        Arrest(
            nominal=person.nominal,
            source=SOURCE,
            external_ref=f"A-{person.key}-{n}",
            arrested_on=person.day(),
            offence_type=person.offence(),
            grounds=rng.choice(["evidence", "suspicion", "suspicion", "forensic"]),
            location=rng.choice(LOCATIONS),
        )
        for n in range(count)
    ]


def _reports(person: _Person, count: int) -> list[IntelligenceReport]:
    rng = person.rng
    return [
        IntelligenceReport(
            nominal=person.nominal,
            source=SOURCE,
            external_ref=f"I-{person.key}-{n}",
            reported_on=person.day(),
            intelligence_source=rng.choice(["police", "police", "informant", "partner"]),
            offence_type=person.offence() if rng.random() < 0.7 else None,
            grading=rng.choice(["1A", "B2", "C3", "2B"]),
        )
        for n in range(count)
    ]


def _factors(person: _Person) -> list[DynamicFactor]:
    rng = person.rng
    drug_chance = {"prolific": 0.6, "active": 0.35, "occasional": 0.15, "quiet": 0.05}[
        person.profile
    ]
    rows = []
    for n, (factor, chance) in enumerate([
        ("class-a-use", drug_chance), ("drug-dependency", drug_chance / 2),
        ("accommodation-unstable", drug_chance / 1.5), ("unemployed", 0.4),
    ]):  # fmt: skip
        if rng.random() < chance:
            rows.append(DynamicFactor(
                nominal=person.nominal, source=SOURCE, external_ref=f"F-{person.key}-{n}",
                factor=factor,
                started_on=person.today - datetime.timedelta(days=rng.randint(10, 400)),
            ))  # fmt: skip
    return rows


def _custody_or_absence(person: _Person, rows: dict[type, list]) -> None:
    rng, today, key = person.rng, person.today, person.key
    if rng.random() < 0.08:
        # A short sentence or a remand, served: members in custody today are given their
        # custody by ``referrals.demo``, which knows who they are.
        started = today - datetime.timedelta(days=rng.randint(40, 400))
        ended = min(started + datetime.timedelta(days=rng.randint(14, 120)), today - 3 * _DAY)
        rows[CustodyPeriod].append(CustodyPeriod(
            nominal=person.nominal, source=SOURCE, external_ref=f"C-{key}", started_on=started,
            ended_on=ended, establishment="HMP Demoford",
        ))  # fmt: skip
    elif rng.random() < 0.05:
        rows[ResidencePeriod].append(ResidencePeriod(
            nominal=person.nominal, source=SOURCE, external_ref=f"R-{key}", in_area=False,
            started_on=today - datetime.timedelta(days=rng.randint(5, 200)),
            details="Staying with family outside the area",
        ))  # fmt: skip
