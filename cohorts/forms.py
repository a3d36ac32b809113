from django import forms

from iom.forms import GovukDateField
from iom.models import LEAD_AGENCY_KINDS, Agency

from .models import AreaKind, NeighbourhoodPolicingArea, Nominal
from .queries import SORTS


class CohortFilterForm(forms.Form):
    q = forms.CharField(
        label="Name or identifier",
        required=False,
        max_length=100,
        help_text="A name, alias, PNC ID, CRO number, CRN or prison number",
    )
    lead_agency = forms.ModelChoiceField(
        label="Lead agency",
        queryset=Agency.objects.filter(kind__in=LEAD_AGENCY_KINDS),
        required=False,
        empty_label="Any lead agency",
    )
    area = forms.ChoiceField(
        label="Area", choices=[("", "City and County"), *AreaKind.choices], required=False
    )
    neighbourhood = forms.ModelChoiceField(
        label="Neighbourhood policing area",
        queryset=NeighbourhoodPolicingArea.objects.all(),
        required=False,
        empty_label="Any neighbourhood",
    )
    sort = forms.ChoiceField(choices=[(key, key) for key in SORTS], required=False)


class NominalForm(forms.ModelForm):
    """Edit a nominal's details. ``version`` carries the version the edit started from."""

    date_of_birth = GovukDateField(label="Date of birth", help_text="For example, 27 3 1990")
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Nominal
        fields = [
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
            "lead_agency",
        ]
        help_texts = {
            "pnc_id": "For example, 2009/0123456A",
            "cro_number": "For example, 123456/09X",
            "crn": "For example, X123456",
            "prison_number": "For example, A1234BC",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = Agency.objects.filter(kind__in=LEAD_AGENCY_KINDS)
        self.fields["neighbourhood"].queryset = NeighbourhoodPolicingArea.objects.all()
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def _post_clean(self):
        # The service validates and saves; the form only converts the input.
        pass
