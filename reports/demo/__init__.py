"""Demo data for the reports: offending in the year before members joined, the nightly
rankings of the last 60 nights and of the last two month-ends (so that the dashboard shows RAG
movements and the risk history two months of points), and last month's cohort report, ready
to download.

Called by ``manage.py seed_demo`` after every other app's seeder, so the rankings see the
members. They run inside the seed's transaction; the report is requested once it is
committed, since a worker builds it. A second run finds the rankings and the stored report
and changes nothing.
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from cohorts.models import CohortMembership, Nominal
from cohorts.risk import demo as risk_demo
from cohorts.risk.models import DetectedOffence, DetectionOutcome, RankingRun, SanctionKind
from iom import demo as core
from iom.formatting import long_date
from reports import monthly
from reports.measures.offending import PROVEN
from reports.measures.periods import add_months, month_end, month_start


def month_ends(today: datetime.date) -> list[datetime.date]:
    """The last days of the two months before ``today``."""
    first = month_start(today)
    return [month_end(add_months(first, -2)), month_end(add_months(first, -1))]


def _earlier_offending(rng: random.Random, today: datetime.date) -> int:
    """The demo's offending history is drawn without regard to when people joined the cohort.
    Give members with a full year on the cohort the kind of offending that got them referred:
    for most proven offences in their year after entry, a similar one in the year before
    (and sometimes two), so the before/after measure shows a plausible fall."""
    rows = []
    cutoff = today - datetime.timedelta(days=365)
    memberships = CohortMembership.objects.filter(entered_on__lte=cutoff).order_by("id")
    offences = {}
    for offence in DetectedOffence.objects.filter(
        nominal__in=memberships.values("nominal"), sanction__in=PROVEN
    ).order_by("id"):
        offences.setdefault(offence.nominal_id, []).append(offence)
    for membership in memberships:
        entry = membership.entered_on
        for offence in offences.get(membership.nominal_id, []):
            if not entry <= offence.committed_on < entry + datetime.timedelta(days=365):
                continue
            for copy in range(1 + (rng.random() < 0.7)):
                if rng.random() > 0.9:
                    continue
                day = entry - datetime.timedelta(days=rng.randint(20, 360))
                rows.append(
                    DetectedOffence(
                        nominal_id=membership.nominal_id,
                        source="demo",
                        external_ref=f"RPT-{offence.pk}-{membership.pk}-{copy}",
                        committed_on=day,
                        offence_type_id=offence.offence_type_id,
                        outcome=DetectionOutcome.CONVICTED,
                        location=offence.location,
                        sanction=SanctionKind.CONVICTION,
                        sanction_date=day + datetime.timedelta(days=rng.randint(20, 90)),
                    )
                )
    before = DetectedOffence.objects.filter(source="demo").count()
    DetectedOffence.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    return DetectedOffence.objects.filter(source="demo").count() - before


# The demo area's centre and how far homes and scenes spread, in British National Grid metres
# (a fictional town in the Midlands).
CENTRE = (458_000, 304_000)
SPREAD = {"city": 3_000, "county": 15_000}


def _coordinates(rng: random.Random) -> int:
    """Homes of the demo people and scenes of their detections, for the geography report:
    most offences near home, some across the area. Only rows without coordinates change."""
    people = []
    for nominal in Nominal.objects.filter(home_easting__isnull=True).select_related(
        "neighbourhood"
    ):
        spread = SPREAD["county" if nominal.area == "County" else "city"]
        nominal.home_easting = CENTRE[0] + rng.randint(-spread, spread)
        nominal.home_northing = CENTRE[1] + rng.randint(-spread, spread)
        people.append(nominal)
    Nominal.objects.bulk_update(people, ["home_easting", "home_northing"], batch_size=500)
    homes = {
        pk: (easting, northing)
        for pk, easting, northing in Nominal.objects.filter(home_easting__isnull=False).values_list(
            "pk", "home_easting", "home_northing"
        )
    }
    offences = []
    for offence in DetectedOffence.objects.filter(
        scene_easting__isnull=True, nominal_id__in=list(homes)
    ):
        home = homes[offence.nominal_id]
        reach = rng.choice([400, 800, 1_500, 3_000, 8_000])
        offence.scene_easting = max(home[0] + rng.randint(-reach, reach), 0)
        offence.scene_northing = max(home[1] + rng.randint(-reach, reach), 0)
        offences.append(offence)
    DetectedOffence.objects.bulk_update(
        offences, ["scene_easting", "scene_northing"], batch_size=500
    )
    return len(offences)


def seed(
    rng: random.Random, stdout: TextIO | None, *, today: datetime.date | None = None
) -> core.SeedResult:
    today = today or timezone.localdate()
    result = core.SeedResult()
    created = _earlier_offending(rng, today)
    placed = _coordinates(rng)
    if placed:
        result.created["offence scenes placed on the map"] = placed
    if created:
        result.created["offences before joining the cohort"] = created
    ends = month_ends(today)
    # The nightly runs, once: a second seed finds them (a rerun of a date replaces its run).
    if created or not RankingRun.objects.filter(run_date__in=ends).exists():
        run = risk_demo.rank_nights(today, extra=tuple(ends))
        result.created["nightly rankings"] = RankingRun.objects.count()
        result.summary.append(
            f"Rankings: every night from {long_date(risk_demo.night_dates(today)[0])} to last "
            f"night ({long_date(run.run_date)}: {run.members_ranked} members ranked), and the "
            f"month-ends {' and '.join(long_date(day) for day in ends)}"
        )
    result.summary.append("Reports: last month's cohort report is requested once seeded")
    transaction.on_commit(lambda: monthly.request_last_month(today))
    return result
