"""Demo data for the shared core: the agencies, teams and users of "Demo Shire".

Run through ``manage.py seed_demo``, which calls ``seed`` here first (``iom`` comes first in
INSTALLED_APPS) and then the ``demo`` module of every later app. Everything is fictional:
the area, the organisations and the people. Every demo user has the same password, printed at
the end of the seed, so this data must never be loaded into a live service (the command
refuses to run in production).

Records are created through the services, so that groups and audit events are what a real
administrator would have produced. What exists already (an agency by name, a team by name in
its agency, a user by username) is left as it is, which makes a second run a no-op.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import TextIO

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone

from . import services
from .audit import Actor
from .models import Agency, AgencyKind, Role, SharingAgreement, Team, User

AREA_NAME = "Demo Shire"
PASSWORD = "demo-password-2026"
EMAIL_DOMAIN = "demo-shire.example"
# Written into the audit log as the actor of everything the seed creates.
SEED_USERNAME = "seed_demo"


# --- What a seeder hands back to the command -----------------------------------------------


@dataclass(frozen=True)
class Login:
    username: str
    name: str
    role: str
    agency: str
    team: str
    sees: str


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


class _SeedActor:
    """Stands in for a user in audit events, so that the log names the seed as the actor."""

    username = SEED_USERNAME
    is_authenticated = False
    agency = None


SEED_ACTOR = Actor(user=_SeedActor(), path="manage.py seed_demo")


# --- The organisations ---------------------------------------------------------------------


@dataclass(frozen=True)
class AgencySpec:
    key: str
    name: str
    kind: AgencyKind


@dataclass(frozen=True)
class TeamSpec:
    key: str
    agency: str
    name: str
    is_iom_unit: bool = False
    is_case_holding: bool = False
    is_neighbourhood: bool = False


AGENCIES = (
    AgencySpec("police", "Demo Shire Police", AgencyKind.POLICE),
    AgencySpec("nps", "National Probation Service – Demo Shire", AgencyKind.NPS),
    AgencySpec("crc", "Demo Shire Community Rehabilitation Company", AgencyKind.CRC),
    AgencySpec("yos", "Demo Shire Youth Offending Service", AgencyKind.YOUTH_OFFENDING),
    AgencySpec("prison", "HMP Demoford", AgencyKind.PRISON),
    AgencySpec("drugs", "Clearwater Recovery Demo Shire", AgencyKind.DRUG_ALCOHOL),
    AgencySpec("housing", "Brookvale Homes Housing Association", AgencyKind.HOUSING),
    AgencySpec("council", "Demo Shire County Council", AgencyKind.LOCAL_AUTHORITY),
    AgencySpec("health", "Demo Shire Health and Care NHS Trust", AgencyKind.HEALTH),
    AgencySpec("employment", "Fresh Ground Employment Trust", AgencyKind.OTHER),
)

TEAMS = (
    # The IOM unit is co-located: police, NPS and CRC offender managers in one office.
    TeamSpec("police_iom", "police", "IOM Unit", is_iom_unit=True, is_case_holding=True),
    TeamSpec("nps_iom", "nps", "NPS IOM Team", is_iom_unit=True, is_case_holding=True),
    TeamSpec("crc_iom", "crc", "CRC IOM Team", is_iom_unit=True, is_case_holding=True),
    # Receives low-risk cases devolved from the cohort; sees only what is shared with it.
    TeamSpec(
        "city_npt", "police", "Demoford City Neighbourhood Policing Team", is_neighbourhood=True
    ),
    TeamSpec("yos_transitions", "yos", "Youth to Adult Transitions"),
    TeamSpec("prison_omu", "prison", "Offender Management Unit"),
    TeamSpec("drugs_cjit", "drugs", "Criminal Justice Drug Team"),
    TeamSpec("housing_tenancy", "housing", "Tenancy Sustainment"),
    TeamSpec("council_housing_options", "council", "Housing Options"),
    TeamSpec("health_liaison", "health", "Liaison and Diversion"),
    TeamSpec("employment_support", "employment", "Employment Support"),
)


@dataclass(frozen=True)
class UserSpec:
    username: str
    first_name: str
    last_name: str
    agency: str
    team: str | None
    role: Role
    job_title: str
    sees: str


_WHOLE_COHORT = "the whole cohort (IOM unit)"
_SHARED_WITH_AGENCY = "people shared with their team, as their agreement covers"

USERS = (
    # Police side of the IOM unit.
    UserSpec(
        "officer.police",
        "Rachel",
        "Okonedo-Hart",
        "police",
        "police_iom",
        Role.IOM_OFFICER,
        "Police offender manager",
        _WHOLE_COHORT,
    ),
    UserSpec(
        "officer.police2",
        "Tom",
        "Ashdown",
        "police",
        "police_iom",
        Role.IOM_OFFICER,
        "Police offender manager",
        _WHOLE_COHORT,
    ),
    UserSpec(
        "officer.police3",
        "Priya",
        "Lakhani",
        "police",
        "police_iom",
        Role.IOM_OFFICER,
        "Police offender manager",
        _WHOLE_COHORT,
    ),
    UserSpec(
        "intel.officer",
        "Gareth",
        "Pennock",
        "police",
        "police_iom",
        Role.IOM_OFFICER,
        "IOM intelligence co-ordinator",
        _WHOLE_COHORT,
    ),
    UserSpec(
        "manager.police",
        "Helen",
        "Dunmore",
        "police",
        "police_iom",
        Role.MANAGER,
        "Detective Inspector, IOM",
        _WHOLE_COHORT,
    ),
    UserSpec(
        "neighbourhood.officer",
        "Sam",
        "Petrakis",
        "police",
        "city_npt",
        Role.IOM_OFFICER,
        "Neighbourhood police constable",
        "cases devolved to their neighbourhood team",
    ),
    UserSpec(
        "admin",
        "Alex",
        "Fairbrother",
        "police",
        None,
        Role.ADMINISTRATOR,
        "Systems administrator",
        "users and agencies only, no case records",
    ),
    # Probation side of the IOM unit.
    UserSpec(
        "officer.probation",
        "Joanne",
        "Whitlock",
        "nps",
        "nps_iom",
        Role.IOM_OFFICER,
        "Probation officer",
        _WHOLE_COHORT,
    ),
    UserSpec(
        "officer.probation2",
        "Daniel",
        "Osei-Brandt",
        "nps",
        "nps_iom",
        Role.IOM_OFFICER,
        "Probation officer",
        _WHOLE_COHORT,
    ),
    UserSpec(
        "manager.probation",
        "Marcia",
        "Templeton",
        "nps",
        "nps_iom",
        Role.MANAGER,
        "Senior probation officer, IOM",
        _WHOLE_COHORT,
    ),
    UserSpec(
        "officer.crc",
        "Colin",
        "Harrowby",
        "crc",
        "crc_iom",
        Role.IOM_OFFICER,
        "Probation services officer",
        _WHOLE_COHORT,
    ),
    UserSpec(
        "officer.crc2",
        "Nadia",
        "Kovalenko",
        "crc",
        "crc_iom",
        Role.IOM_OFFICER,
        "Probation services officer",
        _WHOLE_COHORT,
    ),
    # Partner agencies.
    UserSpec(
        "yos.worker",
        "Leah",
        "Brightwell",
        "yos",
        "yos_transitions",
        Role.PARTNER_WORKER,
        "Transitions worker",
        _SHARED_WITH_AGENCY,
    ),
    UserSpec(
        "prison.worker",
        "Martin",
        "Quayle",
        "prison",
        "prison_omu",
        Role.PARTNER_WORKER,
        "Prison offender manager",
        _SHARED_WITH_AGENCY,
    ),
    UserSpec(
        "drugs.worker",
        "Shona",
        "McAllister",
        "drugs",
        "drugs_cjit",
        Role.PARTNER_WORKER,
        "Criminal justice recovery worker",
        _SHARED_WITH_AGENCY,
    ),
    UserSpec(
        "drugs.worker2",
        "Ifan",
        "Pryce",
        "drugs",
        "drugs_cjit",
        Role.PARTNER_WORKER,
        "Drug intervention worker",
        _SHARED_WITH_AGENCY,
    ),
    UserSpec(
        "manager.drugs",
        "Carys",
        "Wedderburn",
        "drugs",
        "drugs_cjit",
        Role.MANAGER,
        "Service manager, criminal justice recovery (a partner manager: no cohort reports)",
        _SHARED_WITH_AGENCY,
    ),
    UserSpec(
        "housing.worker",
        "Beth",
        "Tolland",
        "housing",
        "housing_tenancy",
        Role.PARTNER_WORKER,
        "Tenancy sustainment officer",
        _SHARED_WITH_AGENCY,
    ),
    UserSpec(
        "council.worker",
        "Kwame",
        "Asante-Lowe",
        "council",
        "council_housing_options",
        Role.PARTNER_WORKER,
        "Housing options officer",
        _SHARED_WITH_AGENCY,
    ),
    UserSpec(
        "health.worker",
        "Fiona",
        "Garside",
        "health",
        "health_liaison",
        Role.PARTNER_WORKER,
        "Liaison and diversion nurse",
        _SHARED_WITH_AGENCY,
    ),
    UserSpec(
        "employment.worker",
        "Owen",
        "Marchbank",
        "employment",
        "employment_support",
        Role.PARTNER_WORKER,
        "Employment adviser",
        "nothing: their agency's agreement has lapsed",
    ),
)


@dataclass(frozen=True)
class AgreementSpec:
    name: str
    parties: tuple[str, ...]
    purpose: str
    legal_basis: str
    # Days from today: start, review, end (None: open-ended).
    starts: int
    review: int
    ends: int | None
    sections: dict


_POLICE_BASIS = (
    "Data Protection Act 2018 Part 3 (law enforcement processing); Crime and Disorder Act "
    "1998 s.115."
)

AGREEMENTS = (
    AgreementSpec(
        "Demo Shire IOM force-wide information-sharing agreement",
        ("police", "nps", "crc", "yos", "prison"),
        "Joint management of the IOM cohort by the police, probation, youth offending and "
        "prison services: identification, risk ranking, supervision and enforcement.",
        _POLICE_BASIS,
        -700,
        120,
        None,
        {
            "offending": "arrests",
            "covers_intelligence": True,
            "covers_risk": True,
            "covers_controls": True,
            "covers_contacts": True,
            "pathways": "full",
            "covers_documents": True,
            "ends_with_membership": False,
        },
    ),
    AgreementSpec(
        "Demo Shire IOM partners' pathways agreement",
        ("drugs", "housing", "council", "health"),
        "Partner agencies deliver the reducing-reoffending pathways of IOM members and see "
        "their current risk band and the pathways they work on.",
        _POLICE_BASIS + " Partners: UK GDPR Article 6(1)(e) and Article 9(2)(g).",
        -540,
        60,
        None,
        {"covers_risk": True, "pathways": "summary", "ends_with_membership": True},
    ),
    AgreementSpec(
        "Fresh Ground employment pilot agreement",
        ("employment",),
        "A year's pilot of employment support for IOM members, not renewed.",
        _POLICE_BASIS + " Partner: UK GDPR Article 6(1)(e).",
        -400,
        -100,
        -35,
        {"pathways": "summary", "ends_with_membership": True},
    ),
)

# The IOM officers who are named offender managers of cases, by the agency that leads them.
OFFENDER_MANAGERS = {
    "police": ("officer.police", "officer.police2", "officer.police3"),
    "nps": ("officer.probation", "officer.probation2"),
    "crc": ("officer.crc", "officer.crc2"),
}

_AGENCY_BY_KEY = {spec.key: spec for spec in AGENCIES}
_TEAM_BY_KEY = {spec.key: spec for spec in TEAMS}


# --- Looking the demo records up (for the seeders of later apps) ---------------------------


class DemoDataMissing(LookupError):
    """A later seeder needs a record this one should have created."""


def agency(key: str) -> Agency:
    spec = _AGENCY_BY_KEY[key]
    try:
        return Agency.objects.get(name=spec.name)
    except Agency.DoesNotExist:
        raise DemoDataMissing(f"The demo agency {spec.name!r} does not exist.") from None


def team(key: str) -> Team:
    spec = _TEAM_BY_KEY[key]
    try:
        return Team.objects.get(agency__name=_AGENCY_BY_KEY[spec.agency].name, name=spec.name)
    except Team.DoesNotExist:
        raise DemoDataMissing(f"The demo team {spec.name!r} does not exist.") from None


def users(usernames) -> dict[str, User]:
    """The demo users with these usernames, by username; every one must exist."""
    found = {u.username: u for u in User.objects.filter(username__in=list(usernames))}
    missing = sorted(set(usernames) - set(found))
    if missing:
        raise DemoDataMissing(f"The demo users {', '.join(missing)} do not exist.")
    return found


# --- Seeding -------------------------------------------------------------------------------


def _seed_agreements(agencies: dict[str, Agency]) -> int:
    """The demo's agreements: one force-wide, one for the pathways partners, one lapsed."""
    today = timezone.localdate()
    existing = set(SharingAgreement.objects.values_list("name", flat=True))
    created = 0
    for spec in AGREEMENTS:
        if spec.name in existing:
            continue
        services.create_agreement(
            parties=[agencies[_AGENCY_BY_KEY[key].name] for key in spec.parties],
            name=spec.name,
            purpose=spec.purpose,
            legal_basis=spec.legal_basis,
            starts_on=today + datetime.timedelta(days=spec.starts),
            review_on=today + datetime.timedelta(days=spec.review),
            ends_on=None if spec.ends is None else today + datetime.timedelta(days=spec.ends),
            by=SEED_ACTOR,
            **spec.sections,
        )
        created += 1
    return created


def seed(rng: random.Random, stdout: TextIO) -> SeedResult:
    """Create whatever of the demo agencies, teams and users does not exist yet.

    ``rng`` is unused (everything here is fixed) but part of every seeder's signature.
    """
    created = {"agencies": 0, "teams": 0, "users": 0}

    agencies = {a.name: a for a in Agency.objects.filter(name__in=[s.name for s in AGENCIES])}
    for spec in AGENCIES:
        if spec.name not in agencies:
            agencies[spec.name] = services.create_agency(
                name=spec.name, kind=spec.kind, by=SEED_ACTOR
            )
            created["agencies"] += 1

    teams = {
        (t.agency.name, t.name): t
        for t in Team.objects.filter(agency__in=agencies.values()).select_related("agency")
    }
    for spec in TEAMS:
        owner = agencies[_AGENCY_BY_KEY[spec.agency].name]
        if (owner.name, spec.name) not in teams:
            teams[owner.name, spec.name] = services.create_team(
                agency=owner,
                name=spec.name,
                is_iom_unit=spec.is_iom_unit,
                is_case_holding=spec.is_case_holding,
                is_neighbourhood=spec.is_neighbourhood,
                by=SEED_ACTOR,
            )
            created["teams"] += 1

    existing = set(
        User.objects.filter(username__in=[s.username for s in USERS]).values_list(
            "username", flat=True
        )
    )
    # One hash for all: hashing is deliberately slow, and every demo user shares the password.
    password_hash = None
    for spec in USERS:
        if spec.username in existing:
            continue
        owner = agencies[_AGENCY_BY_KEY[spec.agency].name]
        user_team = teams[owner.name, _TEAM_BY_KEY[spec.team].name] if spec.team else None
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
        created["users"] += 1

    created["sharing agreements"] = _seed_agreements(agencies)

    logins = [
        Login(
            username=spec.username,
            name=f"{spec.first_name} {spec.last_name}",
            role=Role(spec.role).label,
            agency=_AGENCY_BY_KEY[spec.agency].name,
            team=_TEAM_BY_KEY[spec.team].name if spec.team else "",
            sees=spec.sees,
        )
        for spec in USERS
    ]
    return SeedResult(
        created={kind: n for kind, n in created.items() if n},
        logins=logins,
        password=PASSWORD,
    )
