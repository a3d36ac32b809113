"""The contact form, for booking an appointment and for recording what happened; and the
form that turns a missed appointment into a breach."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from iom.forms import GovukDateField, GovukForm, TextareaField
from iom.models import Agency, User

from .models import Absence, Attendance, ContactKind


def _combine(day: datetime.date | None, time: datetime.time | None):
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, time))


class ContactForm(GovukForm):
    kind = forms.ChoiceField(
        label="Type of contact",
        choices=ContactKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of contact"},
    )
    planned_on = GovukDateField(
        label="Booked for",
        described_as="the date it is booked for",
        required=False,
        help_text="For an appointment. For example, 27 3 2026",
    )
    planned_time = forms.TimeField(
        label="Time booked", required=False, help_text="For example, 14:30"
    )
    happened_on = GovukDateField(
        label="Took place on",
        described_as="the date it took place",
        required=False,
        help_text="When the contact happened. For example, 27 3 2026",
    )
    happened_time = forms.TimeField(
        label="Time it took place", required=False, help_text="For example, 14:30"
    )
    location = forms.CharField(label="Where", max_length=160, required=False)
    attendees = forms.ModelMultipleChoiceField(
        label="Who from the partnership",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Booked appointments show in each of these people's My work",
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies present",
        queryset=Agency.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The agencies of the people chosen above are added",
    )
    attendance = forms.ChoiceField(
        label="Did the person attend?",
        choices=[("", "Not yet known (booked ahead)"), *Attendance.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    # Revealed under "Did not attend", and asked for only then (``reveals``).
    absence = forms.ChoiceField(
        label="Was a reason given?",
        choices=Absence.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether a reason was given, and whether it is acceptable"},
    )
    absence_reason = forms.CharField(label="The reason they gave", max_length=255, required=False)
    outcome = TextareaField(label="Outcome", rows=3, required=False)
    note = TextareaField(label="Case note", rows=5, required=False)
    is_shared = forms.BooleanField(
        label="Share with partners under the information-sharing agreement",
        required=False,
        help_text="Otherwise only the IOM unit sees this contact",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reveals = {"attendance": {Attendance.DID_NOT_ATTEND.value: ("absence", "absence_reason")}}

    def __init__(self, *args, nominal, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The people who work with this person: the IOM unit, the offender managers, and
        # whoever is recording.
        self.fields["attendees"].queryset = (
            User.objects.filter(is_active=True, is_system_account=False)
            .filter(Q(team__is_iom_unit=True) | Q(managed_nominals=nominal) | Q(pk=user.pk))
            .exclude(role="admin")
            .select_related("agency")
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["attendees"].label_from_instance = lambda u: f"{u}, {u.agency}"
        if not user.sees_whole_cohort:
            # A partner's contacts are always shared: they could not see them otherwise.
            del self.fields["is_shared"]

    def clean(self):
        data = super().clean()
        for prefix in ("planned", "happened"):
            day, time = data.get(f"{prefix}_on"), data.get(f"{prefix}_time")
            if day is not None and time is None and f"{prefix}_time" not in self.errors:
                self.add_error(f"{prefix}_time", "Enter the time")
            if day is None and time is not None and f"{prefix}_on" not in self.errors:
                self.add_error(f"{prefix}_on", "Enter the date")
        if not self.errors:
            data["planned_at"] = _combine(data.get("planned_on"), data.get("planned_time"))
            data["happened_at"] = _combine(data.get("happened_on"), data.get("happened_time"))
            if data["planned_at"] is None and data["happened_at"] is None:
                self.add_error("planned_on", "Enter when it is booked for, or when it took place")
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "kind", "planned_at", "happened_at", "location", "attendance", "absence",
                "absence_reason", "outcome", "note", "attendees", "agencies",
            )
        }  # fmt: skip
        fields["attendees"] = list(fields["attendees"])
        fields["agencies"] = list(fields["agencies"])
        if "is_shared" in self.fields:
            fields["is_shared"] = data["is_shared"]
        return fields

    @staticmethod
    def initial_from(contact) -> dict:
        def local(value):
            return timezone.localtime(value) if value else None

        planned, happened = local(contact.planned_at), local(contact.happened_at)
        return {
            "kind": contact.kind,
            "planned_on": planned.date() if planned else None,
            "planned_time": planned.time().replace(second=0, microsecond=0) if planned else None,
            "happened_on": happened.date() if happened else None,
            "happened_time": happened.time().replace(second=0, microsecond=0) if happened else None,
            "location": contact.location,
            "attendees": list(contact.attendees.all()),
            "agencies": list(contact.agencies.all()),
            "attendance": contact.attendance,
            "absence": contact.absence,
            "absence_reason": contact.absence_reason,
            "outcome": contact.outcome,
            "note": contact.note,
            "is_shared": contact.is_shared,
            "version": contact.version,
        }


# Where the service's field names differ from the form's.
SERVICE_TO_FORM_FIELD = {"planned_at": "planned_on", "happened_at": "happened_on"}


def form_errors(error: ValidationError) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {SERVICE_TO_FORM_FIELD.get(name, name): errors for name, errors in error.error_dict.items()}
    )


class ContactBreachForm(GovukForm):
    occurred_on = GovukDateField(
        label="Date of the breach", error_messages={"required": "Enter the date of the breach"}
    )
    condition = forms.ModelChoiceField(
        label="Condition breached",
        queryset=None,
        required=False,
        empty_label="Not one condition",
    )
    evidence = TextareaField(
        label="Evidence",
        rows=5,
        error_messages={"required": "Describe the evidence of the breach"},
    )

    def __init__(self, *args, licence, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["condition"].queryset = licence.conditions.all()
