"""Demo data for the shared core: the agencies, teams and users of "Demo Shire".

Run through ``manage.py seed_demo``, which calls ``seed`` here first (``iom`` comes first in
INSTALLED_APPS) and then the ``demo`` package of every later app. Everything is fictional:
the area, the organisations and the people. Every demo user has the same password, printed at
the end of the seed, so this data must never be loaded into a live service (the command
refuses to run in production).

The package also holds what every app's seeder shares (``results``: the result it returns,
the seed's audit actor) and the look-ups later seeders use to find the records made here
(``lookups``), since ``iom`` is the lowest layer and cannot import the apps above it.
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.utils import timezone

from iom.models import AuditEvent

from .area import AGENCIES, AGREEMENTS, OFFENDER_MANAGERS, TEAMS
from .logins import USERS
from .lookups import agency, team, users
from .organisations import logins, seed_agencies, seed_agreements, seed_teams, seed_users
from .results import (
    AREA_NAME,
    EMAIL_DOMAIN,
    PASSWORD,
    SEED_ACTOR,
    SEED_USERNAME,
    DemoDataMissing,
    Login,
    SeedResult,
)

__all__ = [
    "AGENCIES",
    "AGREEMENTS",
    "AREA_NAME",
    "EMAIL_DOMAIN",
    "OFFENDER_MANAGERS",
    "PASSWORD",
    "SEED_ACTOR",
    "SEED_USERNAME",
    "TEAMS",
    "USERS",
    "DemoDataMissing",
    "Login",
    "SeedResult",
    "agency",
    "seed",
    "seeded_on",
    "team",
    "users",
]


def seeded_on() -> datetime.date | None:
    """The day the demo area was first seeded, or None when this database has no demo data."""
    first = AuditEvent.objects.filter(username=SEED_USERNAME).order_by("at").first()
    return timezone.localdate(first.at) if first else None


def seed(
    rng: random.Random, stdout: TextIO | None, *, today: datetime.date | None = None
) -> SeedResult:
    """Create whatever of the demo agencies, teams, users and agreements does not exist yet.

    ``rng`` is unused (everything here is fixed) but part of every seeder's signature; the
    agreements' dates are relative to ``today``.
    """
    today = today or timezone.localdate()
    agencies, new_agencies = seed_agencies()
    teams, new_teams = seed_teams(agencies)
    created = {
        "agencies": new_agencies,
        "teams": new_teams,
        "users": seed_users(agencies, teams),
        "sharing agreements": seed_agreements(agencies, today),
    }
    return SeedResult(
        created={kind: n for kind, n in created.items() if n},
        logins=logins(),
        password=PASSWORD,
    )
