"""Importing offending feeds (CSV) from police systems: detections, arrests and intelligence.

The whole file is checked first and every error is reported with its line and column; nothing
is written unless every row is valid, and then everything is written in one transaction. Rows
are matched on (source, external_ref): importing the same file again changes nothing, and a
corrected row updates the record it corrects. The columns are described in COLUMNS and in the
README.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cohorts.identifiers import normalise_identifier
from cohorts.models import Nominal
from iom import audit, jobs
from iom.models import AuditAction

from . import feed_file, grading, recording
from .jobs import IMPORTS
from .models import (
    Arrest,
    DetectedOffence,
    ImportJob,
    ImportStatus,
    IntelligenceReport,
    OffenceType,
)

COLUMNS = {
    "record_type": "detection, arrest or intelligence",
    "external_ref": "the record's reference in the source system (unique per source)",
    "pnc_id": "the person's PNC ID (or give crn)",
    "crn": "the person's probation case reference (or give pnc_id)",
    "date": "date of the offence, arrest or report, YYYY-MM-DD",
    "offence_code": "Home Office offence code (required for detections and arrests)",
    "outcome": "detections: charged, convicted or tic",
    "grounds": "arrests: evidence, suspicion or forensic",
    "intelligence_source": "intelligence: police, informant, partner or forensic",
    "grading": "intelligence: source, assessment and handling code, e.g. B2P (3x5x2) or A14 "
    "(5x5x5); optional",
    "grading_system": "intelligence: 3x5x2 or 5x5x5 (optional: P or C make it 3x5x2, "
    "otherwise 5x5x5)",
    "handling_code": "intelligence: P or C (3x5x2), 1 to 5 (5x5x5), when not in the grading",
    "handling_conditions": "intelligence: the conditions of sharing, required with code C",
    "summary": "intelligence: what the report says, sanitised (optional)",
    "location": "where it happened (optional)",
    "sanction": "detections: conviction or caution, when there was one (optional)",
    "sanction_date": "date of the conviction or caution, YYYY-MM-DD (with sanction)",
    "easting": "detections: the scene's British National Grid easting in metres (optional)",
    "northing": "detections: the scene's British National Grid northing in metres (optional)",
}
REQUIRED_COLUMNS = ("record_type", "external_ref", "date")
FORMULA_PREFIXES = recording.FORMULA_PREFIXES
# How often (in rows) the job's progress is saved while a file is checked.
PROGRESS_EVERY = 1000
LOOKUP_CHUNK = recording.LOOKUP_CHUNK
MODELS = {"detection": DetectedOffence, "arrest": Arrest, "intelligence": IntelligenceReport}
# The column of the file each field of the rules (recording.check_*) comes from.
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


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Row:
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


class _Checker:
    """Reads rows one by one into the fields of a record, then applies the record's rules
    (``recording.check_*``, the same as the pages and the API), collecting errors by line
    and column and the rows to write."""

    def __init__(self, source: str, records: list[dict]):
        self.source = source
        self.today = timezone.localdate()
        self.offence_types = dict(OffenceType.objects.values_list("code", "pk"))
        self.by_pnc, self.by_crn = _nominals_by_identifier(records)
        self.seen: dict[tuple[str, str], int] = {}
        self.errors: list[dict] = []
        self.rows: list[_Row] = []
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
        elif problem := recording.check_text(ref, length=60):
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
        values = recording._normalise(model, values)
        for name, message in recording.check(model, values, today=self.today, **options).items():
            column = COLUMN_OF.get(name, name)
            if column == "grading_system" and "grading_system" not in record:
                column = "grading"
            if column not in self.unread:
                self.unread.add(column)
                self.error(line, column, message)
        self.rows.append(_Row(model, (self.source, ref), {**values, "nominal_id": nominal_id}))

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


def parse(content: str) -> tuple[list[dict], list[dict]]:
    """(records with their line numbers, errors of the file's text and structure)."""
    if not content.strip("\ufeff \r\n"):
        return [], [{"line": 1, "column": "", "message": feed_file.EMPTY_FILE}]
    errors = feed_file.nul_errors(content)
    if errors:
        return [], errors
    header = feed_file.read_header(content)
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name and name not in COLUMNS]
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    errors = [
        {"line": 1, "column": name, "message": message}
        for names, message in (
            (missing, "This column is missing."),
            (unknown, "Not a known column."),
            (repeated, "This column appears twice."),
        )
        for name in names
    ]
    if "pnc_id" not in header and "crn" not in header:
        errors.append({"line": 1, "column": "pnc_id", "message": "Give a pnc_id or crn column."})
    if errors:
        return [], errors
    records = []
    for line, record in feed_file.rows(content, header, errors):
        record["_line"] = line
        records.append(record)
    return records, errors


def validate(content: str, *, source: str, progress=None) -> tuple[ImportResult, list[_Row]]:
    """Check every row; ``progress(processed, total)`` is called as it goes."""
    records, errors = parse(content)
    result = ImportResult(total=len(records), errors=errors)
    if any(error["line"] == 1 for error in errors):
        return result, []
    checker = _Checker(source, records)
    for count, record in enumerate(records, start=1):
        checker.check(record["_line"], record)
        if progress and count % PROGRESS_EVERY == 0:
            progress(count, len(records))
    result.errors = sorted(errors + checker.errors, key=lambda error: error["line"])
    return result, checker.rows


def write(rows: list[_Row], result: ImportResult, actor) -> None:
    """Create new rows, correct changed ones, leave equal ones: through the same writer as
    the pages (``recording.write_rows``). Call inside a transaction."""
    touched: set[int] = set()
    for model in (DetectedOffence, Arrest, IntelligenceReport):
        mine = [(row.key, row.fields) for row in rows if row.model is model]
        if not mine:
            continue
        written, changed = recording.write_rows(model, mine, actor, each_collected=False)
        touched.update(row.nominal_id for row in changed)
        result.created += written.created
        result.updated += written.updated
        result.unchanged += written.unchanged
    recording.collection_events(actor, touched, "Offending history imported from a feed")


def import_file(content: str, *, source: str, by, progress=None) -> ImportResult:
    """Check the file, then (only if every row is valid) write it in one transaction."""
    actor = audit.as_actor(by)
    result, rows = validate(content, source=source, progress=progress)
    if not result.is_valid:
        return result
    with transaction.atomic():
        write(rows, result, actor)
    return result


# --- Jobs: uploads from the page, with progress --------------------------------------------


def can_import(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_iom_manager)


def create_job(*, by, file_name: str, content: str, source: str) -> ImportJob:
    """Store an uploaded file as a job and send its task once committed (when the broker
    cannot take it, the job stays queued and the sweeper sends it later)."""
    actor = audit.as_actor(by)
    if not can_import(actor.user):
        raise PermissionDenied("Only managers can import offending feeds.")
    with transaction.atomic():
        job = ImportJob.objects.create(
            source=source, file_name=file_name[:255], content=content, uploaded_by=actor.user
        )
        audit.record(actor, AuditAction.COLLECTION, job, description=f"Uploaded {file_name}")
    jobs.publish_on_commit(IMPORTS, job)
    return job


def run_import(job_id: int, *, task_id: str = "", in_worker: bool = False) -> ImportJob:
    """Carry out a job under a lease (iom/jobs.py): progress is saved as rows are checked, the
    outcome at the end. A job finished, or running under another worker's live lease, is left
    alone; a failure is recorded on the job (then raised again)."""
    lease = jobs.claim(IMPORTS, job_id, task_id=task_id, heartbeat=in_worker)
    if lease is None:
        return ImportJob.objects.get(pk=job_id)
    job = lease.job

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=total)

    actor = audit.as_actor(job.uploaded_by)
    with lease:
        try:
            result, rows = validate(job.content, source=job.source, progress=progress)
            ImportJob.objects.filter(pk=job.pk).update(
                total_rows=result.total, processed_rows=result.total
            )
            if result.is_valid:
                ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.WRITING)
                with transaction.atomic():
                    write(rows, result, actor)
                    if not _finish(lease, ImportStatus.SUCCEEDED, result):
                        raise RuntimeError("The import was stopped: its worker stopped responding.")
            else:
                _finish(lease, ImportStatus.REJECTED, result)
        except Exception as error:
            lease.fail(f"{type(error).__name__}: {error}")
            raise
    job.refresh_from_db()
    return job


def _finish(lease, status: str, result: ImportResult) -> bool:
    return lease.finish(
        status=status,
        created_rows=result.created,
        updated_rows=result.updated,
        unchanged_rows=result.unchanged,
        errors=result.errors,
        finished_at=timezone.now(),
    )
