"""What contacts add to a person's Summary: timeline entries, and the attendance behind the
engagement status. Registered from ``ContactsConfig.ready``."""

from __future__ import annotations

from django.urls import reverse

from cohorts.summary import (
    EngagementEvidence,
    TimelineEntry,
    TimelineSource,
    register_engagement_evidence,
)
from cohorts.summary import register as register_source
from iom import sharing
from iom.formatting import in_sentence

from . import queries

KIND = "contacts"


def _title(contact) -> str:
    kind = contact.get_kind_display()
    if not contact.is_recorded:
        return f"{kind} booked" if contact.happened_at is None else kind
    if contact.attendance == "did-not-attend":
        return f"{kind}: did not attend ({in_sentence(contact.get_absence_display())})"
    return f"{kind}: {in_sentence(contact.get_attendance_display())}"


def timeline_entries(nominal, user, limit: int) -> list[TimelineEntry]:
    contacts = queries.newest_first(
        queries.visible(user).filter(nominal=nominal).select_related("recorded_by")
    )[:limit]
    return [
        TimelineEntry(
            kind=KIND,
            at=contact.at,
            title=_title(contact),
            byline=f"by {contact.recorded_by}",
            description=" ".join(part for part in (contact.outcome, contact.note) if part),
            url=reverse("cohorts:contact", args=[nominal.pk, contact.pk]),
        )
        for contact in contacts
    ]


def describe_attendance(nominal, user) -> str:
    return str(queries.attendance_of(nominal, user))


def register() -> None:
    register_source(
        TimelineSource(
            key=KIND,
            label="Contacts",
            entries=timeline_entries,
            section=sharing.CONTACTS,
            order=30,
        )
    )
    register_engagement_evidence(
        EngagementEvidence(key=KIND, describe=describe_attendance, section=sharing.CONTACTS)
    )
