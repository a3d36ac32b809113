"""Demo data for control measures: licences, conditions, breaches, warnings, drug tests, bail
conditions, civil orders, enforcement flags and two recalls in progress.

Called by ``manage.py seed_demo`` after ``cohorts.demo`` has made the people. About a third of
the demo people are on licence (released in the year before the demo's reference date); some
are tested on licence, and a few have reached the recall threshold so that the prompt shows.
Rows are written with ``bulk_create`` and one audit "collection" event per person. Nothing is
written when the area already has licences.
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.db.models import Q
from django.utils import timezone

from cohorts.models import Nominal
from iom import demo as core
from iom.models import AuditAction, AuditEvent, User

from .models import (
    CATEGORY_OF_KIND,
    Breach,
    ControlMeasure,
    DrugTest,
    Licence,
    LicenceCondition,
    MeasureKind,
    Recall,
    Sanction,
)

AUDIT_DESCRIPTION = "Created by the demo data seed"
ON_LICENCE_SHARE = 0.3
AT_THRESHOLD = 6
RECALLS_IN_PROGRESS = 2

STANDARD_CONDITIONS = (
    "Be of good behaviour and not behave in a way which undermines the purpose of the licence.",
    "Not commit any offence.",
    "Keep in touch with the supervising officer as instructed.",
    "Receive visits from the supervising officer as instructed.",
    "Reside permanently at an address approved by the supervising officer.",
)
ADDITIONAL_CONDITIONS = (
    ("Attend drug testing twice a week as directed (test on licence).", True),
    ("Not enter the Demoford Central exclusion zone shown on the attached map.", False),
    ("Comply with a curfew at the approved address from 19:00 to 07:00.", False),
    ("Not contact or associate with the co-defendants named by the supervising officer.", False),
)
OFFENCES = ("Burglary dwelling", "Robbery", "Theft of a motor vehicle", "Theft from a vehicle")
BREACHES = (
    "Missed a supervision appointment without explanation.",
    "Not at the approved address during a curfew check.",
    "Seen in the exclusion zone by a neighbourhood officer (pocket notebook entry).",
    "Failed to attend drug testing.",
)


def seed(rng: random.Random, stdout: TextIO) -> core.SeedResult:
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
    today = timezone.localdate()
    chosen = rng.sample(people, int(len(people) * ON_LICENCE_SHARE))

    licences = [
        Licence(
            nominal=person,
            release_date=today - datetime.timedelta(days=rng.randint(20, 330)),
            licence_expiry_date=today + datetime.timedelta(days=rng.randint(60, 500)),
            sentence_expiry_date=today + datetime.timedelta(days=rng.randint(500, 900)),
            supervising_officer=rng.choice(probation),
            offence=rng.choice(OFFENCES),
            created_by=rng.choice(staff),
        )
        for person in chosen
    ]
    Licence.objects.bulk_create(licences)
    licences = list(Licence.objects.filter(nominal__in=chosen).select_related("nominal"))

    conditions, tested = [], set()
    for licence in licences:
        conditions += [
            LicenceCondition(licence=licence, condition_type="standard", text=text)
            for text in STANDARD_CONDITIONS
        ]
        for text, is_drug_testing in rng.sample(ADDITIONAL_CONDITIONS, rng.randint(1, 3)):
            conditions.append(
                LicenceCondition(
                    licence=licence,
                    condition_type="additional",
                    text=text,
                    is_drug_testing=is_drug_testing,
                )
            )
            if is_drug_testing:
                tested.add(licence.pk)
    LicenceCondition.objects.bulk_create(conditions)

    tests, breaches = [], []
    threshold_people = [lic for lic in licences if lic.pk in tested][:AT_THRESHOLD]
    for licence in licences:
        days_on = (today - licence.release_date).days
        if licence.pk in tested:
            positives = 3 if licence in threshold_people else rng.randint(0, 2)
            for week in range(min(days_on // 7, 12)):
                tested_on = today - datetime.timedelta(days=7 * week + rng.randint(1, 3))
                positive = week < positives
                tests.append(
                    DrugTest(
                        nominal=licence.nominal,
                        licence=licence,
                        tested_on=tested_on,
                        outcome="positive"
                        if positive
                        else rng.choice(["negative"] * 30 + ["failed-to-attend"]),
                        class_a_substances=rng.choice(["Opiates", "Cocaine"]) if positive else "",
                        other_substances=rng.choice(["", "", "Cannabis"]),
                        recorded_by=licence.created_by,
                    )
                )
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            breaches.append(
                Breach(
                    nominal=licence.nominal,
                    licence=licence,
                    occurred_on=today - datetime.timedelta(days=rng.randint(1, max(days_on, 1))),
                    evidence=rng.choice(BREACHES),
                    recorded_by=licence.created_by,
                )
            )
    DrugTest.objects.bulk_create(tests)
    Breach.objects.bulk_create(breaches)
    breaches = list(Breach.objects.select_related("licence").order_by("licence_id", "occurred_on"))

    sanctions, by_licence = [], {}
    for breach in breaches:
        by_licence.setdefault(breach.licence_id, []).append(breach)
    for licence_breaches in by_licence.values():
        for level, breach in enumerate(licence_breaches[:2], start=1):
            sanctions.append(
                Sanction(
                    nominal=breach.nominal,
                    licence=breach.licence,
                    breach=breach,
                    level=level,
                    issued_on=breach.occurred_on,
                    issued_by=breach.recorded_by,
                    notes="Warning letter sent.",
                )
            )
    Sanction.objects.bulk_create(sanctions)

    recalls = []
    ladders = [b for b in by_licence.values() if len(b) >= 2][:RECALLS_IN_PROGRESS]
    for licence_breaches in ladders:
        breach = licence_breaches[-1]
        sanction = Sanction.objects.create(
            nominal=breach.licence.nominal, licence=breach.licence, breach=breach, level=3,
            issued_on=today, issued_by=breach.recorded_by, notes="Recall sought.",
        )  # fmt: skip
        started = timezone.now() - datetime.timedelta(hours=rng.randint(6, 40))
        recalls.append(
            Recall(
                nominal=breach.licence.nominal,
                licence=breach.licence,
                breach=breach,
                sanction=sanction,
                reason="Continued non-compliance after a District Manager's warning.",
                recommendation="Standard recall; arrest by the neighbourhood team.",
                started_at=started,
                started_by=breach.recorded_by,
                probation_contacted_at=started + datetime.timedelta(minutes=40),
                paperwork_completed_at=started + datetime.timedelta(hours=3),
            )
        )
    Recall.objects.bulk_create(recalls)

    measures = []
    for person in rng.sample(people, len(people) // 6):
        kind = rng.choice(list(MeasureKind))
        curfew = kind in (MeasureKind.CURFEW, MeasureKind.ELECTRONIC_MONITORING)
        measures.append(
            ControlMeasure(
                nominal=person,
                category=CATEGORY_OF_KIND[kind],
                kind=kind,
                details=rng.choice(
                    [
                        "Demoford Central police station, daily at 10:00",
                        "Approved address only",
                        "Demoford city centre",
                        "As set by the court",
                    ]
                ),
                imposed_by=rng.choice(["Demoford Magistrates' Court", "Demo Police IOM unit"]),
                curfew_from=datetime.time(19, 0) if curfew else None,
                curfew_until=datetime.time(7, 0) if curfew else None,
                starts_on=today - datetime.timedelta(days=rng.randint(5, 120)),
                status=rng.choice(["active", "active", "active", "breached", "ended"]),
                created_by=rng.choice(staff),
            )
        )
    for measure in measures:
        if measure.status == "ended":
            measure.ends_on = today - datetime.timedelta(days=1)
    ControlMeasure.objects.bulk_create(measures)

    touched = {lic.nominal for lic in licences} | {m.nominal for m in measures}
    AuditEvent.objects.bulk_create(
        AuditEvent(
            username="system",
            action=AuditAction.COLLECTION,
            nominal=person,
            object_type="cohorts.Nominal",
            object_id=str(person.pk),
            description=f"{AUDIT_DESCRIPTION}: control measures",
        )
        for person in touched
    )
    result.created.update(
        {
            "licences": len(licences),
            "licence conditions": len(conditions),
            "breaches": len(breaches),
            "sanctions": len(sanctions) + len(recalls),
            "drug tests": len(tests),
            "recalls in progress": len(recalls),
            "bail conditions, orders and flags": len(measures),
        }
    )
    return result
