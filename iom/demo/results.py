"""What every app's demo seeder shares: the result it hands back, the seed's audit actor and
the error for a record an earlier seeder should have made."""

from __future__ import annotations

from dataclasses import dataclass, field

from iom.audit import Actor

AREA_NAME = "Demo Shire"
PASSWORD = "demo-password-2026"
EMAIL_DOMAIN = "demo-shire.example"
# Written into the audit log as the actor of everything the seed creates.
SEED_USERNAME = "seed_demo"


@dataclass(frozen=True)
class Login:
    username: str
    name: str
    role: str
    agency: str
    team: str
    sees: str
    who: str = ""  # the job, in a few words
    tries: str = ""  # what this login is for in a demonstration


@dataclass
class SeedResult:
    """What one app's ``seed`` did, for the command to report.

    ``created`` counts new rows by kind (empty on a re-run); ``visible`` is, per username, how
    many people that login can see, filled in by the app that owns the people.
    """

    created: dict[str, int] = field(default_factory=dict)
    logins: list[Login] = field(default_factory=list)
    visible: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # warnings: something was left out
    summary: list[str] = field(default_factory=list)  # plain facts worth printing
    password: str | None = None


class DemoDataMissing(LookupError):
    """A later seeder needs a record this one should have created."""


class _SeedActor:
    """Stands in for a user in audit events, so that the log names the seed as the actor."""

    username = SEED_USERNAME
    is_authenticated = False
    agency = None


SEED_ACTOR = Actor(user=_SeedActor(), path="manage.py seed_demo")
