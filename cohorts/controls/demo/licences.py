"""The demo's licences: conditions, drug tests, breaches and warnings (recalls: ``recalls``).

About a third of the demo people are on licence (released in the year before the day of the
seed); some are tested on licence, and a few have reached the recall threshold so that the
prompt shows.
"""

from __future__ import annotations

import datetime
import random

from cohorts.controls.models import (
    Breach,
    DrugTest,
    Licence,
    LicenceCondition,
    Sanction,
)

ON_LICENCE_SHARE = 0.3
AT_THRESHOLD = 6
_DAY = datetime.timedelta(days=1)

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


def licences(rng: random.Random, people, staff, probation, today) -> list[Licence]:
    chosen = rng.sample(people, int(len(people) * ON_LICENCE_SHARE))
    Licence.objects.bulk_create(
        Licence(
            nominal=person,
            release_date=today - rng.randint(20, 330) * _DAY,
            licence_expiry_date=today + rng.randint(60, 500) * _DAY,
            sentence_expiry_date=today + rng.randint(500, 900) * _DAY,
            supervising_officer=rng.choice(probation),
            offence=rng.choice(OFFENCES),
            created_by=rng.choice(staff),
        )
        for person in chosen
    )
    return list(Licence.objects.filter(nominal__in=chosen).select_related("nominal"))


def conditions(rng: random.Random, licences: list[Licence]) -> tuple[int, set[int]]:
    """The licences' conditions; (how many, the ids of the licences with drug testing)."""
    rows, tested = [], set()
    for licence in licences:
        rows += [
            LicenceCondition(licence=licence, condition_type="standard", text=text)
            for text in STANDARD_CONDITIONS
        ]
        for text, is_drug_testing in rng.sample(ADDITIONAL_CONDITIONS, rng.randint(1, 3)):
            rows.append(
                LicenceCondition(
                    licence=licence,
                    condition_type="additional",
                    text=text,
                    is_drug_testing=is_drug_testing,
                )
            )
            if is_drug_testing:
                tested.add(licence.pk)
    LicenceCondition.objects.bulk_create(rows)
    return len(rows), tested


def _drug_tests(rng, licence: Licence, positives: int, today) -> list[DrugTest]:
    days_on = (today - licence.release_date).days
    tests = []
    for week in range(min(days_on // 7, 12)):
        positive = week < positives
        tests.append(
            DrugTest(
                nominal=licence.nominal,
                licence=licence,
                tested_on=today - (7 * week + rng.randint(1, 3)) * _DAY,
                outcome="positive"
                if positive
                else rng.choice(["negative"] * 30 + ["failed-to-attend"]),
                class_a_substances=rng.choice(["Opiates", "Cocaine"]) if positive else "",
                other_substances=rng.choice(["", "", "Cannabis"]),
                recorded_by=licence.created_by,
            )
        )
    return tests


def tests_and_breaches(rng, licences: list[Licence], tested: set[int], today) -> tuple[int, int]:
    tests, breaches = [], []
    threshold_people = [lic for lic in licences if lic.pk in tested][:AT_THRESHOLD]
    for licence in licences:
        days_on = (today - licence.release_date).days
        if licence.pk in tested:
            positives = 3 if licence in threshold_people else rng.randint(0, 2)
            tests += _drug_tests(rng, licence, positives, today)
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            breaches.append(
                Breach(
                    nominal=licence.nominal,
                    licence=licence,
                    occurred_on=today - rng.randint(1, max(days_on, 1)) * _DAY,
                    evidence=rng.choice(BREACHES),
                    recorded_by=licence.created_by,
                )
            )
    DrugTest.objects.bulk_create(tests)
    Breach.objects.bulk_create(breaches)
    return len(tests), len(breaches)


def sanctions() -> int:
    """A warning for each of a licence's first two breaches (the recalls follow later ones)."""
    breaches = Breach.objects.select_related("licence").order_by("licence_id", "occurred_on")
    by_licence: dict[int, list[Breach]] = {}
    for breach in breaches:
        by_licence.setdefault(breach.licence_id, []).append(breach)
    sanctions = [
        Sanction(
            nominal=breach.nominal,
            licence=breach.licence,
            breach=breach,
            level=level,
            issued_on=breach.occurred_on,
            issued_by=breach.recorded_by,
            notes="Warning letter sent.",
        )
        for licence_breaches in by_licence.values()
        for level, breach in enumerate(licence_breaches[:2], start=1)
    ]
    Sanction.objects.bulk_create(sanctions)
    return len(sanctions)
