"""Members in custody today: an open custody period each, from the day they went in, and for
those whose release date is known, the licence they will be released on.

The custody model has no expected release date, so a known release is recorded the way the
service records it once the prison has set it: a licence whose release date is still to come
(it becomes the person's current licence on that day). Members who are already on a licence
today were recalled on it, and get no second one.
"""

from __future__ import annotations

import datetime

from django.db.models import Max, Q

from cohorts.controls.models import Licence
from cohorts.models import MembershipStatus
from cohorts.risk.models import CustodyPeriod
from iom import demo as core

from .shape import Plan

SOURCE = "demo"
ESTABLISHMENT = "HMP Demoford"
# A licence runs to the sentence's end: half the sentence again, or so, after release.
LICENCE_DAYS = 270
SENTENCE_DAYS = 540


def write_custody(plan: Plan, today: datetime.date, result: core.SeedResult) -> None:
    inside = [p for p in plan.periods if p.status == MembershipStatus.IN_CUSTODY]
    if not inside:
        return
    ids = [p.someone.nominal.pk for p in inside]
    last_release = dict(
        CustodyPeriod.objects.filter(nominal_id__in=ids, ended_on__isnull=False)
        .values("nominal_id")
        .annotate(last=Max("ended_on"))
        .values_list("nominal_id", "last")
    )
    on_licence = set(
        Licence.objects.filter(nominal_id__in=ids)
        .filter(Q(licence_expiry_date__gte=today) | Q(release_date__gte=today))
        .values_list("nominal_id", flat=True)
    )
    officers = core.users(["officer.probation", "officer.crc"])
    periods, licences = [], []
    for period in inside:
        nominal = period.someone.nominal
        started = period.custody_from or today
        if nominal.pk in last_release and last_release[nominal.pk] >= started:
            started = min(last_release[nominal.pk] + datetime.timedelta(days=1), today)
        periods.append(
            CustodyPeriod(
                nominal=nominal,
                source=SOURCE,
                external_ref=f"CM-{nominal.pk}",
                started_on=started,
                establishment=ESTABLISHMENT,
            )
        )
        if period.release_on and nominal.pk not in on_licence:
            licences.append(
                Licence(
                    nominal=nominal,
                    release_date=period.release_on,
                    licence_expiry_date=period.release_on + datetime.timedelta(LICENCE_DAYS),
                    sentence_expiry_date=period.release_on + datetime.timedelta(SENTENCE_DAYS),
                    supervising_officer=officers[
                        "officer.crc" if period.someone.lead == "crc" else "officer.probation"
                    ],
                    offence="Burglary dwelling",
                    created_by=officers["officer.probation"],
                )
            )
    CustodyPeriod.objects.bulk_create(periods, ignore_conflicts=True)
    Licence.objects.bulk_create(licences)
    result.created["custody periods of members in custody"] = len(periods)
    result.created["licences for releases to come"] = len(licences)
