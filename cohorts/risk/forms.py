"""Forms of the Offending and Risk sections, the feed upload and the run trigger."""

from django import forms

from iom.forms import GovukDateField, GovukForm, TextareaField

from . import feed_file
from .models import (
    ArrestGrounds,
    Band,
    DetectionOutcome,
    DynamicFactorKind,
    GradingSystem,
    HandlingCode,
    IntelligenceSource,
    OffenceType,
    SanctionKind,
)
from .models.intelligence import (
    HANDLING_CODES,
    INTELLIGENCE_ASSESSMENT_NAMES,
    SOURCE_EVALUATION_NAMES,
    SOURCE_EVALUATIONS,
)
from .services import override_expiry_error

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# A file with a NUL byte on every line would otherwise list thousands of them.
SHOWN_PROBLEMS = 20


class OverrideForm(GovukForm):
    band = forms.ChoiceField(label="Band officers should work to", choices=Band.choices,
                             widget=forms.RadioSelect)  # fmt: skip
    reason = TextareaField(
        label="Why the computed band is not right",
        rows=4,
        max_length=2000,
        help_text="This is recorded in the audit log and shown beside the computed band.",
    )
    expires_on = GovukDateField(
        label="Last day the override applies",
        help_text="After this day the computed band applies again, at most a year from today. "
        "For example, 31 3 2027",
    )

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        error = override_expiry_error(expires_on) if expires_on else None
        if error:
            raise forms.ValidationError(error)
        return expires_on


class EndOverrideForm(GovukForm):
    override = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)


class DynamicFactorForm(GovukForm):
    factor = forms.ChoiceField(label="Factor", choices=DynamicFactorKind.choices,
                               widget=forms.RadioSelect)  # fmt: skip
    started_on = GovukDateField(
        label="Seen from",
        described_as="the date it was first seen",
        help_text="For example, 27 3 2026",
    )
    note = forms.CharField(label="Note", max_length=255, required=False)


class EndDynamicFactorForm(GovukForm):
    factor = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    ended_on = GovukDateField(label="Ended on", described_as="the date it ended")


class CustodyPeriodForm(GovukForm):
    started_on = GovukDateField(
        label="In custody from",
        described_as="the date custody started",
        help_text="For example, 27 3 2026",
    )
    ended_on = GovukDateField(
        label="Released on",
        described_as="the date of release",
        required=False,
        help_text="Leave empty while the person is inside.",
    )
    establishment = forms.CharField(label="Prison or establishment", max_length=120,
                                    required=False)  # fmt: skip


class ResidencePeriodForm(GovukForm):
    in_area = forms.TypedChoiceField(
        label="Where the person lives or stays",
        choices=[("yes", "In the area"), ("no", "Out of the area")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    started_on = GovukDateField(
        label="From", described_as="the date it started", help_text="For example, 27 3 2026"
    )
    ended_on = GovukDateField(
        label="To",
        described_as="the date it ended",
        required=False,
        help_text="Leave empty if it goes on.",
    )
    details = forms.CharField(label="Details", max_length=200, required=False)


class ImportUploadForm(GovukForm):
    file = forms.FileField(label="CSV file", help_text="UTF-8, with the header row first.")
    source = forms.SlugField(
        label="Source system",
        initial="police",
        max_length=40,
        help_text="References are unique per source: use the same name for every import "
        "from one system.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 50 MB")
        try:
            return upload.name, feed_file.read_text(upload.read())
        except feed_file.UnreadableFile as error:
            raise forms.ValidationError(
                [feed_file.describe(problem) for problem in error.errors[:SHOWN_PROBLEMS]]
            ) from None


# --- Arrests, detections and intelligence (cohorts/risk/recording/ holds the rules) --------


def _offence_field(*, required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Offence" if required else "Offence it is about",
        queryset=OffenceType.objects.order_by("name"),
        required=required,
        empty_label="Choose the offence" if required else "Not stated",
    )


class _RecordForm(GovukForm):
    """A record's form: empty to record one; for a correction, filled from the row with the
    ``version`` it was read at (a stale one is refused by the service)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, row=None, **kwargs):
        if row is not None:
            kwargs.setdefault("initial", self.initial_from(row))
        super().__init__(*args, **kwargs)
        if row is None:
            del self.fields["version"]

    def initial_from(self, row) -> dict:
        return {
            **{name: getattr(row, name) for name in self.base_fields if hasattr(row, name)},
            "offence_type": row.offence_type_id,
        }


class ArrestForm(_RecordForm):
    arrested_on = GovukDateField(label="Date of arrest", help_text="For example, 27 3 2026")
    offence_type = _offence_field()
    grounds = forms.ChoiceField(label="Grounds", choices=ArrestGrounds.choices,
                                widget=forms.RadioSelect)  # fmt: skip
    location = forms.CharField(label="Location", max_length=200, required=False)


class DetectionForm(_RecordForm):
    committed_on = GovukDateField(label="Date of offence", help_text="For example, 27 3 2026")
    offence_type = _offence_field()
    outcome = forms.ChoiceField(label="Outcome", choices=DetectionOutcome.choices,
                                widget=forms.RadioSelect)  # fmt: skip
    sanction = forms.ChoiceField(label="Sanction", choices=SanctionKind.choices, required=False,
                                 widget=forms.RadioSelect)  # fmt: skip
    sanction_date = GovukDateField(
        label="Date of the sanction", required=False, help_text="With a conviction or caution."
    )
    location = forms.CharField(label="Scene", max_length=200, required=False)
    scene_easting = forms.IntegerField(
        label="Scene easting", required=False, min_value=0,
        help_text="British National Grid, in metres, for example 458300. Give both or neither.",
    )  # fmt: skip
    scene_northing = forms.IntegerField(
        label="Scene northing", required=False, min_value=0,
        help_text="British National Grid, in metres, for example 304900.",
    )  # fmt: skip


def _grading_fields(form: forms.Form, systems) -> None:
    letters = sorted({letter for system in systems for letter in SOURCE_EVALUATIONS[system]})
    codes = [code for system in systems for code in HANDLING_CODES[system]]
    form.fields["grading_system"].choices = [
        (value, label) for value, label in GradingSystem.choices if value in systems
    ]
    if len(systems) == 1:
        form.fields["grading_system"].widget = forms.HiddenInput()
        form.fields["grading_system"].initial = systems[0]
    form.fields["source_evaluation"].choices = [
        (letter, SOURCE_EVALUATION_NAMES[letter]) for letter in letters
    ]
    form.fields["handling_code"].choices = [
        (code, label) for code, label in HandlingCode.choices if code in codes
    ]


class GradingFields(GovukForm):
    grading_system = forms.ChoiceField(label="Grading", choices=GradingSystem.choices,
                                       widget=forms.RadioSelect)  # fmt: skip
    source_evaluation = forms.ChoiceField(label="Source evaluation", widget=forms.RadioSelect)
    intelligence_assessment = forms.TypedChoiceField(
        label="Intelligence assessment",
        choices=sorted(INTELLIGENCE_ASSESSMENT_NAMES.items()),
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    handling_code = forms.ChoiceField(
        label="Handling code",
        widget=forms.RadioSelect,
        help_text="Decides who may see the report: P and C may be shared with partners whose "
        "agreement covers intelligence; an informant's report never is.",
    )
    # Revealed under handling code C, and asked for only then (``reveals``).
    handling_conditions = forms.CharField(
        label="Conditions of sharing", max_length=255,
        help_text="Who may receive it and what they may do with it.",
    )  # fmt: skip


class IntelligenceForm(_RecordForm, GradingFields):
    """A report as the IOM unit records it: graded 3x5x2 (a 5x5x5 report, corrected, may keep
    its grading)."""

    reported_on = GovukDateField(label="Date of report", help_text="For example, 27 3 2026")
    intelligence_source = forms.ChoiceField(label="Where it came from",
                                            choices=IntelligenceSource.choices,
                                            widget=forms.RadioSelect)  # fmt: skip
    offence_type = _offence_field(required=False)
    summary = TextareaField(
        label="What the report says", max_length=4000, required=False,
        rows=5,
        help_text="Sanitised: nothing that would identify the source.",
    )  # fmt: skip
    location = forms.CharField(label="Location", max_length=200, required=False)
    field_order = [
        "reported_on", "intelligence_source", "offence_type", "summary", "location",
        "grading_system", "source_evaluation", "intelligence_assessment", "handling_code",
        "handling_conditions",
    ]  # fmt: skip
    reveals = {"handling_code": {"C": ("handling_conditions",)}}

    def __init__(self, *args, row=None, **kwargs):
        super().__init__(*args, row=row, **kwargs)
        systems = [GradingSystem.THREE_FIVE_TWO]
        if row is not None and row.grading_system not in systems:
            # An imported report keeps its grading (5x5x5, or none) unless it is re-graded;
            # code C still needs its conditions.
            if row.grading_system:
                systems.append(row.grading_system)
            for name in GradingFields.base_fields:
                if name != "handling_conditions":
                    self.fields[name].required = False
        _grading_fields(self, systems)


class SubmissionForm(GovukForm):
    """What a partner tells the IOM unit; the IOM unit grades it."""

    reported_on = GovukDateField(
        label="When you learnt it",
        described_as="the date you learnt it",
        help_text="For example, 27 3 2026",
    )
    summary = TextareaField(label="What you learnt", max_length=4000,
                              rows=6)  # fmt: skip
    offence_type = _offence_field(required=False)
    location = forms.CharField(label="Where", max_length=200, required=False)


class DecisionForm(GradingFields):
    """The IOM unit's decision on a submission: accept it graded 3x5x2, or reject it with a
    reason. Each choice reveals what it needs (``reveals``), and only that is asked for."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("accept", "Grade and accept as intelligence"), ("reject", "Reject")],
        widget=forms.RadioSelect,
    )
    summary = TextareaField(
        label="What the report says", max_length=4000, required=False,
        rows=5,
        help_text="Sanitised before it is shared: nothing that would identify the source.",
    )  # fmt: skip
    note = forms.CharField(
        label="Why it is rejected", max_length=500, help_text="The partner sees this.",
        error_messages={"required": "Say why the submission is rejected"},
    )  # fmt: skip
    field_order = [
        "decision", "summary", "grading_system", "source_evaluation",
        "intelligence_assessment", "handling_code", "handling_conditions", "note",
    ]  # fmt: skip
    reveals = {
        "decision": {
            "accept": ("summary", "grading_system", "source_evaluation",
                       "intelligence_assessment", "handling_code"),
            "reject": ("note",),
        },
        "handling_code": {"C": ("handling_conditions",)},
    }  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _grading_fields(self, [GradingSystem.THREE_FIVE_TWO])
