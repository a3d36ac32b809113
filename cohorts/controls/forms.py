import datetime

from django import forms
from django.utils import timezone

from iom.formatting import in_sentence, long_date
from iom.forms import GovukDateField, GovukForm, TextareaField
from iom.models import User

from .models import (
    DOSSIER_PARTS,
    KINDS_OF_CATEGORY,
    RECALL_STEPS,
    AlternativeKind,
    ConditionType,
    MeasureCategory,
    MeasureStatus,
    RecallGrounds,
    RecallType,
    SanctionLevel,
    TestOutcome,
)

DATE_HINT = "For example, 27 3 2026"


def _date(label: str, required: bool = True, hint: str = DATE_HINT) -> GovukDateField:
    return GovukDateField(
        label=label,
        required=required,
        help_text=hint,
        error_messages={"required": f"Enter the {in_sentence(label)}"},
    )


class LicenceForm(GovukForm):
    release_date = _date("Release date")
    licence_expiry_date = _date("Licence expiry date")
    sentence_expiry_date = _date("Sentence expiry date")
    supervising_officer = forms.ModelChoiceField(
        label="Supervising probation officer",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not recorded",
    )
    offence = forms.CharField(label="Index offence", max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["supervising_officer"]
        field.queryset = (
            User.objects.filter(is_active=True, agency__kind__in=["nps", "crc"])
            .select_related("agency")
            .order_by("last_name", "first_name")
        )
        field.label_from_instance = lambda user: f"{user} ({user.agency})"


class ConditionForm(GovukForm):
    condition_type = forms.ChoiceField(
        label="Type of condition",
        choices=ConditionType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select standard or additional"},
    )
    text = TextareaField(
        label="Wording of the condition",
        rows=3,
        error_messages={"required": "Enter the wording of the condition"},
    )
    is_drug_testing = forms.BooleanField(
        label="This condition requires drug testing (test on licence)", required=False
    )


class BreachForm(GovukForm):
    occurred_on = _date("Date of the breach")
    condition = forms.ModelChoiceField(
        label="Condition breached",
        queryset=None,
        required=False,
        empty_label="Not a specific condition",
    )
    evidence = TextareaField(
        label="Evidence",
        rows=4,
        help_text="What happened, who saw it, and where it is recorded",
        error_messages={"required": "Describe the evidence of the breach"},
    )

    def __init__(self, *args, licence, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["condition"].queryset = licence.conditions.all()


class SanctionForm(GovukForm):
    level = forms.TypedChoiceField(
        label="Step of the sanctions ladder",
        choices=[
            (SanctionLevel.WRITTEN_WARNING.value, SanctionLevel.WRITTEN_WARNING.label),
            (
                SanctionLevel.DISTRICT_MANAGER_WARNING.value,
                SanctionLevel.DISTRICT_MANAGER_WARNING.label,
            ),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        help_text="To recall, start a recall from the breach",
        error_messages={"required": "Select the step of the sanctions ladder"},
    )
    issued_on = _date("Date issued")
    breach = forms.ModelChoiceField(
        label="Breach it answers", queryset=None, required=False, empty_label="None"
    )
    notes = TextareaField(rows=3, required=False)
    skip_reason = TextareaField(
        label="Why earlier steps were skipped",
        rows=3,
        required=False,
        help_text="Only when this step comes before the steps below it",
    )

    def __init__(self, *args, licence, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["breach"].queryset = licence.breaches.all()
        self.fields["breach"].label_from_instance = lambda breach: (
            f"{long_date(breach.occurred_on)}: {breach.evidence[:60]}"
        )


class RecallForm(GovukForm):
    reason = TextareaField(
        label="Why is recall being sought?",
        rows=4,
        error_messages={"required": "Say why recall is being sought"},
    )
    recommendation = TextareaField(
        label="Recommendation",
        rows=3,
        required=False,
        help_text="For the recall pack: for example, standard recall; arrest within 24 hours",
    )
    skip_reason = TextareaField(
        label="Why the warnings were skipped",
        rows=3,
        required=False,
        help_text="Needed when no District Manager's warning has been given on this licence",
    )


class RecallStepForm(GovukForm):
    """One checklist step, at the time it was actually done (today and now unless given)."""

    step = forms.ChoiceField(choices=RECALL_STEPS, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    done_on = _date("Date done", required=False)
    done_time = forms.TimeField(label="Time done", required=False, help_text="For example, 14:30")
    out_of_order_reason = forms.CharField(
        label="Why this step is done out of order",
        required=False,
        max_length=500,
        help_text="Only when a later step is already ticked",
    )

    def clean(self):
        data = super().clean()
        day, time = data.get("done_on"), data.get("done_time")
        if day is None and time is None:
            data["at"] = None
        else:
            now = timezone.localtime()
            day = day or now.date()
            time = time or (now.time() if day == now.date() else datetime.time(12))
            at = timezone.make_aware(datetime.datetime.combine(day, time.replace(second=0)))
            # Typed to the minute: the current minute means now.
            if at <= timezone.now() < at + datetime.timedelta(minutes=1):
                at = timezone.now()
            data["at"] = at
            if data["at"] > timezone.now():
                self.add_error("done_time", "The time done cannot be in the future")
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "version": data["version"],
            "step": data["step"],
            "at": data["at"],
            "out_of_order_reason": data["out_of_order_reason"],
        }


# Free additions the decision form offers at once (the officer adds what is not on record).
ADDITION_ROWS = 3


class RecallDecisionForm(GovukForm):
    """Consider a recall: why, what was tried (ticked from the record, or added), the type."""

    grounds = forms.ChoiceField(
        label="Why is recall being considered?",
        choices=RecallGrounds.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why recall is considered"},
    )
    chosen = forms.MultipleChoiceField(
        label="Alternatives to recall tried",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="From the record. Untick what does not bear on the decision",
    )
    recall_type = forms.ChoiceField(
        label="Decision",
        choices=RecallType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select standard recall, fixed-term recall or no recall"},
    )
    rationale = TextareaField(
        label="Rationale for the decision",
        rows=4,
        error_messages={"required": "Give the rationale for the decision"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].choices = [(c.source, c.label) for c in candidates]
        kinds = [("", "Choose the kind"), *AlternativeKind.choices]
        for row in range(ADDITION_ROWS):
            self.fields[f"add_{row}_kind"] = forms.ChoiceField(
                label=f"Other alternative {row + 1}: kind", choices=kinds, required=False
            )
            self.fields[f"add_{row}_description"] = forms.CharField(
                label=f"Other alternative {row + 1}: what was tried",
                max_length=255,
                required=False,
            )
            self.fields[f"add_{row}_on"] = _date(
                f"Other alternative {row + 1}: date", required=False
            )
            self.fields[f"add_{row}_result"] = forms.CharField(
                label=f"Other alternative {row + 1}: what came of it",
                max_length=255,
                required=False,
            )

    def addition_rows(self) -> list[list]:
        return [
            [self[f"add_{row}_{part}"] for part in ("kind", "description", "on", "result")]
            for row in range(ADDITION_ROWS)
        ]

    def clean(self):
        data = super().clean()
        for row in range(ADDITION_ROWS):
            if data.get(f"add_{row}_description") and not data.get(f"add_{row}_kind"):
                self.add_error(f"add_{row}_kind", "Select the kind of the alternative")
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        additions = [
            {
                "kind": data[f"add_{row}_kind"],
                "description": data[f"add_{row}_description"],
                "on": data[f"add_{row}_on"],
                "result": data[f"add_{row}_result"],
            }
            for row in range(ADDITION_ROWS)
            if data.get(f"add_{row}_description")
        ]
        return {
            "version": data["version"],
            "grounds": data["grounds"],
            "recall_type": data["recall_type"],
            "rationale": data["rationale"],
            "chosen": data["chosen"],
            "additions": additions,
        }


class CountersignForm(GovukForm):
    rationale = TextareaField(
        label="Your rationale as countersigning manager",
        rows=3,
        error_messages={"required": "Give the rationale for countersigning"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DossierPartForm(GovukForm):
    part = forms.ChoiceField(choices=DOSSIER_PARTS, widget=forms.HiddenInput)
    note = forms.CharField(label="Where it is held", max_length=255, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class RecommendationForm(GovukForm):
    recommendation = TextareaField(label="Recommendation", rows=3, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CancelRecallForm(GovukForm):
    cancelled_reason = TextareaField(
        label="Why is the recall cancelled?",
        rows=3,
        error_messages={"required": "Say why the recall is cancelled"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DrugTestForm(GovukForm):
    tested_on = _date("Date of the test")
    outcome = forms.ChoiceField(
        label="Result",
        choices=TestOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the result of the test"},
    )
    class_a_substances = forms.CharField(
        label="Class A drugs found",
        max_length=120,
        required=False,
        help_text="Required for a positive test. For example, opiates, cocaine",
    )
    other_substances = forms.CharField(
        label="Other substances found",
        max_length=120,
        required=False,
        help_text="For example, cannabis, benzodiazepines",
    )
    notes = TextareaField(rows=3, required=False)


# The headings of the measure's choices.
_MEASURE_GROUPS = {
    MeasureCategory.BAIL: "Bail conditions",
    MeasureCategory.CIVIL_ORDER: "Civil orders",
    MeasureCategory.ENFORCEMENT: "Targeted enforcement",
}


class MeasureForm(GovukForm):
    kind = forms.ChoiceField(
        label="Measure",
        choices=[
            (group, [(kind.value, kind.label) for kind in KINDS_OF_CATEGORY[category]])
            for category, group in _MEASURE_GROUPS.items()
        ],
        error_messages={"required": "Select the measure"},
    )
    details = TextareaField(
        label="Details",
        rows=3,
        required=False,
        help_text="The police station and times, the address, the zone, or the terms",
    )
    imposed_by = forms.CharField(
        label="Imposed by",
        max_length=120,
        required=False,
        help_text="The court, agency or officer",
    )
    curfew_from = forms.TimeField(
        label="Curfew from", required=False, help_text="For a curfew. For example, 19:00"
    )
    curfew_until = forms.TimeField(
        label="Curfew until", required=False, help_text="For a curfew. For example, 07:00"
    )
    starts_on = _date("Start date")
    ends_on = _date("End date", required=False)


class MeasureChangeForm(GovukForm):
    status = forms.ChoiceField(
        label="Status", choices=MeasureStatus.choices, widget=forms.RadioSelect
    )
    ends_on = _date("End date", required=False, hint="Required to end it. " + DATE_HINT)
    details = TextareaField(rows=3, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
