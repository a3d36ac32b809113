"""The timeline entries ``cohorts`` itself records: joining and leaving the cohort, and
changes of engagement. Registered from ``CohortsConfig.ready``."""

from __future__ import annotations

from iom.formatting import in_sentence

from .models import CohortMembership, Engagement
from .summary import TimelineEntry, TimelineSource, register

MEMBERSHIP = "membership"


def membership_entries(nominal, user, limit: int) -> list[TimelineEntry]:
    entries = []
    memberships = CohortMembership.objects.filter(nominal=nominal).select_related("lead_agency")
    for membership in memberships.order_by("-entered_on", "-id")[:limit]:
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
    engagements = Engagement.objects.filter(nominal=nominal).select_related("recorded_by")
    for engagement in engagements.order_by("-on", "-id")[:limit]:
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
