"""Forms of the pathway pages. They check the shape of what was typed; the services check the
rules (who may act, which agency, dates) and name the field at fault."""

from django import forms

from iom.forms import GovukDateField, GovukForm, TextareaField
from iom.models import Agency, Role, User

from .models import NeedLevel, PathwayStatus

NOT_ASSESSED = ("", "Not assessed yet")


def _workers():
    return (
        User.objects.filter(is_active=True, agency__isnull=False)
        .exclude(role=Role.ADMINISTRATOR)
        .select_related("agency")
        .order_by("agency__name", "last_name", "first_name")
    )


def _worker_label(user) -> str:
    return f"{user} ({user.agency})"


class PathwayForm(GovukForm):
    need = forms.ChoiceField(
        label="Assessed need",
        choices=[NOT_ASSESSED, *NeedLevel.choices],
        widget=forms.RadioSelect,
        required=False,
    )
    need_assessed_on = GovukDateField(
        label="Date the need was assessed",
        required=False,
        help_text="If the need has changed. Leave blank for today. For example, 14 11 2026",
    )
    contact_agency = forms.ModelChoiceField(
        label="Contact agency", queryset=Agency.objects.all(), required=False
    )
    contact_worker = forms.ModelChoiceField(
        label="Named worker", queryset=User.objects.none(), required=False
    )
    aims = TextareaField(
        label="Aims and objectives",
        rows=4,
        required=False,
    )
    review_date = GovukDateField(
        label="Review date", required=False, help_text="For example, 8 1 2027"
    )
    status = forms.ChoiceField(
        choices=PathwayStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status of the pathway"},
    )
    closing_reason = forms.CharField(
        label="Reason for closing",
        required=False,
        help_text="Only when the status is closed",
        max_length=255,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_worker"].queryset = _workers()
        self.fields["contact_worker"].label_from_instance = _worker_label

    def clean(self):
        data = super().clean()
        if data.get("status") == PathwayStatus.CLOSED and not data.get("closing_reason"):
            self.add_error("closing_reason", "Give the reason for closing the pathway")
        return data


class ActionForm(GovukForm):
    description = forms.CharField(
        label="What is to be done",
        max_length=255,
        error_messages={"required": "Say what is to be done"},
    )
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.all(), required=False, empty_label="Choose"
    )
    assigned_to = forms.ModelChoiceField(
        label="By whom",
        queryset=User.objects.none(),
        error_messages={"invalid_choice": "Select who does it from the list"},
        required=False,
        empty_label="No one named",
    )
    due_on = GovukDateField(
        label="Date due", described_as="the date due", help_text="For example, 3 12 2026"
    )
    done_on = GovukDateField(label="Date done", required=False)
    outcome = TextareaField(label="Outcome", rows=3, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, agency=None, **kwargs):
        """``agency``: the partner's own agency, when they may record only its actions."""
        super().__init__(*args, **kwargs)
        workers = _workers()
        if agency is not None:
            self.fields["agency"].queryset = Agency.objects.filter(pk=agency.pk)
            self.fields["agency"].initial = agency.pk
            self.fields["agency"].empty_label = None
            workers = workers.filter(agency=agency)
        self.fields["assigned_to"].queryset = workers
        self.fields["assigned_to"].label_from_instance = _worker_label
        self.fields["due_on"].error_messages["required"] = "Enter the date the action is due"


class ReviewForm(GovukForm):
    reviewed_on = GovukDateField(
        label="Date of the review", error_messages={"required": "Enter the date of the review"}
    )
    notes = TextareaField(
        label="What the review found",
        rows=4,
        error_messages={"required": "Say what the review found"},
    )
    next_review_date = GovukDateField(label="Next review date", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
