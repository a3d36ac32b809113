"""The control measures on a person's timeline: licences, breaches, sanctions, recalls,
drug tests and other measures. Registered from ``ControlsConfig.ready``; one query for every
kind of record, limited to what the timeline page needs."""

from __future__ import annotations

from django.urls import reverse

from cohorts.summary import (
    RecordKind,
    TimelineEntry,
    TimelineSource,
    display,
    newest_records,
    person_name,
    register,
)
from iom import sharing
from iom.formatting import in_sentence, long_date

from . import queries
from .models import Breach, ControlMeasure, DrugTest, Licence, Recall, Sanction

KIND = "controls"


_BY = {"by_first": "{}__first_name", "by_last": "{}__last_name", "by_username": "{}__username"}


def _recorder(relation: str) -> dict[str, str]:
    """The fields that name the user of ``relation`` (as ``str(user)`` does)."""
    return {name: path.format(relation) for name, path in _BY.items()}


def _by(row: dict) -> str:
    return f"by {person_name(row['by_first'], row['by_last'], row['by_username'])}"


def timeline_entries(nominal, user, limit: int) -> list[TimelineEntry]:
    """Licences, breaches, sanctions, recalls, drug tests and other measures: one query."""
    url = reverse("cohorts:controls", args=[nominal.pk])

    def of(model):
        return queries.visible(model, user).filter(nominal=nominal)

    kinds = [
        RecordKind(
            of(Licence),
            "release_date",
            {"expiry": "licence_expiry_date", "offence": "offence"},
            lambda row: TimelineEntry(
                kind=KIND,
                at=row["at"],
                title="Released on licence",
                description=f"Licence until {long_date(row['expiry'])}"
                + (f": {row['offence']}" if row["offence"] else ""),
                url=url,
            ),
        ),
        RecordKind(
            of(Breach),
            "occurred_on",
            {"evidence": "evidence", **_recorder("recorded_by")},
            lambda row: TimelineEntry(
                kind=KIND,
                at=row["at"],
                title="Breach of licence",
                byline=_by(row),
                description=row["evidence"],
                url=url,
            ),
        ),
        RecordKind(
            of(Sanction),
            "issued_on",
            {"level": "level", "notes": "notes", **_recorder("issued_by")},
            lambda row: TimelineEntry(
                kind=KIND,
                at=row["at"],
                title=display(Sanction, "level", row["level"]),
                byline=_by(row),
                description=row["notes"],
                url=url,
            ),
        ),
        RecordKind(
            of(Recall),
            "started_at",
            {"status": "status", "reason": "reason"},
            lambda row: TimelineEntry(
                kind=KIND,
                at=row["at"],
                title=f"Recall started ({in_sentence(display(Recall, 'status', row['status']))})",
                description=row["reason"],
                url=reverse("cohorts:controls-recall", args=[nominal.pk, row["pk"]]),
            ),
        ),
        RecordKind(
            of(DrugTest),
            "tested_on",
            {"outcome": "outcome", "substances": "class_a_substances"},
            lambda row: TimelineEntry(
                kind=KIND,
                at=row["at"],
                title=f"Drug test: {in_sentence(display(DrugTest, 'outcome', row['outcome']))}",
                description=row["substances"],
                url=url,
            ),
        ),
        RecordKind(
            of(ControlMeasure),
            "starts_on",
            {"measure": "kind", "details": "details"},
            lambda row: TimelineEntry(
                kind=KIND,
                at=row["at"],
                title=display(ControlMeasure, "kind", row["measure"]),
                description=row["details"],
                url=url,
            ),
        ),
    ]
    return newest_records(kinds, limit)


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
