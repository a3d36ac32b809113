"""The Controls section of a person's record and the forms that change it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from cohorts import queries as cohort_queries
from cohorts.sections import record_consultation, section_context
from iom import audit, sharing
from iom.formatting import long_date
from iom.forms import add_service_errors
from iom.locking import StaleEditError

from . import forms, queries, services
from .models import RECALL_STEPS, SanctionLevel

SECTION = "controls"


def _form_page(request, nominal, form, *, title: str, submit: str, status: int = 200, **extra):
    if request.method == "GET":
        record_consultation(request, nominal, f"controls ({title.lower()})")
    return render(
        request,
        "controls/form.html",
        section_context(request, nominal, SECTION, form=form, title=title, submit=submit, **extra),
        status=400 if form.errors and status == 200 else status,
    )


def _save(request, pk: int, form, save, *, done: str):
    """For a valid POST, run ``save(actor, cleaned_data)``: on success go back to the Controls
    section saying ``done``; on a refusal put it on the form. Returns (response, status)."""
    if request.method != "POST" or not form.is_valid():
        return None, 200
    try:
        save(audit.actor_from_request(request), form.cleaned_data)
    except StaleEditError as stale:
        form.add_error(None, str(stale))
        return None, 409
    except ValidationError as error:
        add_service_errors(form, error)
        return None, 200
    messages.success(request, done)
    return redirect("cohorts:controls", pk=pk), 200


def _current_licence_or_404(nominal):
    licence = services.current_licence(nominal)
    if licence is None:
        raise Http404("The person is not on licence.")
    return licence


@login_required
def controls(request, pk: int):
    nominal = cohort_queries.nominal_for(request.user, pk, section=sharing.CONTROLS)
    record_consultation(request, nominal, SECTION)
    overview = queries.controls_of(nominal)
    context = section_context(
        request,
        nominal,
        SECTION,
        controls=overview,
        can_change=cohort_queries.visible_nominals(request.user, "change").filter(pk=pk).exists(),
        now=timezone.now(),
    )
    return render(request, "controls/controls.html", context)


@login_required
def licence_create(request, pk: int):
    nominal = cohort_queries.nominal_for(request.user, pk, "change", section=sharing.CONTROLS)
    form = forms.LicenceForm(request.POST or None)

    def save(actor, data):
        data = {k: v for k, v in data.items() if k != "version"}
        services.create_licence(nominal, by=actor, **data)

    response, status = _save(request, pk, form, save, done="The licence was recorded.")
    return response or _form_page(
        request, nominal, form, title="Record a licence", submit="Save licence", status=status
    )


@login_required
def licence_edit(request, pk: int, licence_id: int):
    nominal = cohort_queries.nominal_for(request.user, pk, "change", section=sharing.CONTROLS)
    licence = queries.licence_of(nominal, licence_id)
    initial = {name: getattr(licence, name) for name in services.LICENCE_FIELDS}
    form = forms.LicenceForm(request.POST or None, initial={**initial, "version": licence.version})

    def save(actor, data):
        data = dict(data)
        version = data.pop("version") or 0
        services.update_licence(licence.pk, by=actor, version=version, changes=data)

    response, status = _save(request, pk, form, save, done="The licence was changed.")
    return response or _form_page(
        request, nominal, form, title="Change the licence", submit="Save changes", status=status
    )


@login_required
def condition_create(request, pk: int, licence_id: int):
    nominal = cohort_queries.nominal_for(request.user, pk, "change", section=sharing.CONTROLS)
    licence = queries.licence_of(nominal, licence_id)
    form = forms.ConditionForm(request.POST or None)
    response, status = _save(
        request,
        pk,
        form,
        lambda actor, data: services.add_condition(licence, by=actor, **data),
        done="The licence condition was added.",
    )
    return response or _form_page(
        request, nominal, form, title="Add a licence condition", submit="Add condition",
        status=status,
    )  # fmt: skip


@login_required
def breach_create(request, pk: int):
    nominal = cohort_queries.nominal_for(request.user, pk, "change", section=sharing.CONTROLS)
    licence = _current_licence_or_404(nominal)
    form = forms.BreachForm(
        request.POST or None, licence=licence, initial={"occurred_on": timezone.localdate()}
    )
    response, status = _save(
        request,
        pk,
        form,
        lambda actor, data: services.record_breach(licence, by=actor, **data),
        done="The breach was recorded.",
    )
    return response or _form_page(
        request, nominal, form, title="Record a breach", submit="Record breach", status=status
    )


@login_required
def sanction_create(request, pk: int):
    nominal = cohort_queries.nominal_for(request.user, pk, "change", section=sharing.CONTROLS)
    licence = _current_licence_or_404(nominal)
    next_level = services.next_sanction_level(licence)
    form = forms.SanctionForm(
        request.POST or None,
        licence=licence,
        initial={"issued_on": timezone.localdate(), "level": min(next_level, 2)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_sanction(
                licence, by=audit.actor_from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The sanction was recorded.")
            return redirect("cohorts:controls", pk=pk)
    return _form_page(
        request,
        nominal,
        form,
        title="Record a sanction",
        submit="Record sanction",
        hint=f"The next step on this licence is: {SanctionLevel(next_level).label}.",
    )


@login_required
def recall_create(request, pk: int, breach_id: int):
    nominal = cohort_queries.nominal_for(request.user, pk, "change", section=sharing.CONTROLS)
    breach = queries.breach_of(nominal, breach_id)
    form = forms.RecallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recall = services.start_recall(
                breach, by=audit.actor_from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The recall was started. Tick each step as it is done.")
            return redirect("cohorts:controls-recall", pk=pk, recall_id=recall.pk)
    next_level = services.next_sanction_level(breach.licence)
    return _form_page(
        request,
        nominal,
        form,
        title="Start a recall",
        submit="Start recall",
        hint=f"From the breach of {long_date(breach.occurred_on)}: {breach.evidence}",
        warning=(
            None
            if next_level >= SanctionLevel.RECALL
            else "No District Manager's warning has been given on this licence: say why the "
            "warnings were skipped."
        ),
    )


@login_required
def recall_detail(request, pk: int, recall_id: int):
    """The recall checklist: tick steps, change the recommendation, or cancel."""
    nominal = cohort_queries.nominal_for(request.user, pk, section=sharing.CONTROLS)
    recall = queries.recall_of(nominal, recall_id)
    actor = audit.actor_from_request(request)
    step_form = recommendation_form = cancel_form = None
    status = 200
    if request.method == "POST":
        nominal = cohort_queries.nominal_for(request.user, pk, "change", section=sharing.CONTROLS)
        action = request.POST.get("action")
        try:
            if action == "step":
                step_form = forms.RecallStepForm(request.POST)
                if step_form.is_valid():
                    services.complete_recall_step(recall.pk, by=actor, **step_form.cleaned_data)
                    messages.success(request, "The step was ticked.")
                    return redirect("cohorts:controls-recall", pk=pk, recall_id=recall.pk)
            elif action == "recommendation":
                recommendation_form = forms.RecommendationForm(request.POST)
                if recommendation_form.is_valid():
                    services.update_recall_recommendation(
                        recall.pk, by=actor, **recommendation_form.cleaned_data
                    )
                    messages.success(request, "The recommendation was saved.")
                    return redirect("cohorts:controls-recall", pk=pk, recall_id=recall.pk)
            elif action == "cancel":
                cancel_form = forms.CancelRecallForm(request.POST)
                if cancel_form.is_valid():
                    data = cancel_form.cleaned_data
                    services.cancel_recall(
                        recall.pk,
                        by=actor,
                        version=data["version"],
                        reason=data["cancelled_reason"],
                    )
                    messages.success(request, "The recall was cancelled.")
                    return redirect("cohorts:controls", pk=pk)
        except StaleEditError as stale:
            messages.error(request, str(stale))
            status = 409
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 400
        else:
            status = 400
        recall = queries.recall_of(nominal, recall_id)
    else:
        record_consultation(request, nominal, "controls (recall)")
    context = section_context(
        request,
        nominal,
        SECTION,
        recall=recall,
        steps=recall.checklist(),
        step_labels=dict(RECALL_STEPS),
        now=timezone.now(),
        recommendation_form=recommendation_form
        or forms.RecommendationForm(
            initial={"recommendation": recall.recommendation, "version": recall.version}
        ),
        cancel_form=cancel_form or forms.CancelRecallForm(initial={"version": recall.version}),
        can_change=cohort_queries.visible_nominals(request.user, "change").filter(pk=pk).exists(),
    )
    return render(request, "controls/recall.html", context, status=status)


@login_required
def drug_test_create(request, pk: int):
    nominal = cohort_queries.nominal_for(request.user, pk, "change", section=sharing.CONTROLS)
    form = forms.DrugTestForm(request.POST or None, initial={"tested_on": timezone.localdate()})
    response, status = _save(
        request,
        pk,
        form,
        lambda actor, data: services.record_drug_test(nominal, by=actor, **data),
        done="The test result was recorded.",
    )
    return response or _form_page(
        request, nominal, form, title="Record a drug test", submit="Record test result",
        status=status,
    )  # fmt: skip


@login_required
def measure_create(request, pk: int):
    nominal = cohort_queries.nominal_for(request.user, pk, "change", section=sharing.CONTROLS)
    form = forms.MeasureForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    response, status = _save(
        request,
        pk,
        form,
        lambda actor, data: services.add_control_measure(nominal, by=actor, **data),
        done="The measure was recorded.",
    )
    return response or _form_page(
        request,
        nominal,
        form,
        title="Add a bail condition, order or enforcement flag",
        submit="Save measure",
        status=status,
    )


@login_required
def measure_edit(request, pk: int, measure_id: int):
    nominal = cohort_queries.nominal_for(request.user, pk, "change", section=sharing.CONTROLS)
    measure = queries.measure_of(nominal, measure_id)
    form = forms.MeasureChangeForm(
        request.POST or None,
        initial={
            "status": measure.status,
            "ends_on": measure.ends_on,
            "details": measure.details,
            "version": measure.version,
        },
    )
    response, status = _save(
        request,
        pk,
        form,
        lambda actor, data: services.change_control_measure(measure.pk, by=actor, **data),
        done="The measure was changed.",
    )
    return response or _form_page(
        request,
        nominal,
        form,
        title=f"Change: {measure.get_kind_display()}",
        submit="Save changes",
        status=status,
    )
