"""Members in custody today: an open custody period each, from the day they went in, with its
kind and, where known, the expected release; for those whose release date is known, the
licence they will be released on; and for those due out within the month, a day-of-release
plan.

A known release is also recorded the way the service records it once the prison has set it: a
licence whose release date is still to come (it becomes the person's current licence on that
day). Members who are already on a licence today were recalled on it: their period is a
recall, their licence is marked recalled, and they get no second one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Q
from django.utils import timezone

from cohorts.controls.models import Licence
from cohorts.models import MembershipStatus, Task, TaskKind
from cohorts.risk.custody import DUE_OUT_DAYS, RELEASE_PLAN_TITLES
from cohorts.risk.models import CustodyKind, CustodyPeriod, ExpectedReleaseBasis
from iom import demo as core

from .shape import Plan

SOURCE = "demo"
ESTABLISHMENT = "HMP Demoford"
# A licence runs to the sentence's end: half the sentence again, or so, after release.
LICENCE_DAYS = 270
SENTENCE_DAYS = 540
# At least this many members are due out within the month (national IOM guidance makes the
# day of release central): the nearest releases are brought forward to these days if need be.
DUE_SOON_DAYS = (6, 14, 21, 26)
# Each item of a day-of-release plan: the agency responsible and the day it is due,
# relative to the expected release.
PLAN = (
    ("accommodation", "housing", -7, "Room at Brookvale House approved premises"),
    ("gp", "health", 3, "Registration and first appointment at Demoford Health Centre"),
    ("drug-treatment", "drugs", 1, "Assessment at Clearwater Recovery, 10:00"),
    ("probation", "nps", 0, "First supervision appointment, Demoford probation office"),
    ("gate", "police", 0, "IOM officer to meet at the gate, 08:30"),
    ("licence-conditions", "nps", 0, "Licence conditions read and signed"),
    ("benefits", "council", 2, "Universal Credit claim with the council's support worker"),
)


def _bring_releases_forward(inside, today: datetime.date) -> None:
    """Make sure several members are due out within the month: the nearest releases after it
    are brought forward to ``DUE_SOON_DAYS`` (never earlier than they went in)."""
    soon = today + datetime.timedelta(days=DUE_OUT_DAYS)
    due = sorted(
        (p for p in inside if p.release_on and today <= p.release_on <= soon),
        key=lambda p: p.release_on,
    )
    later = sorted(
        (p for p in inside if p.release_on and p.release_on > soon), key=lambda p: p.release_on
    )
    for days in DUE_SOON_DAYS[len(due) :]:
        if not later:
            return
        later.pop(0).release_on = today + datetime.timedelta(days=days)


def write_custody(plan: Plan, today: datetime.date, result: core.SeedResult) -> None:
    inside = [p for p in plan.periods if p.status == MembershipStatus.IN_CUSTODY]
    if not inside:
        return
    known = _Known.of([p.someone.nominal.pk for p in inside], today)
    _bring_releases_forward(
        [p for p in inside if p.someone.nominal.pk not in known.recalled], today
    )
    officers = core.users(["officer.probation", "officer.crc"])
    periods = [
        _custody_period(period, number, today, known) for number, period in enumerate(inside)
    ]
    licences = [
        _licence(period, officers)
        for period in inside
        if period.release_on and period.someone.nominal.pk not in known.on_licence
    ]
    CustodyPeriod.objects.bulk_create(periods, ignore_conflicts=True)
    Licence.objects.bulk_create(licences)
    _mark_recalled(known.recalled, today)
    result.created["custody periods of members in custody"] = len(periods)
    result.created["licences for releases to come"] = len(licences)
    result.created["day-of-release plan items"] = _write_plans(today)


@dataclass(frozen=True)
class _Known:
    """What is already recorded of the members in custody: the day each was last released,
    who has a licence current or to come, and who is on a licence today (so was recalled)."""

    last_release: dict[int, datetime.date]
    on_licence: set[int]
    recalled: set[int]

    @classmethod
    def of(cls, ids: list[int], today: datetime.date) -> _Known:
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
        recalled = set(
            Licence.objects.filter(
                nominal_id__in=ids, release_date__lte=today, licence_expiry_date__gte=today
            ).values_list("nominal_id", flat=True)
        )
        return cls(last_release, on_licence, recalled)


def _custody_period(period, number: int, today: datetime.date, known: _Known) -> CustodyPeriod:
    """The open period: from the day they went in (after their last release), a recall for
    those on a licence, else a sentence with a known release or a remand; one in five known
    releases is on parole."""
    nominal = period.someone.nominal
    started = period.custody_from or today
    if nominal.pk in known.last_release and known.last_release[nominal.pk] >= started:
        started = min(known.last_release[nominal.pk] + datetime.timedelta(days=1), today)
    if nominal.pk in known.recalled:
        kind = CustodyKind.RECALL
    else:
        kind = CustodyKind.SENTENCE if period.release_on else CustodyKind.REMAND
    expected = period.release_on if period.release_on and period.release_on >= started else None
    basis = ""
    if expected:
        basis = ExpectedReleaseBasis.PAROLE if number % 5 == 4 else ExpectedReleaseBasis.AUTOMATIC
    return CustodyPeriod(
        nominal=nominal,
        source=SOURCE,
        external_ref=f"CM-{nominal.pk}",
        started_on=started,
        establishment=ESTABLISHMENT,
        kind=kind,
        expected_release_on=expected,
        expected_release_basis=basis,
    )


def _licence(period, officers: dict) -> Licence:
    """The licence they will be released on, supervised by their lead agency's officer."""
    return Licence(
        nominal=period.someone.nominal,
        release_date=period.release_on,
        licence_expiry_date=period.release_on + datetime.timedelta(LICENCE_DAYS),
        sentence_expiry_date=period.release_on + datetime.timedelta(SENTENCE_DAYS),
        supervising_officer=officers[
            "officer.crc" if period.someone.lead == "crc" else "officer.probation"
        ],
        offence="Burglary dwelling",
        created_by=officers["officer.probation"],
    )


def _mark_recalled(recalled: set[int], today: datetime.date) -> None:
    """The licence of each member recalled on it is marked recalled on the day they went in."""
    for period in CustodyPeriod.objects.filter(
        source=SOURCE, nominal_id__in=recalled, kind=CustodyKind.RECALL, ended_on__isnull=True
    ):
        Licence.objects.filter(
            nominal_id=period.nominal_id, release_date__lte=today, licence_expiry_date__gte=today
        ).update(recalled_on=period.started_on)


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _write_plans(today: datetime.date) -> int:
    """A day-of-release plan for each member due out within the month: every item, with its
    agency and date; the preparations whose date has passed are done."""
    soon = today + datetime.timedelta(days=DUE_OUT_DAYS)
    due = CustodyPeriod.objects.filter(
        source=SOURCE,
        ended_on__isnull=True,
        expected_release_on__gte=today,
        expected_release_on__lte=soon,
    ).order_by("expected_release_on", "id")
    agencies = {key: core.agency(key) for key in {item[1] for item in PLAN}}
    content_type = ContentType.objects.get_for_model(CustodyPeriod)
    tasks = []
    for period in due:
        for key, agency, offset, details in PLAN:
            due_on = period.expected_release_on + datetime.timedelta(days=offset)
            done = due_on < today
            tasks.append(
                Task(
                    nominal_id=period.nominal_id,
                    kind=TaskKind.RELEASE_PLAN,
                    key=key,
                    title=RELEASE_PLAN_TITLES[key],
                    details=details,
                    owner_agency=agencies[agency],
                    due_on=due_on,
                    source_type=content_type,
                    source_id=period.pk,
                    completed_at=_noon(due_on) if done else None,
                    outcome="Arranged" if done else "",
                )
            )
    Task.objects.bulk_create(tasks)
    return len(tasks)
