"""Demo data for contacts: the contact log of most demo people over the eight weeks before the
day of the seed (office appointments, home visits, joint visits with a partner worker, phone
calls; kept, missed with and without a reason, refused) and the appointments booked for the
coming week, with their offender managers as the officers there.

Called by ``manage.py seed_demo`` after ``cohorts.demo`` has made the people and their
offender managers; each person's log is drawn in ``diary``. Rows are written with
``bulk_create`` and one audit "collection" event per contact. Nothing is written when the
area already has contacts, so a second run changes nothing.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import TextIO

from django.utils import timezone

from cohorts.models import Nominal, RecordShare
from iom import demo as core
from iom.models import AgencyKind, AuditAction, AuditEvent, Role, User

from ..models import Attendance, Contact
from .diary import Drawn, diary

AUDIT_DESCRIPTION = "Created by the demo data seed"
# Most people on the demo's books have a contact log; the rest are new or out of touch.
SHARE_WITH_CONTACTS = 0.7


def _managers() -> dict[int, list[int]]:
    through = Nominal.offender_managers.through
    managers: dict[int, list[int]] = defaultdict(list)
    for nominal_id, user_id in through.objects.order_by("nominal_id", "user_id").values_list(
        "nominal_id", "user_id"
    ):
        managers[nominal_id].append(user_id)
    return managers


def _partner_workers() -> dict[int, list[int]]:
    """The partner workers of the teams each person is shared with, by person: another
    agency's (a police neighbourhood officer does not make a visit joint)."""
    workers: dict[int, list[int]] = defaultdict(list)
    partners = User.objects.filter(
        role=Role.PARTNER_WORKER, is_active=True, team__isnull=False
    ).exclude(agency__kind=AgencyKind.POLICE)
    for user_id, team_id in partners.order_by("pk").values_list("pk", "team_id"):
        workers[team_id].append(user_id)
    by_person: dict[int, list[int]] = defaultdict(list)
    shares = RecordShare.objects.filter(ended_at__isnull=True).order_by("nominal_id", "team_id")
    for nominal_id, team_id in shares.values_list("nominal_id", "team_id"):
        by_person[nominal_id].extend(workers.get(team_id, []))
    return by_person


def _contact(nominal_id: int, drawn: Drawn) -> Contact:
    return Contact(
        nominal_id=nominal_id,
        kind=drawn.kind,
        planned_at=drawn.planned_at,
        happened_at=drawn.happened_at,
        location=drawn.location,
        attendance=drawn.attendance,
        absence=drawn.absence,
        absence_reason=drawn.absence_reason,
        outcome=drawn.outcome,
        note=drawn.note,
        is_shared=drawn.is_shared,
        recorded_by_id=drawn.attendees[0],
    )


def _write(logs: list[tuple[int, Drawn]], agency_of: dict[int, int]) -> list[Contact]:
    contacts = [_contact(nominal_id, drawn) for nominal_id, drawn in logs]
    Contact.objects.bulk_create(contacts, batch_size=500)
    attendees, agencies = [], []
    for contact, (_nominal_id, drawn) in zip(contacts, logs, strict=True):
        present = {agency_of[user_id] for user_id in drawn.attendees if agency_of.get(user_id)}
        attendees += [
            Contact.attendees.through(contact_id=contact.pk, user_id=user_id)
            for user_id in drawn.attendees
        ]
        agencies += [
            Contact.agencies.through(contact_id=contact.pk, agency_id=agency_id)
            for agency_id in sorted(present)
        ]
    Contact.attendees.through.objects.bulk_create(attendees, batch_size=500)
    Contact.agencies.through.objects.bulk_create(agencies, batch_size=500)
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                username=core.SEED_USERNAME,
                action=AuditAction.COLLECTION,
                person_id=contact.nominal_id,
                object_type=Contact._meta.label,
                object_id=str(contact.pk),
                description=f"{AUDIT_DESCRIPTION}: {contact}",
                path=core.SEED_ACTOR.path,
            )
            for contact in contacts
        ),
        batch_size=500,
    )
    return contacts


def seed(
    rng: random.Random, stdout: TextIO | None, *, today: datetime.date | None = None
) -> core.SeedResult:
    today = today or timezone.localdate()
    result = core.SeedResult()
    if Contact.objects.exists():
        return result
    managers = _managers()
    partners = _partner_workers()
    logs: list[tuple[int, Drawn]] = []
    for nominal_id in Nominal.objects.order_by("pk").values_list("pk", flat=True):
        if not managers.get(nominal_id) or rng.random() >= SHARE_WITH_CONTACTS:
            continue
        for drawn in diary(rng, today, managers[nominal_id], partners.get(nominal_id, [])):
            logs.append((nominal_id, drawn))
    if not logs:
        return result
    agency_of = dict(User.objects.filter(agency__isnull=False).values_list("pk", "agency_id"))
    contacts = _write(logs, agency_of)
    booked = [c for c in contacts if c.planned_at and not c.attendance]
    missed = [c for c in contacts if c.attendance == Attendance.DID_NOT_ATTEND]
    result.created["contacts"] = len(contacts)
    result.summary.append(
        f"Contacts: {len(contacts)} over the last eight weeks and the coming one, "
        f"{len(missed)} missed, {len(booked)} appointments with no outcome recorded yet"
    )
    return result
