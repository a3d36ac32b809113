"""The monthly cohort report: requesting it (or finding the stored one), building it in the
background and recording every download as a disclosure."""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from cohorts import dates
from cohorts.controls.models import Breach, DrugTest, Recall
from cohorts.models import CohortMembership, Engagement, Nominal
from cohorts.risk.models import CustodyPeriod, DetectedOffence, RiskAssessment
from iom import access, audit
from iom.models import AuditAction
from pathways.models import NeedAssessment, PathwayAction, PlanPathway

from . import exports, measures
from .measures.periods import Period, last_month
from .report_models import CohortReport, ReportConfiguration, ReportStatus, ReportTrigger, UnitCost

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
        parts[model._meta.label] = model.objects.order_by().aggregate(**aggregates)
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _validate_period(start: datetime.date, end: datetime.date) -> None:
    errors = {}
    if start < dates.EARLIEST:
        errors["start"] = "The start of the period must be after 1900."
    elif start > end:
        errors["end"] = "The end of the period must be on or after its start."
    elif end > timezone.localdate():
        errors["end"] = "The period cannot end in the future."
    elif (end - start).days > 366 * 2:
        errors["end"] = "A report covers at most two years."
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
    changed since it was built (same period, same annex option, same fingerprint).

    Refuses anyone but a manager (the scheduled run acts as the system), a period in the
    wrong order, in the future or longer than two years.
    """
    report, is_new = _create_request(
        start=start, end=end, by=by, with_annex=with_annex, trigger=trigger
    )
    if is_new:
        from . import tasks

        transaction.on_commit(lambda: tasks.build_cohort_report.delay(report.pk))
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
    ).exclude(status=ReportStatus.FAILED)
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


def build_report(report_id: int) -> CohortReport:
    """Compute the figures and store the PDF, CSV, XLSX (and named annex). Safe to run twice:
    a report already built or being built is left alone. A failure is recorded on the report."""
    with transaction.atomic():
        report = CohortReport.objects.select_for_update().get(pk=report_id)
        if report.status != ReportStatus.QUEUED:
            return report
        report.status = ReportStatus.BUILDING
        report.started_at = timezone.now()
        report.save(update_fields=["status", "started_at"])
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
    except Exception as error:  # any failure must reach the manager as "failed", not hang
        logger.exception("Building cohort report %s failed", report.pk)
        CohortReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.FAILED, error=str(error)[:2000], completed_at=timezone.now()
        )
        report.refresh_from_db()
        return report
    with transaction.atomic():
        for name, content in files.items():
            extension = "csv" if name == "annex" else name
            suffix = "-named-annex" if name == "annex" else ""
            getattr(report, name).save(
                report.filename(extension, suffix), ContentFile(content), save=False
            )
        report.figures = figures
        report.price_year = figures["price_year"]
        report.annex_nominal_ids = annex_ids
        report.page_count = pages
        report.status = ReportStatus.READY
        report.build_seconds = time.perf_counter() - started
        report.completed_at = timezone.now()
        report.save()
    return report


def annex_rows(period: Period, user) -> tuple[list[list], list[int]]:
    """The people on the cohort at any time in the period that the requesting manager may see."""
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
                f"{nominal.date_of_birth:%d/%m/%Y}",
                nominal.pnc_id or "",
                membership.get_stream_display(),
                membership.lead_agency.name,
                f"{membership.entered_on:%d/%m/%Y}",
                f"{membership.exited_on:%d/%m/%Y}" if membership.exited_on else "",
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
