"""Offending and intelligence on a person's timeline (the records of ``cohorts.risk``).

Registered from ``ReportsConfig.ready``: ``reports`` may read every app below it. Arrests
need the agreement to cover arrests; intelligence is what ``shared_intelligence`` lets the
user read (never an informant's report to a partner). Both give their records as kinds, so
the timeline reads them, with the control measures, in one query.
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


def offending_kinds(nominal, user) -> list[RecordKind]:
    """Detected offences and arrests."""
    url = reverse("cohorts:offending", args=[nominal.pk])
    detections = restrict_by_nominal(
        DetectedOffence.objects.filter(nominal=nominal), user, section=sharing.OFFENDING
    )
    arrests = restrict_by_nominal(
        Arrest.objects.filter(nominal=nominal), user, section=sharing.ARRESTS
    )
    return [
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


def intelligence_kinds(nominal, user) -> list[RecordKind]:
    reports = shared_intelligence(
        restrict_by_nominal(
            IntelligenceReport.objects.filter(nominal=nominal), user, section=sharing.INTELLIGENCE
        ),
        user,
    )
    url = reverse("cohorts:offending", args=[nominal.pk])

    def entry(row: dict) -> TimelineEntry:
        source = display(IntelligenceReport, "intelligence_source", row["source"])
        about = f": {_offence_type(row)}" if row["offence_code"] else ""
        graded = row["grading"] and f"Graded {row['grading']}"
        return TimelineEntry(
            kind=INTELLIGENCE,
            at=row["at"],
            title=f"Intelligence ({in_sentence(source)}){about}",
            description=" ".join(part for part in (graded, row["location"]) if part),
            url=url,
        )

    fields = {**OFFENCE_TYPE, "source": "intelligence_source", "grading": "grading"}
    return [RecordKind(reports, "reported_on", {**fields, "location": "location"}, entry)]


def register_sources() -> None:
    register(
        TimelineSource(
            key=OFFENDING,
            label="Offending",
            kinds=offending_kinds,
            section=sharing.OFFENDING,
            order=10,
        )
    )
    register(
        TimelineSource(
            key=INTELLIGENCE,
            label="Intelligence",
            kinds=intelligence_kinds,
            section=sharing.INTELLIGENCE,
            order=20,
        )
    )
