"""Demo data for control measures: licences, conditions, breaches, warnings, drug tests, bail
conditions, civil orders, enforcement flags, and recalls with their decisions and dossier.

Called by ``manage.py seed_demo`` after ``cohorts.demo`` has made the people; the licences are
in ``licences``, the recalls in ``recalls``. Dates are relative to the day of the seed. Rows
are written with ``bulk_create`` and one audit "collection" event per person. Nothing is
written when the area already has licences.
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.db.models import Q
from django.utils import timezone

from cohorts.controls.models import (
    CATEGORY_OF_KIND,
    ControlMeasure,
    Licence,
    MeasureKind,
    RecallStatus,
)
from cohorts.models import Nominal
from iom import demo as core
from iom.models import AuditAction, AuditEvent, User

from . import licences as licensing
from . import recalls as recalling

AUDIT_DESCRIPTION = "Created by the demo data seed"
_DAY = datetime.timedelta(days=1)
MEASURE_DETAILS = (
    "Demoford Central police station, daily at 10:00",
    "Approved address only",
    "Demoford city centre",
    "As set by the court",
)


def _measures(rng: random.Random, people, staff, today) -> list[ControlMeasure]:
    measures = []
    for person in rng.sample(people, len(people) // 6):
        kind = rng.choice(list(MeasureKind))
        curfew = kind in (MeasureKind.CURFEW, MeasureKind.ELECTRONIC_MONITORING)
        status = rng.choice(["active", "active", "active", "breached", "ended"])
        measures.append(
            ControlMeasure(
                nominal=person,
                category=CATEGORY_OF_KIND[kind],
                kind=kind,
                details=rng.choice(MEASURE_DETAILS),
                imposed_by=rng.choice(["Demoford Magistrates' Court", "Demo Police IOM unit"]),
                curfew_from=datetime.time(19, 0) if curfew else None,
                curfew_until=datetime.time(7, 0) if curfew else None,
                starts_on=today - rng.randint(5, 120) * _DAY,
                ends_on=today - _DAY if status == "ended" else None,
                status=status,
                created_by=rng.choice(staff),
            )
        )
    ControlMeasure.objects.bulk_create(measures)
    return measures


def _audit(touched) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(
            username="system",
            action=AuditAction.COLLECTION,
            person_id=person.pk,
            object_type="cohorts.Nominal",
            object_id=str(person.pk),
            description=f"{AUDIT_DESCRIPTION}: control measures",
        )
        for person in touched
    )


def seed(
    rng: random.Random, stdout: TextIO | None, *, today: datetime.date | None = None
) -> core.SeedResult:
    today = today or timezone.localdate()
    result = core.SeedResult()
    if Licence.objects.exists():
        return result
    people = list(Nominal.objects.order_by("pk"))
    staff = list(
        User.objects.filter(is_active=True, agency__isnull=False)
        .filter(Q(team__is_iom_unit=True) | Q(agency__kind__in=["nps", "crc"]))
        .order_by("pk")
    )
    if not people or not staff:
        return result
    probation = [u for u in staff if u.agency.kind in ("nps", "crc")] or staff
    licences = licensing.licences(rng, people, staff, probation, today)
    conditions, tested = licensing.conditions(rng, licences)
    tests, breaches = licensing.tests_and_breaches(rng, licences, tested, today)
    warnings = licensing.sanctions()
    recalls = recalling.recalls(rng, today)
    in_progress = sum(1 for recall in recalls if recall.is_in_progress)
    decided = sum(1 for recall in recalls if recall.is_decided)
    measures = _measures(rng, people, staff, today)
    _audit({lic.nominal for lic in licences} | {m.nominal for m in measures})
    result.created.update(
        {
            "licences": len(licences),
            "licence conditions": conditions,
            "breaches": breaches,
            "sanctions": warnings + sum(1 for recall in recalls if recall.sanction_id),
            "drug tests": tests,
            "recalls in progress": in_progress,
            "recall decisions": decided,
            "decisions not to recall": sum(
                1 for recall in recalls if recall.status == RecallStatus.NOT_RECALLED
            ),
            "bail conditions, orders and flags": len(measures),
        }
    )
    return result
