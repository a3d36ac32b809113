"""Demo data for the cohort: Demo Shire's neighbourhoods and 300 fictional nominals.

Called by ``manage.py seed_demo`` after ``iom.demo`` has made the agencies, teams and users.
The people are generated in ``people`` (from the name lists in ``names``) with a seeded random
generator and the day of the seed; they are written by ``writing``, and about a third of them
get a placeholder photograph (``photographs``). Once the demo people exist
(found by their audit events) nothing more is created, so a second run, on any day, changes
nothing; a person whose identifiers another record already has is left out with a note.

Their time on the cohort (referrals, panel decisions, memberships, exits) is written by
``referrals.demo``, which runs later and knows the panel dates; it builds each member's
engagement records with ``engagement.engagement_history``.
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.utils import timezone

from cohorts.models import NeighbourhoodPolicingArea, Nominal
from iom import demo as core
from iom.models import AuditAction, AuditEvent, User

from .engagement import ENGAGEMENT_NOTES, engagement_history
from .people import NOMINAL_COUNT, PLACES, Person, cro_number, generate, pnc_id, years_before
from .writing import AUDIT_DESCRIPTION, create

__all__ = [
    "AUDIT_DESCRIPTION",
    "ENGAGEMENT_NOTES",
    "NOMINAL_COUNT",
    "PLACES",
    "cro_number",
    "demo_nominals",
    "engagement_history",
    "generate",
    "pnc_id",
    "seed",
    "years_before",
]


def demo_nominals():
    """The people this seed created (found by their audit events), in the order created."""
    created = AuditEvent.objects.filter(
        username=core.SEED_USERNAME,
        action=AuditAction.COLLECTION,
        object_type=Nominal._meta.label,
    )
    return Nominal.objects.filter(pk__in=created.values("subject_id")).order_by("pk")


def _seed_neighbourhoods() -> tuple[dict[str, NeighbourhoodPolicingArea], int]:
    existing = {n.name: n for n in NeighbourhoodPolicingArea.objects.all()}
    new = [
        NeighbourhoodPolicingArea(name=p.name, area=p.area)
        for p in PLACES
        if p.name not in existing
    ]
    NeighbourhoodPolicingArea.objects.bulk_create(new)
    if new:
        existing = {n.name: n for n in NeighbourhoodPolicingArea.objects.all()}
    return existing, len(new)


def _taken_identifiers(people: list[Person]) -> dict[str, set[str]]:
    taken = {}
    for name in ("pnc_id", "cro_number", "crn", "prison_number"):
        values = [getattr(p.nominal, name) for p in people if getattr(p.nominal, name)]
        taken[name] = set(
            Nominal.objects.filter(**{f"{name}__in": values}).values_list(name, flat=True)
        )
    return taken


def _new_people(rng: random.Random, today: datetime.date, result: core.SeedResult):
    """The generated people whose identifiers no record has yet."""
    people = generate(rng, today)
    taken = _taken_identifiers(people)
    new: list[Person] = []
    for person in people:
        nominal = person.nominal
        clash = [
            n
            for n in ("pnc_id", "cro_number", "crn", "prison_number")
            if getattr(nominal, n) and getattr(nominal, n) in taken[n]
        ]
        if clash:
            result.notes.append(
                f"Left out {nominal.full_name}: another record already has their "
                f"{', '.join(clash)}."
            )
            continue
        new.append(person)
    return new


def seed(
    rng: random.Random, stdout: TextIO | None, *, today: datetime.date | None = None
) -> core.SeedResult:
    today = today or timezone.localdate()
    result = core.SeedResult()
    neighbourhoods, new_areas = _seed_neighbourhoods()
    if new_areas:
        result.created["neighbourhood policing areas"] = new_areas
    if not demo_nominals().exists():
        new = _new_people(rng, today, result)
        if new:
            create(new, neighbourhoods, result, random.Random(f"{rng.random()}:portraits"))

    usernames = [spec.username for spec in core.USERS]
    for user in User.objects.filter(username__in=usernames).select_related("team"):
        result.visible[user.username] = Nominal.objects.visible_to(user).count()
    return result
