"""What a believable demo area looks like on the day it was seeded for, whatever that day."""

from __future__ import annotations

import datetime

from cohorts.controls.models import Licence
from cohorts.models import CohortMembership, Engagement, MembershipStatus, Task, TaskKind
from cohorts.risk.models import CustodyPeriod, RankingRun, RunKind, RunStatus
from pathways.models import LIVE_STATUSES, PathwayAction, PlanPathway
from referrals.models import PanelMeeting

NIGHTS = 60


def assert_believable(today: datetime.date) -> None:
    _last_nights_ranking(today)
    _a_minority_of_reviews_overdue(today)
    _most_past_actions_done(today)
    _custody_and_releases_to_come(today)
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
