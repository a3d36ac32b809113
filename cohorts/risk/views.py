"""Pages: a person's Offending and Risk sections, emerging threats, runs and feed imports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cohorts.sections import record_consultation, section_context
from iom import audit, sharing
from iom.forms import add_service_errors
from iom.locking import StaleEditError

from . import explain, importing, period_services, queries, services
from . import threats as threat_columns
from .forms import (
    CustodyPeriodForm,
    DynamicFactorForm,
    EndDynamicFactorForm,
    EndOverrideForm,
    ImportUploadForm,
    OverrideForm,
    ResidencePeriodForm,
)
from .models import DynamicFactor, RiskOverride
from .ogrs3 import queries as ogrs3_queries

PAGE_SIZE = 50


# --- A person's Risk section ------------------------------------------------------------------


@login_required
def risk_section(request, pk: int):
    nominal = queries.nominal_for(request.user, pk, section=sharing.RISK)
    record_consultation(request, nominal, "risk")
    section = queries.risk_section(nominal)
    current = section.current
    context = section_context(
        request,
        nominal,
        "risk",
        risk=section,
        current=current,
        reasons=explain.reasons(current) if current else [],
        change=explain.change_since(current, section.previous),
        chart=explain.history_chart(section.assessments, section.thresholds),
        can_override=services.can_override(request.user, nominal),
        ogrs3=ogrs3_queries.panel(nominal),
        # What is recorded after the run that gave the band shown counts from the next one.
        since_run=queries.since_last_run(
            nominal, request.user, current.run if current else queries.latest_run()
        ),
    )
    return render(request, "risk/risk_section.html", context)


@login_required
def risk_override(request, pk: int):
    """Set a band with a reason and an expiry, or end the override in force."""
    nominal = queries.nominal_for(request.user, pk, "change", section=sharing.RISK)
    in_force = queries.override_in_force(nominal)
    form = OverrideForm(request.POST if request.POST.get("action") == "set" else None)
    if request.method == "POST" and request.POST.get("action") == "end":
        end_form = EndOverrideForm(request.POST)
        if end_form.is_valid():
            try:
                services.end_override(
                    end_form.cleaned_data["override"],
                    by=audit.actor_from_request(request),
                    version=end_form.cleaned_data["version"],
                )
            except (StaleEditError, ValidationError, RiskOverride.DoesNotExist) as error:
                messages.error(request, getattr(error, "message", str(error)))
            else:
                messages.success(request, "The override was ended: the computed band applies.")
            return redirect("cohorts:risk", pk=nominal.pk)
    elif request.method == "POST" and form.is_valid():
        try:
            services.set_override(
                nominal, by=audit.actor_from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The band was overridden.")
            return redirect("cohorts:risk", pk=nominal.pk)
    else:
        record_consultation(request, nominal, "risk override")
    context = section_context(request, nominal, "risk", form=form, in_force=in_force)
    return render(request, "risk/override_form.html", context, status=400 if form.errors else 200)


# --- A person's Offending section -------------------------------------------------------------


@login_required
def offending_section(request, pk: int):
    nominal = queries.nominal_for(request.user, pk, section=sharing.OFFENDING)
    record_consultation(request, nominal, "offending")
    user = request.user
    can_change = services.can_override(user, nominal)
    terms = sharing.terms_for(user)
    context = section_context(
        request,
        nominal,
        "offending",
        history=queries.offending_history(
            nominal, user, show=request.GET.get("show"), page=request.GET.get("page")
        ),
        can_change=can_change,
        # Who writes what (docs/offending.md); no extra query beyond ``can_change``.
        can_record_detections=can_change and terms.covers(sharing.OFFENDING),
        can_record_arrests=can_change and terms.covers(sharing.ARRESTS),
        can_record_intelligence=terms.is_iom_unit,
        can_submit_intelligence=not terms.is_iom_unit and terms.sees_records,
    )
    return render(request, "risk/offending_section.html", context)


def _record_page(request, pk, form_class, record, *, title: str, done: str):
    nominal = queries.nominal_for(request.user, pk, "change", section=sharing.OFFENDING)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record(nominal, by=audit.actor_from_request(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("cohorts:offending", pk=nominal.pk)
    elif request.method == "GET":
        record_consultation(request, nominal, "offending")
    context = section_context(request, nominal, "offending", form=form, title=title)
    return render(request, "risk/record_form.html", context, status=400 if form.errors else 200)


@login_required
def dynamic_factor_new(request, pk: int):
    return _record_page(
        request, pk, DynamicFactorForm, period_services.record_dynamic_factor,
        title="Record a dynamic factor", done="The factor was recorded.",
    )  # fmt: skip


@login_required
def custody_new(request, pk: int):
    return _record_page(
        request, pk, CustodyPeriodForm, period_services.record_custody_period,
        title="Record a period in custody", done="The custody period was recorded.",
    )  # fmt: skip


@login_required
def residence_new(request, pk: int):
    return _record_page(
        request, pk, ResidencePeriodForm, period_services.record_residence_period,
        title="Record where the person lives", done="The residence was recorded.",
    )  # fmt: skip


@login_required
def dynamic_factor_end(request, pk: int):
    """The factors still in force, each with a form to record the day it ended."""
    nominal = queries.nominal_for(request.user, pk, "change", section=sharing.OFFENDING)
    open_factors = list(DynamicFactor.objects.filter(nominal=nominal, ended_on__isnull=True))
    failed = None
    if request.method == "POST":
        form = EndDynamicFactorForm(request.POST)
        if form.is_valid() and any(f.pk == form.cleaned_data["factor"] for f in open_factors):
            try:
                period_services.end_dynamic_factor(
                    form.cleaned_data["factor"],
                    by=audit.actor_from_request(request),
                    version=form.cleaned_data["version"],
                    ended_on=form.cleaned_data["ended_on"],
                )
            except (ValidationError, StaleEditError) as error:
                if isinstance(error, StaleEditError):
                    error = ValidationError(str(error))
                add_service_errors(form, error)
            else:
                messages.success(request, "The factor was recorded as ended.")
                return redirect("cohorts:offending", pk=nominal.pk)
        failed = form
    else:
        record_consultation(request, nominal, "offending")
    rows = []
    for factor in open_factors:
        if failed is not None and failed.data.get("factor") == str(factor.pk):
            rows.append((factor, failed))
        else:
            rows.append((factor, EndDynamicFactorForm(
                initial={"factor": factor.pk, "version": factor.version},
                prefix=None,
            )))  # fmt: skip
    context = section_context(request, nominal, "offending", rows=rows, failed=failed)
    status = 400 if failed is not None else 200
    return render(request, "risk/end_factors.html", context, status=status)


# --- Emerging threats and runs ----------------------------------------------------------------


@login_required
def emerging_threats(request):
    run = queries.latest_run()
    threats, ogrs3_filter = ogrs3_queries.emerging_threats_with_ogrs3(
        threat_columns.annotate(queries.emerging_threats(request.user, run), request.user),
        request.GET,
    )
    page = Paginator(threats, PAGE_SIZE).get_page(request.GET.get("page"))
    for assessment in page:
        assessment.top_reasons = explain.reasons(assessment)[:2]
    # Each person named on the page is a consultation of their record (one INSERT).
    audit.record_consultations(
        audit.actor_from_request(request),
        [assessment.nominal_id for assessment in page],
        description="Listed on emerging threats",
    )
    return render(
        request,
        "risk/emerging_threats.html",
        {"page": page, "run": run, "columns": threat_columns.columns(), **ogrs3_filter},
    )


UNSENT_RUN = (
    "Ranking runs cannot be started right now; the run is saved and will start when the "
    "service recovers."
)


def _require_manager(user) -> None:
    if not services.can_run_ranking(user):
        raise PermissionDenied("Only managers can see and start ranking runs.")


@login_required
def run_list(request):
    _require_manager(request.user)
    page = Paginator(queries.runs(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "risk/run_list.html", {"page": page})


@login_required
@require_POST
def run_start(request):
    _require_manager(request.user)
    run = services.request_run(by=audit.actor_from_request(request))
    if run.is_unsent:
        messages.warning(request, UNSENT_RUN)
    else:
        messages.success(request, "The ranking run was started.")
    return redirect("cohorts:risk-run", run_id=run.pk)


@login_required
def run_detail(request, run_id: int):
    _require_manager(request.user)
    run = get_object_or_404(queries.runs(), pk=run_id)
    return render(request, "risk/run_detail.html", {"run": run})


@login_required
def import_list(request):
    if not importing.can_import(request.user):
        raise PermissionDenied("Only managers can import offending feeds.")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file_name, content = form.cleaned_data["file"]
        job = importing.create_job(
            by=audit.actor_from_request(request),
            file_name=file_name,
            content=content,
            source=form.cleaned_data["source"],
        )
        return redirect("cohorts:offending-import", job_id=job.pk)
    page = Paginator(queries.import_jobs(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "risk/import_list.html",
        {"form": form, "page": page, "columns": importing.COLUMNS},
        status=400 if form.errors else 200,
    )


@login_required
def import_detail(request, job_id: int):
    if not importing.can_import(request.user):
        raise PermissionDenied("Only managers can import offending feeds.")
    job = get_object_or_404(queries.import_jobs(), pk=job_id)
    return render(request, "risk/import_detail.html", {"job": job})
