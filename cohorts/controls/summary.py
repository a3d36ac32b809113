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


def _entry(row: dict, url: str, **fields) -> TimelineEntry:
    return TimelineEntry(kind=KIND, at=row["at"], url=url, **fields)


def _licences(records, nominal, url: str) -> RecordKind:
    def entry(row: dict) -> TimelineEntry:
        offence = f": {row['offence']}" if row["offence"] else ""
        description = f"Licence until {long_date(row['expiry'])}{offence}"
        return _entry(row, url, title="Released on licence", description=description)

    return RecordKind(
        records, "release_date", {"expiry": "licence_expiry_date", "offence": "offence"}, entry
    )


def _breaches(records, nominal, url: str) -> RecordKind:
    def entry(row: dict) -> TimelineEntry:
        return _entry(
            row, url, title="Breach of licence", byline=_by(row), description=row["evidence"]
        )

    return RecordKind(
        records, "occurred_on", {"evidence": "evidence", **_recorder("recorded_by")}, entry
    )


def _sanctions(records, nominal, url: str) -> RecordKind:
    def entry(row: dict) -> TimelineEntry:
        title = display(Sanction, "level", row["level"])
        return _entry(row, url, title=title, byline=_by(row), description=row["notes"])

    fields = {"level": "level", "notes": "notes", **_recorder("issued_by")}
    return RecordKind(records, "issued_on", fields, entry)


def _recalls(records, nominal, url: str) -> RecordKind:
    def entry(row: dict) -> TimelineEntry:
        status = in_sentence(display(Recall, "status", row["status"]))
        recall_url = reverse("cohorts:controls-recall", args=[nominal.pk, row["pk"]])
        return _entry(
            row, recall_url, title=f"Recall started ({status})", description=row["reason"]
        )

    return RecordKind(records, "started_at", {"status": "status", "reason": "reason"}, entry)


def _drug_tests(records, nominal, url: str) -> RecordKind:
    def entry(row: dict) -> TimelineEntry:
        outcome = in_sentence(display(DrugTest, "outcome", row["outcome"]))
        return _entry(row, url, title=f"Drug test: {outcome}", description=row["substances"])

    fields = {"outcome": "outcome", "substances": "class_a_substances"}
    return RecordKind(records, "tested_on", fields, entry)


def _measures(records, nominal, url: str) -> RecordKind:
    def entry(row: dict) -> TimelineEntry:
        title = display(ControlMeasure, "kind", row["measure"])
        return _entry(row, url, title=title, description=row["details"])

    return RecordKind(records, "starts_on", {"measure": "kind", "details": "details"}, entry)


# Each kind of record on the timeline and how it is shown, in the order of the union.
_KINDS = (
    (Licence, _licences),
    (Breach, _breaches),
    (Sanction, _sanctions),
    (Recall, _recalls),
    (DrugTest, _drug_tests),
    (ControlMeasure, _measures),
)


def timeline_kinds(nominal, user) -> list[RecordKind]:
    """Licences, breaches, sanctions, recalls, drug tests and other measures."""
    url = reverse("cohorts:controls", args=[nominal.pk])
    return [
        kind_of(queries.visible(model, user).filter(nominal=nominal), nominal, url)
        for model, kind_of in _KINDS
    ]


def register_sources() -> None:
    register(
        TimelineSource(
            key=KIND,
            label="Control measures",
            kinds=timeline_kinds,
            section=sharing.CONTROLS,
            order=50,
        )
    )
