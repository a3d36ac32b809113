"""Creating the demo's agencies, teams, users and sharing agreements through the services, so
that groups and audit events are what a real administrator would have produced. What exists
already (an agency by name, a team by name in its agency, a user by username) is left as it
is."""

from __future__ import annotations

import datetime

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password

from iom import services
from iom.models import Agency, Role, SharingAgreement, Team, User

from .area import AGENCIES, AGREEMENTS, TEAMS
from .logins import USERS
from .lookups import AGENCY_BY_KEY, TEAM_BY_KEY
from .results import EMAIL_DOMAIN, PASSWORD, SEED_ACTOR, Login

_DAY = datetime.timedelta(days=1)


def seed_agencies() -> tuple[dict[str, Agency], int]:
    agencies = {a.name: a for a in Agency.objects.filter(name__in=[s.name for s in AGENCIES])}
    created = 0
    for spec in AGENCIES:
        if spec.name not in agencies:
            agencies[spec.name] = services.create_agency(
                name=spec.name, kind=spec.kind, by=SEED_ACTOR
            )
            created += 1
    return agencies, created


def seed_teams(agencies: dict[str, Agency]) -> tuple[dict[tuple[str, str], Team], int]:
    teams = {
        (t.agency.name, t.name): t
        for t in Team.objects.filter(agency__in=agencies.values()).select_related("agency")
    }
    created = 0
    for spec in TEAMS:
        owner = agencies[AGENCY_BY_KEY[spec.agency].name]
        if (owner.name, spec.name) not in teams:
            teams[owner.name, spec.name] = services.create_team(
                agency=owner,
                name=spec.name,
                is_iom_unit=spec.is_iom_unit,
                is_case_holding=spec.is_case_holding,
                is_neighbourhood=spec.is_neighbourhood,
                by=SEED_ACTOR,
            )
            created += 1
    return teams, created


def seed_users(agencies: dict[str, Agency], teams: dict[tuple[str, str], Team]) -> int:
    existing = set(
        User.objects.filter(username__in=[s.username for s in USERS]).values_list(
            "username", flat=True
        )
    )
    # One hash for all: hashing is deliberately slow, and every demo user shares the password.
    password_hash = None
    created = 0
    for spec in USERS:
        if spec.username in existing:
            continue
        owner = agencies[AGENCY_BY_KEY[spec.agency].name]
        user_team = teams[owner.name, TEAM_BY_KEY[spec.team].name] if spec.team else None
        email = f"{spec.username}@{EMAIL_DOMAIN}"
        validate_password(
            PASSWORD,
            User(
                username=spec.username,
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=email,
            ),
        )
        user = services.create_user(
            username=spec.username,
            password=None,
            agency=owner,
            team=user_team,
            role=spec.role,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=email,
            job_title=spec.job_title,
            by=SEED_ACTOR,
        )
        password_hash = password_hash or make_password(PASSWORD)
        user.password = password_hash
        user.save(update_fields=["password"])
        created += 1
    return created


def seed_agreements(agencies: dict[str, Agency], today: datetime.date) -> int:
    """The demo's agreements: one force-wide, one for the pathways partners, one lapsed."""
    existing = set(SharingAgreement.objects.values_list("name", flat=True))
    created = 0
    for spec in AGREEMENTS:
        if spec.name in existing:
            continue
        services.create_agreement(
            parties=[agencies[AGENCY_BY_KEY[key].name] for key in spec.parties],
            name=spec.name,
            purpose=spec.purpose,
            legal_basis=spec.legal_basis,
            starts_on=today + spec.starts * _DAY,
            review_on=today + spec.review * _DAY,
            ends_on=None if spec.ends is None else today + spec.ends * _DAY,
            by=SEED_ACTOR,
            **spec.sections,
        )
        created += 1
    return created


def logins() -> list[Login]:
    return [
        Login(
            username=spec.username,
            name=f"{spec.first_name} {spec.last_name}",
            role=Role(spec.role).label,
            agency=AGENCY_BY_KEY[spec.agency].name,
            team=TEAM_BY_KEY[spec.team].name if spec.team else "",
            sees=spec.sees,
            who=spec.job_title.split(" (")[0],
            tries=spec.tries,
        )
        for spec in USERS
    ]
