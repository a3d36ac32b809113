"""The timeline entries ``cohorts`` itself records: joining and leaving the cohort, and
changes of engagement. Registered from ``CohortsConfig.ready``."""

from __future__ import annotations

from iom.formatting import in_sentence

from .models import CohortMembership, Engagement
from .summary import TimelineEntry, TimelineSource, register

MEMBERSHIP = "membership"


def _prefetched(nominal, name: str) -> bool:
    return name in getattr(nominal, "_prefetched_objects_cache", {})


def membership_entries(nominal, user, limit: int) -> list[TimelineEntry]:
    """Joining and leaving the cohort, and engagement: no query on the Summary, which has read
    them already with the person (``queries.nominal_summary``), in the same order."""
    entries = []
    if _prefetched(nominal, "memberships"):
        memberships = nominal.memberships.all()
    else:
        memberships = CohortMembership.objects.filter(nominal=nominal).select_related("lead_agency")
        memberships = memberships.order_by("-entered_on", "-id")
    for membership in memberships[:limit]:
        if membership.exited_on:
            details = f": {membership.exit_details}" if membership.exit_details else ""
            entries.append(
                TimelineEntry(
                    kind=MEMBERSHIP,
                    at=membership.exited_on,
                    title=f"Left the cohort ({in_sentence(membership.get_exit_reason_display())})",
                    description=f"{membership.get_stream_display()}{details}",
                )
            )
        entries.append(
            TimelineEntry(
                kind=MEMBERSHIP,
                at=membership.entered_on,
                title=f"Joined the cohort: {membership.get_stream_display()}",
                byline=f"Led by {membership.lead_agency}" if membership.lead_agency else "",
            )
        )
    if _prefetched(nominal, "engagements"):
        engagements = nominal.engagements.all()
    else:
        engagements = Engagement.objects.filter(nominal=nominal).select_related("recorded_by")
        engagements = engagements.order_by("-on", "-id")
    for engagement in engagements[:limit]:
        entries.append(
            TimelineEntry(
                kind=MEMBERSHIP,
                at=engagement.on,
                title=f"Engagement: {engagement.get_status_display()}",
                byline=f"by {engagement.recorded_by}",
                description=engagement.note,
            )
        )
    return entries


def register_sources() -> None:
    register(
        TimelineSource(
            key=MEMBERSHIP,
            label="Membership and engagement",
            entries=membership_entries,
            order=90,
        )
    )
