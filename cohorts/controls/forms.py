from django import forms

from iom.formatting import in_sentence, long_date
from iom.forms import GovukDateField, GovukForm
from iom.models import User

from .models import (
    RECALL_STEPS,
    ConditionType,
    MeasureKind,
    MeasureStatus,
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
        error_messages={"required": "Choose standard or additional"},
    )
    text = forms.CharField(
        label="Wording of the condition",
        widget=forms.Textarea(attrs={"rows": 3}),
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
    evidence = forms.CharField(
        label="Evidence",
        widget=forms.Textarea(attrs={"rows": 4}),
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
        error_messages={"required": "Choose the step of the sanctions ladder"},
    )
    issued_on = _date("Date issued")
    breach = forms.ModelChoiceField(
        label="Breach it answers", queryset=None, required=False, empty_label="None"
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    skip_reason = forms.CharField(
        label="Why earlier steps were skipped",
        widget=forms.Textarea(attrs={"rows": 3}),
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
    reason = forms.CharField(
        label="Why is recall being sought?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why recall is being sought"},
    )
    recommendation = forms.CharField(
        label="Recommendation",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="For the recall pack: for example, standard recall; arrest within 24 hours",
    )
    skip_reason = forms.CharField(
        label="Why the warnings were skipped",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Needed when no District Manager's warning has been given on this licence",
    )


class RecallStepForm(GovukForm):
    step = forms.ChoiceField(choices=RECALL_STEPS, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)


class RecommendationForm(GovukForm):
    recommendation = forms.CharField(
        label="Recommendation", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CancelRecallForm(GovukForm):
    cancelled_reason = forms.CharField(
        label="Why is the recall cancelled?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the recall is cancelled"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DrugTestForm(GovukForm):
    tested_on = _date("Date of the test")
    outcome = forms.ChoiceField(
        label="Result",
        choices=TestOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the result of the test"},
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
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class MeasureForm(GovukForm):
    kind = forms.ChoiceField(
        label="Measure",
        choices=[
            ("Bail conditions", MeasureKind.choices[:7]),
            ("Civil orders", MeasureKind.choices[7:9]),
            ("Targeted enforcement", MeasureKind.choices[9:]),
        ],
        error_messages={"required": "Choose the measure"},
    )
    details = forms.CharField(
        label="Details",
        widget=forms.Textarea(attrs={"rows": 3}),
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
    details = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
