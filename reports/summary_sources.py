"""Offending and intelligence on a person's timeline (the records of ``cohorts.risk``).

Registered from ``ReportsConfig.ready``: ``reports`` may read every app below it. Arrests
need the agreement to cover arrests; intelligence is what ``shared_intelligence`` lets the
user read (never an informant's report to a partner). One query for offences and arrests
together, one for intelligence.
"""

from __future__ import annotations

from django.urls import reverse

from cohorts.risk.models import Arrest, DetectedOffence, IntelligenceReport
from cohorts.risk.queries import shared_intelligence
from cohorts.summary import (
    RecordKind,
    TimelineEntry,
    TimelineSource,
    display,
    newest_records,
    register,
)
from iom import sharing
from iom.access import restrict_by_nominal
from iom.formatting import in_sentence

OFFENDING = "offending"
INTELLIGENCE = "intelligence"


# The fields that name an offence type as ``str(offence_type)`` does.
OFFENCE_TYPE = {"offence_name": "offence_type__name", "offence_code": "offence_type__code"}


def _offence_type(row: dict) -> str:
    return f"{row['offence_name']} ({row['offence_code']})"


def offending_entries(nominal, user, limit: int) -> list[TimelineEntry]:
    """Detected offences and arrests: one query."""
    url = reverse("cohorts:offending", args=[nominal.pk])
    detections = restrict_by_nominal(
        DetectedOffence.objects.filter(nominal=nominal), user, section=sharing.OFFENDING
    )
    arrests = restrict_by_nominal(
        Arrest.objects.filter(nominal=nominal), user, section=sharing.ARRESTS
    )
    kinds = [
        RecordKind(
            detections,
            "committed_on",
            {**OFFENCE_TYPE, "outcome": "outcome", "location": "location"},
            lambda row: TimelineEntry(
                kind=OFFENDING,
                at=row["at"],
                title=f"{_offence_type(row)}: "
                + in_sentence(display(DetectedOffence, "outcome", row["outcome"])),
                description=row["location"],
                url=url,
            ),
        ),
        RecordKind(
            arrests,
            "arrested_on",
            {**OFFENCE_TYPE, "grounds": "grounds"},
            lambda row: TimelineEntry(
                kind=OFFENDING,
                at=row["at"],
                title=f"Arrested: {_offence_type(row)}",
                description=display(Arrest, "grounds", row["grounds"]),
                url=url,
            ),
        ),
    ]
    return newest_records(kinds, limit)


def intelligence_entries(nominal, user, limit: int) -> list[TimelineEntry]:
    reports = shared_intelligence(
        restrict_by_nominal(
            IntelligenceReport.objects.filter(nominal=nominal), user, section=sharing.INTELLIGENCE
        ),
        user,
    ).select_related("offence_type")
    return [
        TimelineEntry(
            kind=INTELLIGENCE,
            at=report.reported_on,
            title=f"Intelligence ({in_sentence(report.get_intelligence_source_display())})"
            + (f": {report.offence_type}" if report.offence_type else ""),
            description=" ".join(
                part
                for part in (report.grading and f"Graded {report.grading}", report.location)
                if part
            ),
            url=reverse("cohorts:offending", args=[nominal.pk]),
        )
        for report in reports.order_by("-reported_on", "-id")[:limit]
    ]


def register_sources() -> None:
    register(
        TimelineSource(
            key=OFFENDING,
            label="Offending",
            entries=offending_entries,
            section=sharing.OFFENDING,
            order=10,
        )
    )
    register(
        TimelineSource(
            key=INTELLIGENCE,
            label="Intelligence",
            entries=intelligence_entries,
            section=sharing.INTELLIGENCE,
            order=20,
        )
    )
