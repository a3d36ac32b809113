"""Importing offending feeds (CSV) from police systems: detections, arrests and intelligence.

The whole file is checked first and every error is reported with its line and column; nothing
is written unless every row is valid, and then everything is written in one transaction. Rows
are matched on (source, external_ref): importing the same file again changes nothing, and a
corrected row updates the record it corrects. The columns are described in COLUMNS and in the
README.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from iom import audit, jobs
from iom.models import AuditAction

from . import feed_file
from .feed_rows import Row, RowChecker
from .jobs import IMPORTS
from .models import Arrest, DetectedOffence, ImportJob, ImportStatus, IntelligenceReport
from .recording.writing import collection_events, write_rows

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
# How often (in rows) the job's progress is saved while a file is checked.
PROGRESS_EVERY = 1000


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


def validate(content: str, *, source: str, progress=None) -> tuple[ImportResult, list[Row]]:
    """Check every row; ``progress(processed, total)`` is called as it goes."""
    records, errors = parse(content)
    result = ImportResult(total=len(records), errors=errors)
    if any(error["line"] == 1 for error in errors):
        return result, []
    checker = RowChecker(source, records)
    for count, record in enumerate(records, start=1):
        checker.check(record["_line"], record)
        if progress and count % PROGRESS_EVERY == 0:
            progress(count, len(records))
    result.errors = sorted(errors + checker.errors, key=lambda error: error["line"])
    return result, checker.rows


def write(rows: list[Row], result: ImportResult, actor) -> None:
    """Create new rows, correct changed ones, leave equal ones: through the same writer as
    the pages (``recording.writing.write_rows``). Call inside a transaction."""
    touched: set[int] = set()
    for model in (DetectedOffence, Arrest, IntelligenceReport):
        mine = [(row.key, row.fields) for row in rows if row.model is model]
        if not mine:
            continue
        written, changed = write_rows(model, mine, actor, each_collected=False)
        touched.update(row.nominal_id for row in changed)
        result.created += written.created
        result.updated += written.updated
        result.unchanged += written.unchanged
    collection_events(actor, touched, "Offending history imported from a feed")


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
