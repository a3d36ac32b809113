"""Pages of the reports for managers: the dashboard, the cohort reports and their downloads.
Managers only: IOM officers and partner workers are refused (403)."""

from __future__ import annotations

import datetime
import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from iom import audit

from . import dashboard_figures, monthly
from .exports import with_charts
from .forms import DashboardPeriodForm, ReportRequestForm
from .measures.periods import Period, last_month, month_end, months_up_to
from .models import CohortReport

SECTION = "reports"


def manager_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not monthly.may_read_reports(request.user):
            raise PermissionDenied("The reports are for the managers of the IOM unit.")
        return view(request, *args, **kwargs)

    return wrapped


def offered_months() -> list[Period]:
    """The months the dashboard offers: the last 24 complete ones, newest first."""
    return list(reversed(months_up_to(last_month(timezone.localdate()).end)))


def selected_period(data) -> tuple[Period | None, DashboardPeriodForm]:
    """The month asked for (``?month=2026-10``), or last month when none is asked for.

    A month that is not one of those offered (``2026-13``, next year, ``abc``) gives None and
    the form with its error: the caller answers 400, never with another month's figures.
    """
    months = offered_months()
    form = DashboardPeriodForm(data or None, months=months)
    if not form.is_bound:
        return months[0], form
    if not form.is_valid():
        return None, form
    if not form.cleaned_data["month"]:
        return months[0], form
    year, month = (int(part) for part in form.cleaned_data["month"].split("-"))
    start = months[0].start.replace(year=year, month=month)
    return Period(start, month_end(start)), form


@manager_required
def dashboard(request):
    """The cohort's figures for a month, each chart with its table."""
    period, form = selected_period(request.GET)
    if period is None:
        return render(
            request,
            "reports/dashboard.html",
            {"current_section": SECTION, "period": None, "form": form},
            status=400,
        )
    form = DashboardPeriodForm(initial={"month": f"{period.start:%Y-%m}"}, months=offered_months())
    figures = dashboard_figures.figures_for(period)
    return render(
        request,
        "reports/dashboard.html",
        {
            "current_section": SECTION,
            "period": period,
            "form": form,
            "figures": figures,
            "worked_out_at": datetime.datetime.fromisoformat(figures["generated_at"]),
            "sections": with_charts(figures),
        },
    )


@manager_required
def cohort_reports(request):
    """The stored cohort reports, and the form to request one for any period."""
    default = last_month(timezone.localdate())
    form = ReportRequestForm(
        request.POST or None, initial={"start": default.start, "end": default.end}
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = monthly.request_report(
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                with_annex=form.cleaned_data["with_annex"],
                by=audit.actor_from_request(request),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect("reports:cohort-report", report_id=report.pk)
    reports = CohortReport.objects.select_related("requested_by")[:50]
    return render(
        request,
        "reports/cohort_reports.html",
        {"current_section": SECTION, "form": form, "reports": reports},
        status=400 if form.errors else 200,
    )


def _report(request, report_id: int) -> CohortReport:
    report = get_object_or_404(CohortReport.objects.select_related("requested_by"), pk=report_id)
    if report.with_annex and report.requested_by_id != request.user.pk:
        raise Http404("No such report.")
    return report


@manager_required
def cohort_report(request, report_id: int):
    """Where a report is: queued, building, ready (or failed). Refreshes itself until done."""
    report = _report(request, report_id)
    return render(
        request,
        "reports/cohort_report.html",
        {"current_section": SECTION, "report": report, "formats": monthly.FORMATS},
    )


@manager_required
def cohort_report_download(request, report_id: int, file_format: str):
    """One of the report's files, logged as a disclosure to the manager who downloads it."""
    report = _report(request, report_id)
    if file_format not in (*monthly.FORMATS, "annex") or (
        file_format == "annex" and not report.with_annex
    ):
        raise Http404("No such file.")
    if not report.is_ready:
        return redirect("reports:cohort-report", report_id=report.pk)
    stored = monthly.open_file(report, file_format)
    if stored is None:
        monthly.file_missing(audit.actor_from_request(request), report, file_format)
        form = ReportRequestForm(
            initial={
                "start": report.period_start,
                "end": report.period_end,
                "with_annex": report.with_annex,
            }
        )
        return render(
            request,
            "reports/cohort_report_missing.html",
            {"current_section": SECTION, "report": report, "form": form},
            status=404,
        )
    monthly.record_download(audit.actor_from_request(request), report, file_format)
    if file_format == "annex":
        return FileResponse(
            stored,
            as_attachment=True,
            filename=report.filename("csv", "-named-annex"),
            content_type="text/csv",
        )
    return FileResponse(
        stored,
        as_attachment=True,
        filename=report.filename(file_format),
        content_type=monthly.FORMATS[file_format],
    )
