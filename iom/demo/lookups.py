"""Finding the demo's organisations and users again, for the seeders of later apps."""

from __future__ import annotations

from iom.models import Agency, Team, User

from .area import AGENCIES, TEAMS
from .results import DemoDataMissing

AGENCY_BY_KEY = {spec.key: spec for spec in AGENCIES}
TEAM_BY_KEY = {spec.key: spec for spec in TEAMS}


def agency(key: str) -> Agency:
    spec = AGENCY_BY_KEY[key]
    try:
        return Agency.objects.get(name=spec.name)
    except Agency.DoesNotExist:
        raise DemoDataMissing(f"The demo agency {spec.name!r} does not exist.") from None


def team(key: str) -> Team:
    spec = TEAM_BY_KEY[key]
    try:
        return Team.objects.get(agency__name=AGENCY_BY_KEY[spec.agency].name, name=spec.name)
    except Team.DoesNotExist:
        raise DemoDataMissing(f"The demo team {spec.name!r} does not exist.") from None


def users(usernames) -> dict[str, User]:
    """The demo users with these usernames, by username; every one must exist."""
    found = {u.username: u for u in User.objects.filter(username__in=list(usernames))}
    missing = sorted(set(usernames) - set(found))
    if missing:
        raise DemoDataMissing(f"The demo users {', '.join(missing)} do not exist.")
    return found
