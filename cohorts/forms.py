from django import forms

from iom.forms import GovukDateField, GovukForm, GovukModelForm, TextareaField
from iom.models import LEAD_AGENCY_KINDS, Agency, Team, User

from .models import (
    EngagementStatus,
    ExitReason,
    MembershipStatus,
    NeighbourhoodPolicingArea,
    Nominal,
)
from .services.erasure import ErasureGround

PERSON_FIELDS = [
    "first_names",
    "surname",
    "date_of_birth",
    "gender",
    "pnc_id",
    "cro_number",
    "crn",
    "prison_number",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "neighbourhood",
]


class PersonForm(GovukModelForm):
    """A person's details, as typed. Validation of formats and uniqueness is the service's,
    so that pages and the API give the same messages."""

    date_of_birth = GovukDateField(
        label="Date of birth",
        help_text="For example, 27 3 1990",
        error_messages={"required": "Enter the date of birth"},
    )

    class Meta:
        model = Nominal
        fields = PERSON_FIELDS
        help_texts = {
            "pnc_id": "For example, 2009/0123456A",
            "cro_number": "For example, 123456/09X",
            "crn": "For example, X123456",
            "prison_number": "For example, A1234BC",
        }
        error_messages = {
            "first_names": {"required": "Enter the first names"},
            "surname": {"required": "Enter the surname"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = NeighbourhoodPolicingArea.objects.all()
        self.fields["neighbourhood"].empty_label = "Not known"
        self.fields["gender"].choices = [
            choice for choice in self.fields["gender"].choices if choice[0]
        ]

    def _post_clean(self):
        # The service validates and saves; the form only converts the input.
        pass


class NominalForm(PersonForm):
    """Edit a nominal's details. ``version`` carries the version the edit started from."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta(PersonForm.Meta):
        fields = [*PERSON_FIELDS, "home_easting", "home_northing", "lead_agency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = Agency.objects.filter(kind__in=LEAD_AGENCY_KINDS)
        self.fields["lead_agency"].empty_label = "Not decided"
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class EngagementForm(GovukForm):
    status = forms.ChoiceField(
        label="How is the person engaging?",
        choices=EngagementStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the person is engaging"},
    )
    on = GovukDateField(
        label="Date",
        help_text="When this was assessed. For example, 27 3 2026",
        error_messages={"required": "Enter the date"},
    )
    note = TextareaField(
        label="Note",
        rows=4,
        required=False,
        help_text="What was offered and what the person said",
    )


class MembershipStatusForm(GovukForm):
    status = forms.ChoiceField(
        label="Status on the cohort",
        choices=[
            (MembershipStatus.ACTIVE, "Active"),
            (MembershipStatus.IN_CUSTODY, "In custody"),
            (MembershipStatus.DEVOLVED, "Devolved to a neighbourhood policing team"),
        ],
        widget=forms.RadioSelect,
    )
    devolved_to = forms.ModelChoiceField(
        label="Neighbourhood policing team",
        queryset=Team.objects.none(),
        required=False,
        empty_label="Choose when devolving",
        help_text="The record is shared with this team while the case is devolved to it",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["devolved_to"].queryset = neighbourhood_teams()


def neighbourhood_teams():
    return Team.objects.filter(is_neighbourhood=True).select_related("agency")


class ShareForm(GovukForm):
    team = forms.ModelChoiceField(
        label="Team to share the record with",
        queryset=Team.objects.none(),
        empty_label="Choose a team",
        error_messages={"required": "Select the team to share the record with"},
    )
    reason = forms.CharField(
        label="Why is the record shared with this team?",
        max_length=255,
        error_messages={"required": "Enter why the record is shared with this team"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(is_iom_unit=False).select_related(
            "agency"
        )


class StopSharingForm(GovukForm):
    share_id = forms.IntegerField(widget=forms.HiddenInput)
    stop_reason = forms.CharField(
        label="Why is the record no longer shared with this team?",
        max_length=255,
        error_messages={"required": "Enter why the record is no longer shared"},
    )


class ExitForm(GovukForm):
    exit_reason = forms.ChoiceField(
        label="Why is the person leaving the cohort?",
        choices=ExitReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the person is leaving the cohort"},
    )
    exit_details = forms.CharField(
        label="Details", required=False, max_length=255, help_text="Required for 'Other'"
    )
    exited_on = GovukDateField(
        label="Date of leaving",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the person left the cohort"},
    )
    devolved_to = forms.ModelChoiceField(
        label="Neighbourhood policing team",
        queryset=Team.objects.none(),
        required=False,
        empty_label="Choose when devolving",
        help_text="Only when the case is devolved: the record is shared with this team",
    )
    # For a long custodial sentence: the custody period opened with the exit (the risk app's
    # consequence of that reason) takes these. The choices are those of its
    # ExpectedReleaseBasis, which this core module may not import.
    expected_release_on = GovukDateField(
        label="Expected release date",
        required=False,
        help_text="Only for a long custodial sentence, if known",
    )
    expected_release_basis = forms.ChoiceField(
        label="The expected release date is",
        choices=[("automatic", "Automatic release"), ("parole", "Parole eligibility")],
        widget=forms.RadioSelect,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["devolved_to"].queryset = neighbourhood_teams()


class AddPersonForm(PersonForm):
    """A person added directly by the IOM unit, without a referral."""

    confirmed_new_person = forms.BooleanField(
        label="None of the records shown is this person: add them as a new person",
        required=False,
    )

    class Meta(PersonForm.Meta):
        fields = [*PERSON_FIELDS, "lead_agency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = Agency.objects.filter(kind__in=LEAD_AGENCY_KINDS)
        self.fields["lead_agency"].empty_label = "Not decided"

    def new_person(self):
        from .services.duplicates import NewPerson

        return NewPerson(**{name: self.cleaned_data[name] for name in PERSON_FIELDS})


class AliasForm(GovukForm):
    first_names = forms.CharField(label="First names", max_length=100, required=False)
    surname = forms.CharField(
        label="Surname", max_length=100, error_messages={"required": "Enter the surname"}
    )
    date_of_birth = GovukDateField(
        label="Date of birth used with this name",
        required=False,
        help_text="Only if it differs. For example, 27 3 1990",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class OffenderManagersForm(GovukForm):
    offender_managers = forms.ModelMultipleChoiceField(
        label="Offender managers",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label="Why do the offender managers change?",
        max_length=255,
        error_messages={"required": "Say why the offender managers change"},
    )

    def __init__(self, *args, **kwargs):
        from .services import offender_manager_candidates

        super().__init__(*args, **kwargs)
        field = self.fields["offender_managers"]
        field.queryset = offender_manager_candidates().filter(is_system_account=False)
        field.label_from_instance = lambda user: f"{user}, {user.agency}"


class PhotographForm(GovukForm):
    photograph = forms.FileField(
        label="Photograph",
        help_text="A JPEG or PNG image, smaller than 5 MB",
        error_messages={"required": "Select a photograph to upload"},
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ErasureForm(GovukForm):
    ground = forms.ChoiceField(
        label="Why is the record to be erased?",
        choices=ErasureGround.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the record is to be erased"},
    )
    decision = forms.CharField(
        label="Reference of the decision",
        help_text="The decision log, panel minute or court order that decided the erasure",
        max_length=200,
        error_messages={
            "required": "Enter the reference of the decision to erase the record",
            "max_length": "The decision reference must be 200 characters or fewer",
        },
    )
    confirmation = forms.CharField(
        label="Type the person's surname to confirm",
        max_length=120,
        error_messages={"required": "Enter the person's surname to confirm the erasure"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
