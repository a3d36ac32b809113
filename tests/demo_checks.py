"""What a believable demo area looks like on the day it was seeded for, whatever that day."""

from __future__ import annotations

import datetime

from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from cohorts.contacts.models import Absence, Attendance, Contact, ContactKind
from cohorts.controls.models import Licence
from cohorts.models import (
    CohortMembership,
    Engagement,
    MembershipStatus,
    Nominal,
    Task,
    TaskKind,
)
from cohorts.risk.models import CustodyPeriod, RankingRun, RunKind, RunStatus
from pathways.models import LIVE_STATUSES, PathwayAction, PlanPathway
from referrals.models import PanelMeeting

NIGHTS = 60


def assert_believable(today: datetime.date) -> None:
    _last_nights_ranking(today)
    _a_minority_of_reviews_overdue(today)
    _most_past_actions_done(today)
    _custody_and_releases_to_come(today)
    _contacts_of_every_kind_and_this_weeks_appointments(today)
    _some_people_have_a_placeholder_photograph()
    assert PanelMeeting.objects.filter(held_on__gte=today).count() == 0
    assert PanelMeeting.objects.filter(held_on__gte=today - datetime.timedelta(days=40)).exists()
    assert not Engagement.objects.filter(on__gt=today).exists()


def _last_nights_ranking(today: datetime.date) -> None:
    nightly = RankingRun.objects.filter(kind=RunKind.NIGHTLY, status=RunStatus.SUCCEEDED)
    last = nightly.get(run_date=today)
    assert last.members_ranked > 200
    since = today - datetime.timedelta(days=NIGHTS - 1)
    assert nightly.filter(run_date__range=(since, today)).count() == NIGHTS
    assert not nightly.filter(run_date__gt=today).exists()


def _a_minority_of_reviews_overdue(today: datetime.date) -> None:
    live = PlanPathway.objects.filter(status__in=LIVE_STATUSES, review_date__isnull=False)
    overdue = live.filter(review_date__lt=today).count()
    assert 0.05 <= overdue / live.count() <= 0.15, (overdue, live.count())


def _most_past_actions_done(today: datetime.date) -> None:
    past = PathwayAction.objects.filter(due_on__lt=today)
    done = past.filter(done_on__isnull=False)
    assert done.count() / past.count() >= 0.8
    assert not done.filter(outcome="").exists()
    assert not PathwayAction.objects.filter(done_on__gt=today).exists()


def _custody_and_releases_to_come(today: datetime.date) -> None:
    inside = CohortMembership.objects.filter(status=MembershipStatus.IN_CUSTODY)
    assert inside.count() >= 10
    for membership in inside:
        assert CustodyPeriod.objects.filter(
            nominal_id=membership.nominal_id, started_on__lte=today, ended_on__isnull=True
        ).exists()
    coming = Licence.objects.filter(
        nominal__in=inside.values("nominal"),
        release_date__gt=today,
        release_date__lte=today + datetime.timedelta(days=120),
    )
    assert coming.count() >= 5
    periods = CustodyPeriod.objects.filter(
        nominal__in=inside.values("nominal"), ended_on__isnull=True
    )
    assert not periods.filter(kind="").exists()
    due = periods.filter(
        expected_release_on__gte=today,
        expected_release_on__lte=today + datetime.timedelta(days=28),
    )
    assert due.count() >= 3
    for period in due:
        plan = Task.objects.filter(kind=TaskKind.RELEASE_PLAN, source_id=period.pk)
        assert plan.count() == 7 and plan.filter(completed_at__isnull=True).exists()


def _contacts_of_every_kind_and_this_weeks_appointments(today: datetime.date) -> None:
    kinds = set(Contact.objects.values_list("kind", flat=True))
    assert {ContactKind.HOME_VISIT, ContactKind.JOINT_VISIT, ContactKind.OFFICE} <= kinds
    joint = Contact.objects.filter(kind=ContactKind.JOINT_VISIT).prefetch_related("agencies")
    assert all(len(contact.agencies.all()) >= 2 for contact in joint)
    missed = Contact.objects.filter(attendance=Attendance.DID_NOT_ATTEND)
    assert missed.filter(absence=Absence.NO_REASON).exists()
    assert missed.filter(absence=Absence.ACCEPTABLE).exclude(absence_reason="").exists()
    assert missed.filter(absence=Absence.UNACCEPTABLE).exclude(absence_reason="").exists()
    kept = Contact.objects.filter(attendance=Attendance.ATTENDED)
    assert kept.count() > 4 * missed.count()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    week = start + datetime.timedelta(days=8)
    # Nothing has happened yet today or later, and nothing to come has an outcome.
    assert not Contact.objects.filter(happened_at__gte=start).exists()
    assert not Contact.objects.filter(planned_at__gte=start).exclude(attendance="").exists()
    booked = Contact.objects.filter(planned_at__gte=start, planned_at__lt=week, attendance="")
    assert booked.count() >= 50
    assert not Contact.objects.filter(planned_at__gte=week).exists()
    assert not kept.filter(attendees__isnull=True).exists()


def _some_people_have_a_placeholder_photograph() -> None:
    photographed = Nominal.objects.exclude(photograph="")
    assert 0.2 <= photographed.count() / Nominal.objects.count() <= 0.5
    for nominal in photographed[:3]:
        with default_storage.open(nominal.photograph, "rb") as stored, Image.open(stored) as image:
            assert image.format == "JPEG" and min(image.size) >= 100
