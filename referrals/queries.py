"""Read paths for referrals and panels, filtered to what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cohorts.models import Nominal, Task, TaskKind
from cohorts.risk import queries as risk_queries
from cohorts.risk.models import Arrest, DetectedOffence
from cohorts.risk.ogrs3 import queries as ogrs3_queries
from iom.access import restrict_by_nominal

from .models import UNDECIDED_STATUSES, PanelDecision, PanelMeeting, Referral, ReferralStatus

QUEUE = "queue"  # the filter value for "awaiting a panel now"


def visible_referrals(user) -> QuerySet[Referral]:
    """A referral is visible to whoever may see its person's record."""
    return restrict_by_nominal(Referral.objects.all(), user)


def with_open_referral(queryset: QuerySet, user, field: str = "nominal") -> QuerySet:
    """Annotate records about a person (``field``) with the person's referral awaiting the
    panel, if the user may see it: ``open_referral_id``, ``_status``, ``_deferred_until``.
    Three subqueries whatever the number of rows."""
    undecided = visible_referrals(user).filter(
        nominal=OuterRef(field), status__in=UNDECIDED_STATUSES
    )
    return queryset.annotate(
        open_referral_id=Subquery(undecided.values("pk")[:1]),
        open_referral_status=Subquery(undecided.values("status")[:1]),
        open_referral_deferred_until=Subquery(undecided.values("deferred_until")[:1]),
    )


def in_queue(today: datetime.date | None = None) -> Q:
    """Open referrals, and deferred ones whose date has come: what the next panel takes."""
    today = today or timezone.localdate()
    return Q(status=ReferralStatus.OPEN) | Q(
        status=ReferralStatus.DEFERRED, deferred_until__lte=today
    )


@dataclass(frozen=True)
class ReferralFilters:
    status: str = QUEUE
    agency: int | None = None
    stream: str = ""


def referral_list(
    user, filters: ReferralFilters, queryset: QuerySet[Referral] | None = None
) -> QuerySet[Referral]:
    """Visible referrals (or those of ``queryset``, already restricted to them), filtered,
    oldest first."""
    if queryset is None:
        queryset = visible_referrals(user)
    if filters.status == QUEUE:
        queryset = queryset.filter(in_queue())
    elif filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.agency:
        queryset = queryset.filter(referring_agency_id=filters.agency)
    if filters.stream:
        queryset = queryset.filter(stream=filters.stream)
    return queryset.select_related(
        "nominal", "referring_agency", "referred_by", "proposed_lead_agency"
    ).order_by("created_at", "id")


def referral_detail(user, pk: int) -> Referral:
    queryset = (
        visible_referrals(user)
        .select_related(
            "nominal", "referring_agency", "referred_by", "proposed_lead_agency", "membership"
        )
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=PanelDecision.objects.select_related(
                    "meeting", "decided_by", "lead_agency", "proposed_lead_agency"
                ),
            )
        )
    )
    return get_object_or_404(queryset, pk=pk)


def panel_meetings() -> QuerySet[PanelMeeting]:
    return (
        PanelMeeting.objects.select_related("chair")
        .annotate(decision_count=Count("decisions"))
        .order_by("-held_on", "-id")
    )


def panel_meeting(pk: int) -> PanelMeeting:
    return get_object_or_404(
        PanelMeeting.objects.select_related("chair").prefetch_related("attending_agencies"),
        pk=pk,
    )


# "Offending in the last 12 months" on the panel's agenda.
RECENT_DAYS = 365


def _count(model, since: datetime.date, date_field: str) -> Coalesce:
    rows = (
        model.objects.filter(nominal=OuterRef("pk"), **{f"{date_field}__gte": since})
        .order_by()
        .values("nominal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def agenda_people(today: datetime.date | None = None) -> QuerySet[Nominal]:
    """People as the panel's agenda shows them: their band (an override in force wins) and
    score, their latest OGRS3, and the offences detected and arrests in the last 12 months.
    A fixed number of subqueries (see ``risk_queries.with_risk`` and ``with_ogrs3``)."""
    since = (today or timezone.localdate()) - datetime.timedelta(days=RECENT_DAYS)
    people = ogrs3_queries.with_ogrs3(risk_queries.with_risk(Nominal.objects.all()))
    return people.annotate(
        offences_last_year=_count(DetectedOffence, since, "committed_on"),
        arrests_last_year=_count(Arrest, since, "arrested_on"),
    )


def panel_queue(user, meeting: PanelMeeting) -> QuerySet[Referral]:
    """The referrals the meeting is to decide, its agenda: the queue as of the meeting's
    date, each person with their band, score, OGRS3 and recent offending (two queries
    whatever the length of the queue)."""
    return (
        visible_referrals(user)
        .filter(in_queue(max(meeting.held_on, timezone.localdate())))
        .select_related("referring_agency", "referred_by", "proposed_lead_agency")
        .prefetch_related(Prefetch("nominal", queryset=agenda_people()))
        .order_by("created_at", "id")
    )


def decisions_of(meeting: PanelMeeting) -> QuerySet[PanelDecision]:
    return meeting.decisions.select_related(
        "referral__nominal",
        "referral__referring_agency",
        "decided_by",
        "lead_agency",
        "proposed_lead_agency",
    ).order_by("decided_at", "id")


def actions_of(meeting: PanelMeeting) -> QuerySet[Task]:
    """The tasks the meeting agreed: for the meeting itself and for its decisions (the
    panel's pages are the IOM unit's, who see every task)."""
    meeting_type = ContentType.objects.get_for_model(PanelMeeting)
    decision_type = ContentType.objects.get_for_model(PanelDecision)
    return (
        Task.objects.filter(kind=TaskKind.PANEL_ACTION)
        .filter(
            Q(source_type=meeting_type, source_id=meeting.pk)
            | Q(source_type=decision_type, source_id__in=meeting.decisions.values("pk"))
        )
        .select_related("nominal", "assignee", "owner_team__agency", "owner_agency")
        .order_by("due_on", "id")
    )
