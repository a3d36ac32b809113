"""Importing offending feeds (CSV) from police systems: detections, arrests and intelligence.

The whole file is checked first and every error is reported with its line and column; nothing
is written unless every row is valid, and then everything is written in one transaction. Rows
are matched on (source, external_ref): importing the same file again changes nothing, and a
corrected row updates the record it corrects. The columns are described in COLUMNS and in the
README.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cohorts.coordinates import validate_easting, validate_northing
from cohorts.identifiers import normalise_identifier
from cohorts.models import Nominal
from iom import audit, jobs
from iom.models import AuditAction, AuditEvent

from . import feed_file
from .jobs import IMPORTS
from .models import (
    Arrest,
    ArrestGrounds,
    DetectedOffence,
    DetectionOutcome,
    ImportJob,
    ImportStatus,
    IntelligenceReport,
    IntelligenceSource,
    OffenceType,
    SanctionKind,
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
    "grading": "intelligence grading, e.g. 1A (optional)",
    "location": "where it happened (optional)",
    "sanction": "detections: conviction or caution, when there was one (optional)",
    "sanction_date": "date of the conviction or caution, YYYY-MM-DD (with sanction)",
    "easting": "detections: the scene's British National Grid easting in metres (optional)",
    "northing": "detections: the scene's British National Grid northing in metres (optional)",
}
REQUIRED_COLUMNS = ("record_type", "external_ref", "date")
GRADING = re.compile(r"^[A-Z0-9]{1,6}$")
# A text value starting with one of these is a formula to a spreadsheet that opens a list of
# the records (an export, a report): such a value is refused rather than stored.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# How often (in rows) the job's progress is saved while a file is checked.
PROGRESS_EVERY = 1000
LOOKUP_CHUNK = 2000


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


def _formula_message(value: str) -> str:
    return f"Starts with {value[0]!r}, which a spreadsheet would run as a formula."


def _chunks(values: list, size: int = LOOKUP_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _nominals_by_identifier(records: list[dict]) -> tuple[dict, dict]:
    pncs = sorted({normalise_identifier(r.get("pnc_id")) for r in records} - {None, ""})
    crns = sorted({normalise_identifier(r.get("crn")) for r in records} - {None, ""})
    by_pnc: dict[str, int] = {}
    by_crn: dict[str, int] = {}
    for chunk in _chunks(pncs):
        by_pnc.update(Nominal.objects.filter(pnc_id__in=chunk).values_list("pnc_id", "pk"))
    for chunk in _chunks(crns):
        by_crn.update(Nominal.objects.filter(crn__in=chunk).values_list("crn", "pk"))
    return by_pnc, by_crn


class _Checker:
    """Checks rows one by one, collecting errors and the rows to write."""

    def __init__(self, source: str, records: list[dict]):
        self.source = source
        self.today = timezone.localdate()
        self.offence_types = dict(OffenceType.objects.values_list("code", "pk"))
        self.by_pnc, self.by_crn = _nominals_by_identifier(records)
        self.seen: dict[tuple[str, str], int] = {}
        self.errors: list[dict] = []
        self.rows: list[_Row] = []

    def error(self, line: int, column: str, message: str) -> None:
        self.errors.append({"line": line, "column": column, "message": message})

    def date(self, line: int, record: dict, column: str, *, required: bool = True):
        text = (record.get(column) or "").strip()
        if not text:
            if required:
                self.error(line, column, "Enter a date as YYYY-MM-DD.")
            return None
        try:
            value = _date(text)
        except ValueError:
            self.error(line, column, f"{text!r} is not a date: use YYYY-MM-DD.")
            return None
        if value > self.today:
            self.error(line, column, f"{value:%d/%m/%Y} is in the future.")
            return None
        return value

    def choice(self, line: int, record: dict, column: str, choices) -> str:
        value = (record.get(column) or "").strip().lower()
        if value not in choices.values:
            allowed = ", ".join(choices.values)
            shown = f"{value!r} is not" if value else "Missing:"
            self.error(line, column, f"{shown} one of {allowed}.")
        return value

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

    def offence(self, line: int, record: dict, *, required: bool) -> int | None:
        code = (record.get("offence_code") or "").strip().upper()
        if not code:
            if required:
                self.error(line, "offence_code", "Enter the Home Office offence code.")
            return None
        if code not in self.offence_types:
            self.error(line, "offence_code", f"{code!r} is not a known offence code.")
            return None
        return self.offence_types[code]

    def check(self, line: int, record: dict) -> None:
        kind = (record.get("record_type") or "").strip().lower()
        ref = (record.get("external_ref") or "").strip()
        if kind not in ("detection", "arrest", "intelligence"):
            self.error(line, "record_type", "Must be detection, arrest or intelligence.")
            return
        if not ref:
            self.error(line, "external_ref", "Enter the record's reference.")
        elif ref.startswith(FORMULA_PREFIXES):
            self.error(line, "external_ref", _formula_message(ref))
        elif len(ref) > 60:
            self.error(line, "external_ref", "Must be 60 characters or fewer.")
        elif (kind, ref) in self.seen:
            self.error(line, "external_ref", f"Repeats line {self.seen[(kind, ref)]}.")
        else:
            self.seen[(kind, ref)] = line
        nominal_id = self.nominal(line, record)
        day = self.date(line, record, "date")
        location = (record.get("location") or "").strip()
        if len(location) > 200:
            self.error(line, "location", "Must be 200 characters or fewer.")
        elif location.startswith(FORMULA_PREFIXES):
            self.error(line, "location", _formula_message(location))
        fields = {"nominal_id": nominal_id, "location": location}
        if kind == "detection":
            fields.update(
                committed_on=day,
                offence_type_id=self.offence(line, record, required=True),
                outcome=self.choice(line, record, "outcome", DetectionOutcome),
                **self.sanction(line, record, day),
                **self.scene(line, record),
            )
            model = DetectedOffence
        elif kind == "arrest":
            fields.update(
                arrested_on=day,
                offence_type_id=self.offence(line, record, required=True),
                grounds=self.choice(line, record, "grounds", ArrestGrounds),
            )
            model = Arrest
        else:
            grading = (record.get("grading") or "").strip().upper()
            if grading and not GRADING.match(grading):
                self.error(line, "grading", "Use up to 6 letters and digits, e.g. 1A.")
            fields.update(
                reported_on=day,
                offence_type_id=self.offence(line, record, required=False),
                intelligence_source=self.choice(
                    line, record, "intelligence_source", IntelligenceSource
                ),
                grading=grading,
            )
            model = IntelligenceReport
        self.rows.append(_Row(model, (self.source, ref), fields))

    def scene(self, line: int, record: dict) -> dict:
        """The scene's grid reference: both or neither, whole metres inside Great Britain."""
        values = {}
        for column, validate in (("easting", validate_easting), ("northing", validate_northing)):
            text = (record.get(column) or "").strip()
            if not text:
                values[column] = None
            elif not text.isdigit():
                self.error(line, column, "Use whole metres, e.g. 458300.")
                values[column] = None
            else:
                values[column] = int(text)
                try:
                    validate(values[column])
                except ValidationError as error:
                    self.error(line, column, error.messages[0])
        if (values["easting"] is None) != (values["northing"] is None):
            missing = "northing" if values["northing"] is None else "easting"
            if not (record.get(missing) or "").strip():
                self.error(line, missing, "Give both the easting and the northing, or neither.")
        return {"scene_easting": values["easting"], "scene_northing": values["northing"]}

    def sanction(self, line: int, record: dict, day) -> dict:
        sanction = (record.get("sanction") or "").strip().lower()
        if not sanction:
            if (record.get("sanction_date") or "").strip():
                self.error(line, "sanction", "Say conviction or caution for the sanction date.")
            return {"sanction": "", "sanction_date": None}
        if sanction not in (SanctionKind.CONVICTION, SanctionKind.CAUTION):
            self.error(line, "sanction", f"{sanction!r} is not conviction or caution.")
        sanction_date = self.date(line, record, "sanction_date")
        if day and sanction_date and sanction_date < day:
            self.error(line, "sanction_date", "The sanction cannot be before the offence.")
        return {"sanction": sanction, "sanction_date": sanction_date}


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
    """Create new rows, update changed ones, leave equal ones. Call inside a transaction."""
    touched: set[int] = set()
    for model in (DetectedOffence, Arrest, IntelligenceReport):
        mine = [row for row in rows if row.model is model]
        if not mine:
            continue
        names = list(mine[0].fields)
        existing = {}
        by_source: dict[str, list[str]] = {}
        for row in mine:
            by_source.setdefault(row.key[0], []).append(row.key[1])
        for source, refs in by_source.items():
            for chunk in _chunks(refs):
                for obj in model.objects.filter(source=source, external_ref__in=chunk):
                    existing[(obj.source, obj.external_ref)] = obj
        to_create, to_update = [], []
        for row in mine:
            current = existing.get(row.key)
            if current is None:
                to_create.append(model(source=row.key[0], external_ref=row.key[1], **row.fields))
                touched.add(row.fields["nominal_id"])
            elif any(getattr(current, name) != value for name, value in row.fields.items()):
                for name, value in row.fields.items():
                    setattr(current, name, value)
                to_update.append(current)
                touched.add(row.fields["nominal_id"])
            else:
                result.unchanged += 1
        model.objects.bulk_create(to_create, batch_size=LOOKUP_CHUNK)
        model.objects.bulk_update(to_update, names, batch_size=LOOKUP_CHUNK)
        result.created += len(to_create)
        result.updated += len(to_update)
    _audit_collection(actor, sorted(touched))


def _audit_collection(actor, nominal_ids: list[int]) -> None:
    """One 'collection' event per person whose history the feed added to or changed."""
    user = actor.user if getattr(actor.user, "is_authenticated", False) else None
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                user=user,
                username=actor.username,
                agency_name=actor.agency_name,
                action=AuditAction.COLLECTION,
                nominal_id=nominal_id,
                object_type="cohorts.Nominal",
                object_id=str(nominal_id),
                description="Offending history imported from a feed",
                path=actor.path,
                ip_address=actor.ip_address,
            )
            for nominal_id in nominal_ids
        ],
        batch_size=500,
    )


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
