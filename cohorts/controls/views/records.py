"""The Controls section and the form pages of its records: licences and their conditions,
breaches, sanctions, drug tests and control measures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from cohorts import queries as cohort_queries
from cohorts.sections import record_consultation, section_context
from iom import access, audit, sharing
from iom.forms import add_service_errors

from .. import forms, queries, services
from ..models import SanctionLevel
from .common import SECTION, PageText, current_licence_or_404, form_page, save_or_form_page


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
        can_change=access.can(request.user, "change", nominal),
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

    return save_or_form_page(
        request,
        nominal,
        form,
        save,
        PageText("Record a licence", "Save licence", "The licence was recorded."),
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

    return save_or_form_page(
        request,
        nominal,
        form,
        save,
        PageText("Change the licence", "Save changes", "The licence was changed."),
    )


@login_required
def condition_create(request, pk: int, licence_id: int):
    nominal = cohort_queries.nominal_for(request.user, pk, "change", section=sharing.CONTROLS)
    licence = queries.licence_of(nominal, licence_id)
    form = forms.ConditionForm(request.POST or None)
    return save_or_form_page(
        request,
        nominal,
        form,
        lambda actor, data: services.add_condition(licence, by=actor, **data),
        PageText("Add a licence condition", "Add condition", "The licence condition was added."),
    )


@login_required
def breach_create(request, pk: int):
    nominal = cohort_queries.nominal_for(request.user, pk, "change", section=sharing.CONTROLS)
    licence = current_licence_or_404(nominal)
    form = forms.BreachForm(
        request.POST or None, licence=licence, initial={"occurred_on": timezone.localdate()}
    )
    return save_or_form_page(
        request,
        nominal,
        form,
        lambda actor, data: services.record_breach(licence, by=actor, **data),
        PageText("Record a breach", "Record breach", "The breach was recorded."),
    )


@login_required
def sanction_create(request, pk: int):
    nominal = cohort_queries.nominal_for(request.user, pk, "change", section=sharing.CONTROLS)
    licence = current_licence_or_404(nominal)
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
    return form_page(
        request,
        nominal,
        form,
        title="Record a sanction",
        submit="Record sanction",
        hint=f"The next step on this licence is: {SanctionLevel(next_level).label}.",
    )


@login_required
def drug_test_create(request, pk: int):
    nominal = cohort_queries.nominal_for(request.user, pk, "change", section=sharing.CONTROLS)
    form = forms.DrugTestForm(request.POST or None, initial={"tested_on": timezone.localdate()})
    return save_or_form_page(
        request,
        nominal,
        form,
        lambda actor, data: services.record_drug_test(nominal, by=actor, **data),
        PageText("Record a drug test", "Record test result", "The test result was recorded."),
    )


@login_required
def measure_create(request, pk: int):
    nominal = cohort_queries.nominal_for(request.user, pk, "change", section=sharing.CONTROLS)
    form = forms.MeasureForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    return save_or_form_page(
        request,
        nominal,
        form,
        lambda actor, data: services.add_control_measure(nominal, by=actor, **data),
        PageText(
            "Add a bail condition, order or enforcement flag",
            "Save measure",
            "The measure was recorded.",
        ),
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
    return save_or_form_page(
        request,
        nominal,
        form,
        lambda actor, data: services.change_control_measure(measure.pk, by=actor, **data),
        PageText(
            f"Change: {measure.get_kind_display()}", "Save changes", "The measure was changed."
        ),
    )
