"""Offending and intelligence on a person's timeline (the records of ``cohorts.risk``).

Registered from ``ReportsConfig.ready``: ``reports`` may read every app below it. Arrests
need the agreement to cover arrests; intelligence is what ``shared_intelligence`` lets the
user read (never an informant's report to a partner). One query per kind of record.
"""

from __future__ import annotations

from django.urls import reverse

from cohorts.risk.models import Arrest, DetectedOffence, IntelligenceReport
from cohorts.risk.queries import shared_intelligence
from cohorts.summary import TimelineEntry, TimelineSource, register
from iom import sharing
from iom.access import restrict_by_nominal
from iom.formatting import in_sentence

OFFENDING = "offending"
INTELLIGENCE = "intelligence"


def offending_entries(nominal, user, limit: int) -> list[TimelineEntry]:
    url = reverse("cohorts:offending", args=[nominal.pk])
    detections = restrict_by_nominal(
        DetectedOffence.objects.filter(nominal=nominal), user, section=sharing.OFFENDING
    ).select_related("offence_type")
    entries = [
        TimelineEntry(
            kind=OFFENDING,
            at=offence.committed_on,
            title=f"{offence.offence_type}: {in_sentence(offence.get_outcome_display())}",
            description=offence.location,
            url=url,
        )
        for offence in detections.order_by("-committed_on", "-id")[:limit]
    ]
    arrests = restrict_by_nominal(
        Arrest.objects.filter(nominal=nominal), user, section=sharing.ARRESTS
    ).select_related("offence_type")
    entries += [
        TimelineEntry(
            kind=OFFENDING,
            at=arrest.arrested_on,
            title=f"Arrested: {arrest.offence_type}",
            description=arrest.get_grounds_display(),
            url=url,
        )
        for arrest in arrests.order_by("-arrested_on", "-id")[:limit]
    ]
    return entries


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
