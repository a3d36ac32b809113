"""The control measures on a person's timeline: licences, breaches, sanctions, recalls,
drug tests and other measures. Registered from ``ControlsConfig.ready``; one query per kind
of record, each limited to what the timeline page needs."""

from __future__ import annotations

from django.urls import reverse

from cohorts.summary import TimelineEntry, TimelineSource, register
from iom import sharing
from iom.formatting import in_sentence, long_date

from . import queries
from .models import Breach, ControlMeasure, DrugTest, Licence, Recall, Sanction

KIND = "controls"


def timeline_entries(nominal, user, limit: int) -> list[TimelineEntry]:
    url = reverse("cohorts:controls", args=[nominal.pk])

    def of(model):
        return queries.visible(model, user).filter(nominal=nominal)

    entries = [
        TimelineEntry(
            kind=KIND,
            at=licence.release_date,
            title="Released on licence",
            description=f"Licence until {long_date(licence.licence_expiry_date)}"
            + (f": {licence.offence}" if licence.offence else ""),
            url=url,
        )
        for licence in of(Licence).order_by("-release_date", "-id")[:limit]
    ]
    entries += [
        TimelineEntry(
            kind=KIND,
            at=breach.occurred_on,
            title="Breach of licence",
            byline=f"by {breach.recorded_by}",
            description=breach.evidence,
            url=url,
        )
        for breach in of(Breach)
        .select_related("recorded_by")
        .order_by("-occurred_on", "-id")[:limit]
    ]
    entries += [
        TimelineEntry(
            kind=KIND,
            at=sanction.issued_on,
            title=sanction.get_level_display(),
            byline=f"by {sanction.issued_by}",
            description=sanction.notes,
            url=url,
        )
        for sanction in of(Sanction)
        .select_related("issued_by")
        .order_by("-issued_on", "-id")[:limit]
    ]
    entries += [
        TimelineEntry(
            kind=KIND,
            at=recall.started_at,
            title=f"Recall started ({in_sentence(recall.get_status_display())})",
            description=recall.reason,
            url=reverse("cohorts:controls-recall", args=[nominal.pk, recall.pk]),
        )
        for recall in of(Recall).order_by("-started_at", "-id")[:limit]
    ]
    entries += [
        TimelineEntry(
            kind=KIND,
            at=test.tested_on,
            title=f"Drug test: {in_sentence(test.get_outcome_display())}",
            description=test.class_a_substances,
            url=url,
        )
        for test in of(DrugTest).order_by("-tested_on", "-id")[:limit]
    ]
    entries += [
        TimelineEntry(
            kind=KIND,
            at=measure.starts_on,
            title=measure.get_kind_display(),
            description=measure.details,
            url=url,
        )
        for measure in of(ControlMeasure).order_by("-starts_on", "-id")[:limit]
    ]
    return entries


def register_sources() -> None:
    register(
        TimelineSource(
            key=KIND,
            label="Control measures",
            entries=timeline_entries,
            section=sharing.CONTROLS,
            order=50,
        )
    )
