from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from cohorts.forms import PersonForm
from cohorts.models import CohortStream, NationalCategory
from iom.formatting import long_date
from iom.forms import GovukDateField, GovukForm, TextareaField
from iom.models import LEAD_AGENCY_KINDS, Agency, Role, Team, User

from .models import Decision, PanelDecision
from .services import PanelAction

NEW_PERSON = "new"


class ReferralForm(GovukForm):
    """What the panel needs to decide a referral."""

    stream = forms.ChoiceField(
        label="Proposed cohort stream",
        choices=CohortStream.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the cohort stream you propose"},
    )
    national_category = forms.ChoiceField(
        label="2020 category",
        choices=[("", "Not set"), *NationalCategory.choices],
        required=False,
        help_text="Fixed is neighbourhood crime: burglary, robbery, theft and vehicle crime",
    )
    proposed_lead_agency = forms.ModelChoiceField(
        label="Proposed lead agency",
        queryset=Agency.objects.filter(kind__in=LEAD_AGENCY_KINDS),
        error_messages={"required": "Select the agency you propose should lead the case"},
    )
    reasons = TextareaField(
        label="Why should IOM manage this person?",
        rows=5,
        help_text="Recent offending, the harm caused, and what has been tried",
        error_messages={"required": "Say why this person should be managed by IOM"},
    )
    supporting_information = TextareaField(
        label="Supporting information",
        rows=5,
        required=False,
        help_text="Risks to staff, current licence or orders, agencies already involved",
    )


class NewPersonForm(PersonForm):
    """The person, when they are not yet on the system."""


class MatchForm(GovukForm):
    """After duplicate detection: which existing record is this person, or none."""

    match = forms.ChoiceField(
        label="Is this one of these people?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the matching record, or say this is a new person"},
    )

    def __init__(self, *args, matches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["match"].choices = [
            *[(str(nominal.pk), _describe(nominal)) for nominal in matches],
            (NEW_PERSON, "None of these: this is a new person"),
        ]


def _describe(nominal) -> str:
    identifiers = ", ".join(
        f"{label} {value}"
        for label, value in (("PNC", nominal.pnc_id), ("CRN", nominal.crn))
        if value
    )
    return f"{nominal.listed_name}, born {long_date(nominal.date_of_birth)}" + (
        f" ({identifiers})" if identifiers else ""
    )


def iom_unit_users():
    return User.objects.filter(
        is_active=True, team__is_iom_unit=True, role__in=[Role.IOM_OFFICER, Role.MANAGER]
    ).select_related("agency")


class PanelMeetingForm(GovukForm):
    held_on = GovukDateField(label="Date of the meeting", help_text="For example, 14 3 2026")
    chair = forms.ModelChoiceField(
        label="Chair", queryset=User.objects.none(), empty_label="Choose the chair"
    )
    attending_agencies = forms.ModelMultipleChoiceField(
        label="Agencies attending",
        queryset=Agency.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the agencies that attended"},
    )
    notes = TextareaField(rows=3, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = User.objects.filter(is_active=True).filter(
            Q(role=Role.MANAGER) | Q(team__is_iom_unit=True)
        )
        self.fields["chair"].label_from_instance = lambda u: f"{u} ({u.agency})"


class DecisionForm(GovukForm):
    """The panel's decision on one referral."""

    decision = forms.ChoiceField(
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select accept, reject or defer"},
    )
    reason = TextareaField(
        label="Reason",
        rows=3,
        required=False,
        help_text="Required to reject; recorded for every decision",
    )
    deferred_until = GovukDateField(
        label="Bring back on",
        described_as="the date to bring it back",
        required=False,
        help_text="Only to defer. For example, 14 4 2026",
    )
    offender_manager = forms.ModelChoiceField(
        label="Offender manager",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose when accepting",
    )
    second_offender_manager = forms.ModelChoiceField(
        label="Second offender manager",
        queryset=User.objects.none(),
        required=False,
        empty_label="None",
    )
    share_with = forms.ModelMultipleChoiceField(
        label="Share the record with these partner teams",
        error_messages={
            "invalid_choice": "Select the partner teams from the list",
            "invalid_pk_value": "Select the partner teams from the list",
        },
        queryset=Team.objects.filter(is_iom_unit=False, is_neighbourhood=False)
        .exclude(agency__kind__in=LEAD_AGENCY_KINDS)
        .select_related("agency"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The IOM unit and the lead agency's case-holding team always see the record",
    )
    cap_override_reason = forms.CharField(
        label="Reason to accept beyond the cohort cap",
        required=False,
        help_text="Managers only, when the cohort is full",
    )
    stream = forms.ChoiceField(
        label="Cohort stream",
        choices=CohortStream.choices,
        required=False,
        help_text="The stream the referral proposed, unless the panel decides another",
    )
    lead_agency = forms.ModelChoiceField(
        label="Lead agency",
        queryset=Agency.objects.filter(kind__in=LEAD_AGENCY_KINDS),
        required=False,
        empty_label="As proposed",
        help_text="The agency the referral proposed, unless the panel decides another",
    )
    amendment_reason = TextareaField(
        label="Why the panel changed the stream or lead agency",
        rows=2,
        required=False,
    )
    minutes = TextareaField(
        label="Minutes",
        rows=4,
        required=False,
        help_text="What the panel said about this referral",
    )
    action_title = forms.CharField(
        label="Action",
        max_length=200,
        required=False,
        help_text="For example, Arrange a home visit",
    )
    action_owner = forms.ModelChoiceField(
        label="Owner of the action", queryset=User.objects.none(), required=False
    )
    action_due_on = GovukDateField(label="Action due by", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_owner"].queryset = action_owners()
        self.fields["action_owner"].label_from_instance = _user_and_agency
        for name in ("offender_manager", "second_offender_manager"):
            field = self.fields[name]
            field.queryset = (
                User.objects.filter(is_active=True, agency__isnull=False)
                .exclude(role=Role.ADMINISTRATOR)
                .select_related("agency")
            )
            field.label_from_instance = lambda u: f"{u} ({u.agency})"

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == Decision.REJECT and not data.get("reason", "").strip():
            self.add_error("reason", "Give the reason for rejecting the referral")
        if decision == Decision.DEFER and not data.get("deferred_until"):
            self.add_error("deferred_until", "Give the date to bring the referral back")
        _clean_action(self, data)
        return data

    @property
    def actions(self) -> list:
        return _actions(self.cleaned_data)

    @property
    def offender_managers(self) -> list:
        chosen = [self.cleaned_data.get(n) for n in ("offender_manager", "second_offender_manager")]
        return list(dict.fromkeys(user for user in chosen if user))


class WithdrawForm(GovukForm):
    reason = forms.CharField(
        label="Why is the referral withdrawn?",
        max_length=255,
        error_messages={"required": "Enter why the referral is withdrawn"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


def action_owners():
    """Who may own a panel action: any active user of an agency, administrators aside."""
    return (
        User.objects.filter(is_active=True, agency__isnull=False)
        .exclude(role=Role.ADMINISTRATOR)
        .select_related("agency", "team")
    )


def _user_and_agency(user) -> str:
    return f"{user} ({user.agency})"


def _clean_action(form: forms.Form, data: dict) -> None:
    """An action is a title, an owner and a due date, all three or none."""
    given = {name: data.get(name) for name in ("action_title", "action_owner", "action_due_on")}
    if not any(given.values()):
        return
    if not (given["action_title"] or "").strip():
        form.add_error("action_title", "Say what the action is")
    if given["action_owner"] is None:
        form.add_error("action_owner", "Select who owns the action")
    if given["action_due_on"] is None:
        form.add_error("action_due_on", "Give the date the action is due")


def _actions(data: dict) -> list:
    if not (data.get("action_title") or "").strip():
        return []
    return [
        PanelAction(
            title=data["action_title"].strip(),
            assignee=data["action_owner"],
            due_on=data["action_due_on"],
        )
    ]


class ActionForm(GovukForm):
    """An action the panel agreed, for its owner's My work."""

    action_title = forms.CharField(
        label="Action",
        max_length=200,
        error_messages={"required": "Say what the action is"},
    )
    action_owner = forms.ModelChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        error_messages={"required": "Select who owns the action"},
    )
    action_due_on = GovukDateField(label="Due by", help_text="For example, 14 4 2026")
    decision = forms.ModelChoiceField(
        label="About",
        queryset=PanelDecision.objects.none(),
        required=False,
        empty_label="The meeting as a whole",
    )

    def __init__(self, *args, decisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_owner"].queryset = action_owners()
        self.fields["action_owner"].label_from_instance = _user_and_agency
        if decisions is not None:
            self.fields["decision"].queryset = decisions
        self.fields["decision"].label_from_instance = lambda d: (
            f"{d.referral.nominal.listed_name} ({d.referral.reference})"
        )

    @property
    def actions(self) -> list:
        return _actions(self.cleaned_data)


class MinutesForm(GovukForm):
    minutes = TextareaField(
        label="Minutes of the meeting",
        rows=6,
        required=False,
        help_text="Who attended, what was discussed beyond each referral, anything to follow up",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


def add_errors(on_forms: list, error: ValidationError) -> None:
    """Put a service's errors on the form that has the field, or on the first form."""
    if not hasattr(error, "error_dict"):
        on_forms[0].add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        target = next((f for f in on_forms if field in f.fields), on_forms[0])
        target.add_error(field if field in target.fields else None, field_errors)
