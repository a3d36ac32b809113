"""The monthly cohort report: requesting it (or finding the stored one), building it in the
background and recording every download as a disclosure."""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from cohorts import dates
from cohorts.controls.models import Breach, DrugTest, Recall
from cohorts.models import CohortMembership, Engagement, Nominal
from cohorts.risk.models import CustodyPeriod, DetectedOffence, RiskAssessment
from iom import access, audit, jobs
from iom.models import AuditAction
from pathways.models import NeedAssessment, PathwayAction, PlanPathway

from . import exports, measures
from .jobs import COHORT_REPORTS
from .measures.periods import Period, last_month
from .models import CohortReport, ReportConfiguration, ReportStatus, ReportTrigger, UnitCost

logger = logging.getLogger(__name__)

FORMATS = {
    "pdf": "application/pdf",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# (model, its "last changed" field, a field whose sum moves when a row is edited in place)
FINGERPRINT_SOURCES = [
    (CohortMembership, "created_at", "version"),
    (Engagement, "recorded_at", None),
    (Nominal, "updated_at", "version"),
    (DetectedOffence, "created_at", None),
    (CustodyPeriod, "created_at", None),
    (RiskAssessment, "id", None),
    (NeedAssessment, "recorded_at", None),
    (PlanPathway, "updated_at", "version"),
    (PathwayAction, "updated_at", "version"),
    (Breach, "recorded_at", None),
    (Recall, "started_at", "version"),
    (DrugTest, "recorded_at", None),
    (UnitCost, "updated_at", None),
    (ReportConfiguration, "updated_at", None),
]


def may_read_reports(user) -> bool:
    """Reports are for managers: IOM officers and partner workers are refused."""
    return bool(user and user.is_authenticated and user.is_active and user.is_iom_manager)


def fingerprint() -> str:
    """A digest of the counts and the latest change of every table the report reads: while it
    is unchanged, a report already built for a period is still true."""
    parts = {}
    for model, changed, edited in FINGERPRINT_SOURCES:
        aggregates = {"n": Count("pk"), "changed": Max(changed)}
        if edited:
            aggregates["edited"] = Sum(edited)
        parts[model._meta.label] = model._default_manager.order_by().aggregate(**aggregates)
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _validate_period(start: datetime.date, end: datetime.date) -> None:
    errors = {}
    if start < dates.EARLIEST:
        errors["start"] = "The start of the period must be after 1900"
    elif start > end:
        errors["end"] = "The end of the period must be on or after its start"
    elif end > timezone.localdate():
        errors["end"] = "The period cannot end in the future"
    elif (end - start).days > 366 * 2:
        errors["end"] = "A report covers at most two years"
    if errors:
        raise ValidationError(errors)


def request_report(
    *,
    start: datetime.date,
    end: datetime.date,
    by,
    with_annex: bool = False,
    trigger: str = ReportTrigger.ON_REQUEST,
) -> CohortReport:
    """Queue the cohort report of a period, or return the stored one when nothing it reads has
    changed since it was built (same period, same annex option, same fingerprint). Only a
    report that is ready or still on its way is returned: a failed one, or one whose worker
    stopped, never stands in for a new request (docs/jobs.md).

    Refuses anyone but a manager (the scheduled run acts as the system), a period in the
    wrong order, in the future or longer than two years.
    """
    report, is_new = _create_request(
        start=start, end=end, by=by, with_annex=with_annex, trigger=trigger
    )
    if is_new:
        jobs.publish_on_commit(COHORT_REPORTS, report)
    return report


@transaction.atomic
def _create_request(*, start, end, by, with_annex, trigger) -> tuple[CohortReport, bool]:
    actor = audit.as_actor(by)
    if actor.user is not None and not may_read_reports(actor.user):
        raise PermissionDenied("Only managers may produce cohort reports.")
    if with_annex and actor.user is None:
        raise PermissionDenied("A named annex is produced only at a manager's request.")
    _validate_period(start, end)
    digest = fingerprint()
    stored = CohortReport.objects.filter(
        period_start=start, period_end=end, with_annex=with_annex, fingerprint=digest
    ).filter(Q(status=ReportStatus.READY) | jobs.live(COHORT_REPORTS))
    if with_annex:  # an annex lists whom its requester may see: it is theirs alone
        stored = stored.filter(requested_by=actor.user)
    existing = stored.first()
    if existing is not None:
        return existing, False
    report = CohortReport.objects.create(
        period_start=start,
        period_end=end,
        with_annex=with_annex,
        trigger=trigger,
        fingerprint=digest,
        requested_by=actor.user,
    )
    audit.record(
        actor,
        AuditAction.COMBINATION,
        report,
        description=f"Requested the cohort report for {Period(start, end).label}"
        + (" with a named annex" if with_annex else ""),
    )
    return report, True


def request_last_month(today: datetime.date | None = None) -> CohortReport:
    """The scheduled report of the previous calendar month (idempotent: a second run finds the
    stored report)."""
    period = last_month(today or timezone.localdate())
    return request_report(
        start=period.start, end=period.end, by=None, trigger=ReportTrigger.MONTHLY
    )


def build_report(report_id: int, *, task_id: str = "", in_worker: bool = False) -> CohortReport:
    """Compute the figures and store the PDF, CSV, XLSX (and named annex), under a lease
    (iom/jobs.py). Safe to run twice: a report finished, or being built under another
    worker's live lease, is left alone. A failure (building, time limit, storage) is recorded
    on the report with the reason the manager reads."""
    lease = jobs.claim(
        COHORT_REPORTS, report_id, task_id=task_id, heartbeat=in_worker, started_at=timezone.now()
    )
    if lease is None:
        return CohortReport.objects.get(pk=report_id)
    with lease:
        _build(lease, lease.job)
    return CohortReport.objects.get(pk=report_id)


def _build(lease: jobs.Lease, report: CohortReport) -> None:
    started = time.perf_counter()
    try:
        period = Period(report.period_start, report.period_end)
        figures = measures.build(period)
        title = f"IOM cohort report: {period.label}"
        pdf, pages = exports.render_pdf(figures, title=title)
        files = {
            "pdf": pdf,
            "csv": exports.render_csv(figures, title=title),
            "xlsx": exports.render_xlsx(figures, title=title),
        }
        annex_ids: list[int] = []
        if report.with_annex:
            rows, annex_ids = annex_rows(period, report.requested_by)
            files["annex"] = exports.render_annex(rows, title=title)
    except SoftTimeLimitExceeded:
        logger.warning("Building cohort report %s took too long", report.pk)
        lease.fail("Building the report took too long and was stopped.")
        return
    except Exception as error:  # any failure must reach the manager as "failed", not hang
        logger.exception("Building cohort report %s failed", report.pk)
        lease.fail(f"The report could not be built ({type(error).__name__}: {error}).")
        return
    stored: dict[str, str] = {}
    try:
        for name, content in files.items():
            extension = "csv" if name == "annex" else name
            suffix = "-named-annex" if name == "annex" else ""
            field = getattr(report, name).field
            stored[name] = field.storage.save(
                field.generate_filename(report, report.filename(extension, suffix)),
                ContentFile(content),
            )
    except Exception as error:  # an unwritable or full store: the manager is told
        logger.exception("Storing cohort report %s failed", report.pk)
        _delete_files(report, stored)
        lease.fail(f"The report was built but could not be stored ({error}).")
        return
    finished = lease.finish(
        **stored,
        figures=figures,
        price_year=figures["price_year"],
        annex_nominal_ids=annex_ids,
        page_count=pages,
        status=ReportStatus.READY,
        build_seconds=time.perf_counter() - started,
        completed_at=timezone.now(),
        error="",
    )
    if not finished:  # the sweeper gave the report to another worker meanwhile
        _delete_files(report, stored)


def _delete_files(report: CohortReport, stored: dict[str, str]) -> None:
    for name, path in stored.items():
        getattr(report, name).storage.delete(path)


def annex_rows(period: Period, user) -> tuple[list[list], list[int]]:
    """The people on the cohort at any time in the period that the requesting manager may see.
    Dates are ISO (2026-12-01), as in every CSV the service writes, for spreadsheets."""
    memberships = (
        CohortMembership.objects.filter(entered_on__lte=period.end)
        .exclude(exited_on__lt=period.start)
        .filter(nominal__in=access.restrict(Nominal.objects.all(), user).values("pk"))
        .select_related("nominal", "lead_agency")
        .order_by("nominal__surname", "nominal__first_names", "entered_on")
    )
    rows, ids = [], []
    for membership in memberships:
        nominal = membership.nominal
        ids.append(nominal.pk)
        rows.append(
            [
                nominal.listed_name,
                nominal.date_of_birth.isoformat(),
                nominal.pnc_id or "",
                membership.get_stream_display(),
                membership.lead_agency.name,
                membership.entered_on.isoformat(),
                membership.exited_on.isoformat() if membership.exited_on else "",
            ]
        )
    return rows, sorted(set(ids))


def record_download(request_or_actor, report: CohortReport, file_format: str) -> None:
    """Every download is a disclosure to the manager who downloads it; the named annex is a
    disclosure of each person it lists."""
    actor = audit.as_actor(request_or_actor)
    user = actor.user
    recipient = f"{user} ({getattr(user, 'agency', None) or 'no agency'})"
    label = Period(report.period_start, report.period_end).label
    if file_format == "annex":
        with transaction.atomic():
            audit.record_disclosures(
                actor,
                Nominal.objects.filter(pk__in=report.annex_nominal_ids).only("pk"),
                disclosure_format="csv",
                recipient=recipient,
                description=f"Downloaded the named annex of the cohort report for {label}",
            )
        return
    audit.record(
        actor,
        AuditAction.DISCLOSURE,
        report,
        description=f"Downloaded the cohort report for {label} ({file_format.upper()})",
        disclosure_format=file_format,
        recipient=recipient,
    )


FILE_MISSING = "A stored file of the report has gone missing. Ask for the report again."


def file_missing(request_or_actor, report: CohortReport, file_format: str) -> None:
    """A ready report's stored file cannot be found: the report is marked failed, so that the
    next request for the period builds it again instead of returning it; the attempt is
    logged (nothing was disclosed), and the operator is told in the log."""
    actor = audit.as_actor(request_or_actor)
    logger.error("The %s file of cohort report %s is missing", file_format, report.pk)
    label = Period(report.period_start, report.period_end).label
    with transaction.atomic():
        CohortReport.objects.filter(pk=report.pk, status=ReportStatus.READY).update(
            status=ReportStatus.FAILED, error=FILE_MISSING
        )
        audit.record(
            actor,
            AuditAction.CONSULTATION,
            report,
            description=f"Tried to download the cohort report for {label} "
            f"({file_format.upper()}): its stored file is missing, nothing was disclosed",
        )
    report.status, report.error = ReportStatus.FAILED, FILE_MISSING


def open_file(report: CohortReport, file_format: str):
    """The stored file of one format (``annex`` included), or None when it has gone missing."""
    field = getattr(report, "annex" if file_format == "annex" else file_format)
    try:
        return field.open("rb")
    except FileNotFoundError:
        return None
