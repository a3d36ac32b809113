"""Forms of the custody page: into custody, expected release, the day-of-release plan, release."""

from django import forms

from iom.forms import GovukDateField, GovukForm, TextareaField
from iom.models import Agency, Team

from .custody import RELEASE_PLAN_ITEMS
from .models import CustodyKind, ExpectedReleaseBasis


def _basis() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="The expected release date is",
        choices=ExpectedReleaseBasis.choices,
        widget=forms.RadioSelect,
        required=False,
    )


class OpenCustodyForm(GovukForm):
    kind = forms.ChoiceField(
        label="Why is the person in custody?",
        choices=CustodyKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the person is in custody"},
    )
    starts_on = GovukDateField(label="In custody from", help_text="For example, 27 3 2026")
    expected_release_on = GovukDateField(
        label="Expected release date",
        required=False,
        help_text="The automatic release date, or the parole eligibility date",
    )
    expected_release_basis = _basis()
    establishment = forms.CharField(label="Prison or establishment", max_length=120, required=False)


class ExpectedReleaseForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    expected_release_on = GovukDateField(label="Expected release date")
    expected_release_basis = _basis()


class ReleasePlanItemForm(GovukForm):
    item = forms.ChoiceField(label="Item of the plan", choices=RELEASE_PLAN_ITEMS)
    owner_agency = forms.ModelChoiceField(
        label="Agency responsible",
        queryset=Agency.objects.order_by("name"),
        error_messages={"required": "Select the agency responsible"},
    )
    due_on = GovukDateField(label="Date due", error_messages={"required": "Enter the date due"})
    details = TextareaField(label="Details", max_length=500, required=False, rows=2)

    def __init__(self, *args, planned=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [
            (key, title) for key, title in RELEASE_PLAN_ITEMS if key not in planned
        ]


class ReleaseForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    released_on = GovukDateField(label="Released on", help_text="For example, 27 3 2026")
    licence_expiry_date = GovukDateField(
        label="Licence expiry date",
        required=False,
        help_text="To record the licence the person is released on, if it is not recorded yet",
    )
    sentence_expiry_date = GovukDateField(label="Sentence expiry date", required=False)


class PlanItemChangeForm(GovukForm):
    """An item of the day-of-release plan: who is responsible, when, and its details."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    owner_agency = forms.ModelChoiceField(
        label="Agency responsible",
        queryset=Agency.objects.order_by("name"),
        error_messages={
            "required": "Select the agency responsible",
            "invalid_choice": "Select the agency responsible",
        },
    )
    owner_team = forms.ModelChoiceField(
        label="Team responsible",
        help_text="A team of that agency, if one team does it; its My work shows the item",
        queryset=Team.objects.select_related("agency").order_by("agency__name", "name"),
        required=False,
        error_messages={"invalid_choice": "Select a team of the agency responsible"},
    )
    due_on = GovukDateField(label="Date due", error_messages={"required": "Enter the date due"})
    details = TextareaField(
        label="Details",
        max_length=500,
        required=False,
        rows=3,
        error_messages={"max_length": "Details must be 500 characters or fewer"},
    )
