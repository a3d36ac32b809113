"""Reading the rows of an offending feed into the fields of arrests, detected offences and
intelligence, and checking them against the same rules as the pages and the API
(``recording.rules``): every error with its line and column.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from cohorts.identifiers import normalise_identifier
from cohorts.models import Nominal

from . import grading
from .models import Arrest, DetectedOffence, IntelligenceReport, OffenceType
from .recording import rules
from .recording.writing import LOOKUP_CHUNK

MODELS = {"detection": DetectedOffence, "arrest": Arrest, "intelligence": IntelligenceReport}
# The column of the file each field of the rules (recording.rules.check_*) comes from.
COLUMN_OF = {
    "arrested_on": "date",
    "committed_on": "date",
    "reported_on": "date",
    "offence_type_id": "offence_code",
    "scene_easting": "easting",
    "scene_northing": "northing",
    "source_evaluation": "grading",
    "intelligence_assessment": "grading",
}
FEED_GRADINGS = (grading.THREE, grading.FIVE, "")


@dataclass(frozen=True)
class Row:
    model: type
    key: tuple[str, str]
    fields: dict


def _date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value.strip())


def _chunks(values: list, size: int = LOOKUP_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _nominals_by_identifier(records: list[dict]) -> tuple[dict, dict]:
    pncs = sorted(filter(None, {normalise_identifier(r.get("pnc_id")) for r in records}))
    crns = sorted(filter(None, {normalise_identifier(r.get("crn")) for r in records}))
    by_pnc: dict[str | None, int] = {}
    by_crn: dict[str | None, int] = {}
    for chunk in _chunks(pncs):
        by_pnc.update(Nominal.objects.filter(pnc_id__in=chunk).values_list("pnc_id", "pk"))
    for chunk in _chunks(crns):
        by_crn.update(Nominal.objects.filter(crn__in=chunk).values_list("crn", "pk"))
    return by_pnc, by_crn


class RowChecker:
    """Reads rows one by one into the fields of a record, then applies the record's rules
    (``recording.rules``, the same as the pages and the API), collecting errors by line
    and column and the rows to write."""

    def __init__(self, source: str, records: list[dict]):
        self.source = source
        self.today = timezone.localdate()
        self.offence_types = dict(OffenceType.objects.values_list("code", "pk"))
        self.by_pnc, self.by_crn = _nominals_by_identifier(records)
        self.seen: dict[tuple[str, str], int] = {}
        self.errors: list[dict] = []
        self.rows: list[Row] = []
        self.unread: set[str] = set()  # columns of this line already reported

    def error(self, line: int, column: str, message: str) -> None:
        self.errors.append({"line": line, "column": column, "message": message})

    def unreadable(self, line: int, column: str, message: str) -> None:
        self.unread.add(column)
        self.error(line, column, message)

    def text(self, record: dict, column: str) -> str:
        return (record.get(column) or "").strip()

    def date(self, line: int, record: dict, column: str):
        text = self.text(record, column)
        if not text:
            return None
        try:
            return _date(text)
        except ValueError:
            self.unreadable(line, column, f"{text!r} is not a date: use YYYY-MM-DD.")
            return None

    def nominal(self, line: int, record: dict) -> int | None:
        pnc = normalise_identifier(record.get("pnc_id"))
        crn = normalise_identifier(record.get("crn"))
        if not pnc and not crn:
            self.error(line, "pnc_id", "Give the person's PNC ID or CRN.")
            return None
        found = {self.by_pnc.get(pnc) if pnc else None, self.by_crn.get(crn) if crn else None}
        found.discard(None)
        if not found:
            column, value = ("pnc_id", pnc) if pnc else ("crn", crn)
            self.error(line, column, f"No person with {column.upper()} {value} is recorded.")
            return None
        if len(found) > 1:
            self.error(line, "crn", "The PNC ID and the CRN belong to different people.")
            return None
        return found.pop()

    def offence(self, line: int, record: dict) -> int | None:
        code = self.text(record, "offence_code").upper()
        if code and code not in self.offence_types:
            self.unreadable(line, "offence_code", f"{code!r} is not a known offence code.")
            return None
        return self.offence_types.get(code) if code else None

    def reference(self, line: int, kind: str, ref: str) -> None:
        if not ref:
            self.error(line, "external_ref", "Enter the record's reference.")
        elif problem := rules.check_text(ref, length=60):
            self.error(line, "external_ref", problem)
        elif (kind, ref) in self.seen:
            self.error(line, "external_ref", f"Repeats line {self.seen[(kind, ref)]}.")
        else:
            self.seen[(kind, ref)] = line

    def check(self, line: int, record: dict) -> None:
        kind = self.text(record, "record_type").lower()
        ref = self.text(record, "external_ref")
        if kind not in MODELS:
            self.error(line, "record_type", "Must be detection, arrest or intelligence.")
            return
        self.unread = set()
        self.reference(line, kind, ref)
        nominal_id = self.nominal(line, record)
        day = self.date(line, record, "date")
        values: dict[str, Any] = {"location": self.text(record, "location")}
        values["offence_type_id"] = self.offence(line, record)
        if kind == "detection":
            values.update(
                committed_on=day,
                outcome=self.text(record, "outcome").lower(),
                sanction=self.text(record, "sanction").lower(),
                sanction_date=self.date(line, record, "sanction_date"),
                scene_easting=self.whole_metres(line, record, "easting"),
                scene_northing=self.whole_metres(line, record, "northing"),
            )
            options: dict[str, Any] = {}
        elif kind == "arrest":
            values.update(arrested_on=day, grounds=self.text(record, "grounds").lower())
            options = {}
        else:
            values.update(
                reported_on=day,
                intelligence_source=self.text(record, "intelligence_source").lower(),
                summary=self.text(record, "summary"),
                **self.grading(line, record),
            )
            options = {"systems": FEED_GRADINGS}
        model = MODELS[kind]
        values = rules.normalise(model, values)
        for name, message in rules.check(model, values, today=self.today, **options).items():
            column = COLUMN_OF.get(name, name)
            if column == "grading_system" and "grading_system" not in record:
                column = "grading"
            if column not in self.unread:
                self.unread.add(column)
                self.error(line, column, message)
        self.rows.append(Row(model, (self.source, ref), {**values, "nominal_id": nominal_id}))

    def whole_metres(self, line: int, record: dict, column: str) -> int | None:
        text = self.text(record, column)
        if not text:
            return None
        if not text.isdigit():
            self.unreadable(line, column, "Use whole metres, e.g. 458300.")
            return None
        return int(text)

    def grading(self, line: int, record: dict) -> dict:
        """The grading's fields from the ``grading`` text (B2P, A14, B2) and the optional
        ``grading_system`` and ``handling_code`` columns."""
        text = self.text(record, "grading")
        system = self.text(record, "grading_system").lower()
        code = self.text(record, "handling_code").upper()
        fields = {
            "handling_code": code,
            "handling_conditions": self.text(record, "handling_conditions"),
            "grading_system": system,
            "source_evaluation": "",
            "intelligence_assessment": None,
        }
        if not text:
            return fields
        read = grading.read(text)
        if read is None:
            message = f"{text!r} is not a grading: write it as B2P (3x5x2) or A14 (5x5x5)."
            self.unreadable(line, "grading", message)
            self.unread.add("grading_system")
            return {**fields, "grading_system": ""}
        letter, digit, written_code = read
        if written_code and code and written_code != code:
            self.unreadable(
                line, "handling_code", f"The grading says {written_code}, this column {code}."
            )
        code = written_code or code
        return {
            **fields,
            "handling_code": code,
            "grading_system": system or grading.system_for(code),
            "source_evaluation": letter,
            "intelligence_assessment": digit,
        }
