"""Pages of OGRS3: the officer's corrections of its inputs (the panel is in the Risk section)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from cohorts.sections import record_consultation, section_context
from iom import audit, sharing
from iom.formatting import in_sentence
from iom.forms import GovukDateField, GovukForm, TextareaField
from iom.locking import StaleEditError

from .. import queries
from ..models import Ogrs3Correction, Ogrs3Input
from . import queries as ogrs3_queries
from . import services as ogrs3_services
from .reference import OGRS3_V3

DATE_HELP = "For example, 27 3 2026"


class CorrectionForm(GovukForm):
    field = forms.ChoiceField(label="Input to record or correct", choices=Ogrs3Input.choices,
                              widget=forms.RadioSelect)  # fmt: skip
    date_value = GovukDateField(
        label="Date", required=False, help_text=f"For the dates only. {DATE_HELP}"
    )
    count_value = forms.IntegerField(
        label="Number of previous sanctions", required=False, min_value=0,
        help_text="Separate days on which the person was convicted or cautioned, before the "
        "current one.",
    )  # fmt: skip
    category_value = forms.ChoiceField(
        label="OGRS3 category of the current offence", required=False,
        choices=[("", "Choose a category"),
                 *((c.code, c.label) for c in OGRS3_V3.offence_categories)],
    )  # fmt: skip
    reason = TextareaField(
        label="Why the record's value is not right", max_length=2000,
        rows=3,
        help_text="This is recorded in the audit log and shown beside the value.",
    )  # fmt: skip

    VALUE_FIELD = {
        Ogrs3Input.PREVIOUS_SANCTIONS: "count_value",
        Ogrs3Input.OFFENCE_CATEGORY: "category_value",
    }

    def clean(self):
        data = super().clean()
        field = data.get("field")
        if not field:
            return data
        name = self.VALUE_FIELD.get(field, "date_value")
        value = data.get(name)
        if value in (None, "") and name not in self.errors:
            self.add_error(name, f"Enter the {in_sentence(Ogrs3Input(field).label)}")
        data["value"] = value
        data["value_field"] = name
        return data


class WithdrawForm(GovukForm):
    correction = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)


def _add_errors(form, error: ValidationError, value_field: str) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        target = value_field if field == "value" else field
        form.add_error(target if target in form.fields else None, field_errors)


@login_required
def ogrs3_inputs(request, pk: int):
    """Record or correct an OGRS3 input, with a reason; or withdraw a correction."""
    nominal = queries.nominal_for(request.user, pk, "change", section=sharing.RISK)
    action = request.POST.get("action")
    form = CorrectionForm(request.POST if action == "correct" else None)
    by = audit.actor_from_request(request)
    if request.method == "POST" and action == "withdraw":
        withdraw = WithdrawForm(request.POST)
        if (
            withdraw.is_valid()
            and Ogrs3Correction.objects.filter(
                pk=withdraw.cleaned_data["correction"], nominal=nominal
            ).exists()
        ):
            try:
                ogrs3_services.withdraw_correction(
                    withdraw.cleaned_data["correction"], by=by,
                    version=withdraw.cleaned_data["version"],
                )  # fmt: skip
            except (StaleEditError, ValidationError) as error:
                messages.error(request, getattr(error, "message", str(error)))
            else:
                messages.success(request, "The record's value applies again from the next run.")
        return redirect("cohorts:risk-ogrs3", pk=nominal.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ogrs3_services.correct_input(
                nominal, by=by, field=data["field"], value=data["value"], reason=data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error, data["value_field"])
        else:
            messages.success(request, "Saved. The next ranking run uses it.")
            return redirect("cohorts:risk", pk=nominal.pk)
    elif request.method == "GET":
        record_consultation(request, nominal, "risk OGRS3 inputs")
    panel = ogrs3_queries.panel(nominal)
    context = section_context(request, nominal, "risk", form=form, panel=panel)
    return render(request, "risk/ogrs3_inputs.html", context, status=400 if form.errors else 200)
