"""Writing the generated people: ``bulk_create`` for the people, their aliases, offender
managers, team shares and object permissions, with one audit "collection" event per person,
so that the seed takes seconds on SQLite and PostgreSQL alike."""

from __future__ import annotations

import random

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from cohorts.models import (
    Alias,
    Nominal,
    NominalGroupObjectPermission,
    NominalUserObjectPermission,
    RecordShare,
    ShareBasis,
)
from iom import demo as core
from iom.models import AuditAction, AuditEvent

from .people import LEADS, PARTNER_TEAMS, Person
from .photographs import add_photographs

AUDIT_DESCRIPTION = "Created by the demo data seed"
ACTIONS = ("view", "change", "disclose")


def _permissions() -> dict[str, Permission]:
    content_type = ContentType.objects.get_for_model(Nominal)
    codenames = [f"{action}_nominal" for action in ACTIONS]
    perms = Permission.objects.filter(content_type=content_type, codename__in=codenames)
    return {p.codename.removesuffix("_nominal"): p for p in perms}


def _save_people(people: list[Person], neighbourhoods) -> None:
    leads = {key: core.agency(key) for key in LEADS}
    for person in people:
        nominal = person.nominal
        nominal.neighbourhood = neighbourhoods[person.place]
        nominal.lead_agency = leads[person.lead]
        # The formats are guaranteed by construction and by the database's CHECK
        # constraints; this catches a mistake here with a readable message.
        nominal.clean_fields(exclude=["neighbourhood", "lead_agency", "offender_managers"])
    Nominal.objects.bulk_create([p.nominal for p in people], batch_size=500)


def create(
    people: list[Person], neighbourhoods, result: core.SeedResult, portraits: random.Random
) -> None:
    """Write the people and what hangs from them; ``portraits`` draws who has a photograph
    (its own generator, so that the people stay the same whoever has one)."""
    _save_people(people, neighbourhoods)
    photographs = add_photographs([p.nominal for p in people], portraits)
    rows = _Rows(people)
    for person in people:
        nominal = person.nominal
        for alias in person.aliases:
            alias.nominal = nominal
            rows.aliases.append(alias)
        rows.add_managers(person)
        rows.add_shares(person)
        rows.events.append(_collection_event(nominal, photographs))
    rows.write()
    result.created.update(
        {
            "nominals": len(people),
            "photographs": len(photographs),
            "aliases": len(rows.aliases),
            "offender manager links": len(rows.managed),
            "object permissions": len(rows.user) + len(rows.group),
            "team shares": len(rows.shares),
            "audit events": len(rows.events),
        }
    )


class _Rows:
    """The rows that hang from the people, gathered to be written a table at a time."""

    through = Nominal.offender_managers.through

    def __init__(self, people: list[Person]) -> None:
        # Each partner agency of the demo works with IOM through one team.
        self.teams = {key: core.team(team_key) for key, team_key in PARTNER_TEAMS.items()}
        self.teams["city_npt"] = core.team("city_npt")
        self.shared_at = timezone.now()
        self.managers = core.users({u for p in people for u in p.offender_managers})
        self.perms = _permissions()
        self.aliases: list[Alias] = []
        self.managed: list = []
        self.user: list[NominalUserObjectPermission] = []
        self.group: list[NominalGroupObjectPermission] = []
        self.shares: list[RecordShare] = []
        self.events: list[AuditEvent] = []

    def add_managers(self, person: Person) -> None:
        """The person's offender managers, each with every object permission on the record."""
        nominal = person.nominal
        for username in person.offender_managers:
            user = self.managers[username]
            self.managed.append(self.through(nominal_id=nominal.pk, user_id=user.pk))
            self.user.extend(
                NominalUserObjectPermission(
                    user=user, permission=self.perms[a], content_object=nominal
                )
                for a in ACTIONS
            )

    def add_shares(self, person: Person) -> None:
        """The teams the record is shared with (chosen at the panel, or devolved to), each
        with the permission to view it."""
        nominal = person.nominal
        for key, basis in [
            *((key, ShareBasis.PANEL) for key in person.shared_with_agencies),
            *((key, ShareBasis.DEVOLUTION) for key in person.shared_with_teams),
        ]:
            team = self.teams[key]
            self.group.append(
                NominalGroupObjectPermission(
                    group_id=team.group_id, permission=self.perms["view"], content_object=nominal
                )
            )
            self.shares.append(
                RecordShare(nominal=nominal, team=team, basis=basis, shared_at=self.shared_at)
            )

    def write(self) -> None:
        for model, rows in (
            (Alias, self.aliases),
            (self.through, self.managed),
            (NominalUserObjectPermission, self.user),
            (NominalGroupObjectPermission, self.group),
            (RecordShare, self.shares),
            (AuditEvent, self.events),
        ):
            model.objects.bulk_create(rows, batch_size=500)


def _collection_event(nominal: Nominal, photographs: dict) -> AuditEvent:
    """The audit event of the record's creation, with its photograph if it has one."""
    return AuditEvent(
        username=core.SEED_USERNAME,
        action=AuditAction.COLLECTION,
        person_id=getattr(nominal, "pk", None),
        object_type=Nominal._meta.label,
        object_id=str(nominal.pk),
        description=AUDIT_DESCRIPTION,
        changes=(
            {"photograph": [None, photographs[nominal.pk]]} if nominal.pk in photographs else {}
        ),
        path=core.SEED_ACTOR.path,
    )
