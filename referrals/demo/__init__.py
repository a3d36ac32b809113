"""Demo data for referrals: two years of Demo Shire's IOM panel, and the cohort it built.

Called by ``manage.py seed_demo`` after ``cohorts.demo`` has created the demo people. It
writes the history a real unit would have on the day of the seed:

* a panel on the second Tuesday of each of the 24 months before it, chaired by the police or
  the probation IOM manager, attended by the police, the NPS, the CRC and two to four partner
  agencies;
* referrals from every agency (mostly the police and probation), each with its reasons, each
  decided at the first panel after it was made: most accepted, some rejected with a reason,
  some deferred to a date (and then accepted, or back in the queue now, or still waiting);
* the cohort those decisions built: the caseload taken over at the first three panels, then
  about seven new members a month, about 250 members today (active, in custody or devolved to
  the neighbourhood team); 40 exits with their reasons, 8 of those people back later through a
  second referral; the cohort reaching its cap once, with two manager overrides;
* each member's engagement over time (not yet approached, then engaged, partly engaged or
  declined);
* the members in custody today, with their custody periods and, for most, a release to come;
* a dozen referrals awaiting the next panel;
* the minutes of the latest panel and the actions it agreed, which became tasks.

Memberships are written here rather than by ``cohorts.demo`` because each one starts at the
panel that accepted its referral: ``cohorts`` must not depend on ``referrals``.

The whole history is planned first (``planner``, with ``steps`` and ``wording``, from the
numbers in ``shape`` and the words in ``texts``), from the people, a seeded random generator
and the day alone, so that it is the same on every run of that day; then ``writing`` writes
it with ``bulk_create``, with one audit event per row. Nothing is written when the area
already has panel meetings; nothing either, with a note, when it has referrals or memberships
that the seed did not make.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import TextIO

from django.utils import timezone

from cohorts import demo as cohort_demo
from cohorts.models import CohortConfiguration, CohortMembership, Nominal, RecordShare, ShareBasis
from cohorts.models.membership import OPEN_STATUSES
from iom import demo as core
from iom.models import AuditAction, AuditEvent
from referrals.models import PanelMeeting, Referral
from referrals.queries import in_queue

from .custody import write_custody
from .minutes import write_minutes
from .planner import Planner
from .shape import DEMO_CAP, PANEL_COUNT, Plan, Someone, panel_dates
from .writing import write

__all__ = ["DEMO_CAP", "PANEL_COUNT", "Planner", "panel_dates", "people", "seed"]


def people() -> list[Someone]:
    """The demo people the history is planned for, with their lead, partners and manager."""
    nominals = list(cohort_demo.demo_nominals().select_related("neighbourhood"))
    agencies = {spec.key: core.agency(spec.key) for spec in core.AGENCIES}
    key_of = {agency.pk: key for key, agency in agencies.items()}
    shared: dict[int, list[str]] = defaultdict(list)
    devolved: set[int] = set()
    rows = (
        RecordShare.objects.active()
        .filter(nominal_id__in=[n.pk for n in nominals])
        .values_list("nominal_id", "team__agency_id", "basis")
        .order_by("id")
    )
    for nominal_id, agency_id, basis in rows:
        if basis == ShareBasis.DEVOLUTION:
            devolved.add(nominal_id)
        else:
            shared[nominal_id].append(key_of[agency_id])
    through = Nominal.offender_managers.through
    managers: dict[int, int] = {}
    for nominal_id, user_id in (
        through.objects.filter(nominal_id__in=[n.pk for n in nominals])
        .order_by("id")
        .values_list("nominal_id", "user_id")
    ):
        managers.setdefault(nominal_id, user_id)
    return [
        Someone(
            nominal=nominal,
            lead=key_of[nominal.lead_agency_id],
            partners=tuple(sorted(set(shared[nominal.pk]))),
            devolved=nominal.pk in devolved,
            manager_id=managers.get(nominal.pk),
        )
        for nominal in nominals
        if key_of.get(nominal.lead_agency_id) in ("police", "nps", "crc")
    ]


def _set_cap() -> int:
    """Set the demo cohort's cap; the number of audit events written."""
    configuration = CohortConfiguration.current()
    if configuration.cap != DEMO_CAP:
        before = configuration.cap
        configuration.cap = DEMO_CAP
        configuration.save()
        AuditEvent.objects.create(
            username=core.SEED_USERNAME,
            action=AuditAction.ALTERATION,
            object_type=CohortConfiguration._meta.label,
            object_id=str(configuration.pk),
            description=f"Cohort cap set to {DEMO_CAP} for the demo area",
            changes={"cap": [before, DEMO_CAP]},
            path=core.SEED_ACTOR.path,
        )
        return 1
    return 0


# The story the demo tells: the cohort reaches its cap once and a manager overrides it twice.
DEMO_OVERRIDES = 2
PLAN_ATTEMPTS = 60


def _plan(rng: random.Random, found: list[Someone], cap: int, today: datetime.date) -> Plan:
    """Plan the two years until the draw tells the demo's story. Whether the cohort passes
    its cap depends on when the random exits fall against the panels, so some draws never
    reach it; planning is in memory and quick, and each attempt's draw comes from ``rng``,
    so the same day still gives the same history."""
    for _ in range(PLAN_ATTEMPTS):
        plan = Planner(random.Random(rng.random()), found, cap, today).plan()
        if plan.overrides == DEMO_OVERRIDES:
            break
    return plan


def _build(rng: random.Random, today: datetime.date, result: core.SeedResult) -> None:
    if Referral.objects.exists() or CohortMembership.objects.exists():
        result.notes.append(
            "Left out the referral and cohort history: this database already has "
            "referrals or cohort memberships."
        )
        return
    found = people()
    if len(found) < 100:
        raise core.DemoDataMissing(
            f"Only {len(found)} demo people exist; the referral history needs the "
            "cohort's demo people."
        )
    cap_events = _set_cap()
    plan = _plan(rng, found, CohortConfiguration.current().cap, today)
    write(plan, result, cap_events)
    write_minutes(today, result)
    write_custody(plan, today, result)


def seed(
    rng: random.Random, stdout: TextIO | None, *, today: datetime.date | None = None
) -> core.SeedResult:
    today = today or timezone.localdate()
    result = core.SeedResult()
    if not PanelMeeting.objects.exists():
        _build(rng, today, result)
    members = CohortMembership.objects.filter(status__in=OPEN_STATUSES).count()
    waiting = Referral.objects.filter(in_queue()).count()
    cap = CohortConfiguration.current().cap
    result.summary.append(
        f"Cohort: {members} current members (cap {cap}), {waiting} referrals awaiting panel"
    )
    return result
