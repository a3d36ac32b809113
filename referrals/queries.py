"""Read paths for referrals and panels, filtered to what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from iom.access import restrict_by_nominal

from .models import PanelDecision, PanelMeeting, Referral, ReferralStatus

QUEUE = "queue"  # the filter value for "awaiting a panel now"


def visible_referrals(user) -> QuerySet[Referral]:
    """A referral is visible to whoever may see its person's record."""
    return restrict_by_nominal(Referral.objects.all(), user)


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


def referral_list(user, filters: ReferralFilters) -> QuerySet[Referral]:
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
                queryset=PanelDecision.objects.select_related("meeting", "decided_by"),
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


def panel_queue(user, meeting: PanelMeeting) -> QuerySet[Referral]:
    """The referrals the meeting is to decide: the queue as of the meeting's date."""
    return (
        visible_referrals(user)
        .filter(in_queue(max(meeting.held_on, timezone.localdate())))
        .select_related("nominal", "referring_agency", "referred_by", "proposed_lead_agency")
        .order_by("created_at", "id")
    )


def decisions_of(meeting: PanelMeeting) -> QuerySet[PanelDecision]:
    return meeting.decisions.select_related(
        "referral__nominal", "referral__referring_agency", "decided_by"
    ).order_by("decided_at", "id")
