"""Forms of the Offending and Risk sections, the feed upload and the run trigger."""

from django import forms

from iom.forms import GovukDateField

from . import feed_file
from .models import Band, DynamicFactorKind

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# A file with a NUL byte on every line would otherwise list thousands of them.
SHOWN_PROBLEMS = 20


class OverrideForm(forms.Form):
    band = forms.ChoiceField(label="Band officers should work to", choices=Band.choices,
                             widget=forms.RadioSelect)  # fmt: skip
    reason = forms.CharField(
        label="Why the computed band is not right",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="This is recorded in the audit log and shown beside the computed band.",
    )
    expires_on = GovukDateField(
        label="Last day the override applies",
        help_text="After this day the computed band applies again. For example, 31 3 2027",
    )


class EndOverrideForm(forms.Form):
    override = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)


class DynamicFactorForm(forms.Form):
    factor = forms.ChoiceField(label="Factor", choices=DynamicFactorKind.choices,
                               widget=forms.RadioSelect)  # fmt: skip
    started_on = GovukDateField(label="Seen from", help_text="For example, 27 3 2026")
    note = forms.CharField(label="Note", max_length=255, required=False)


class EndDynamicFactorForm(forms.Form):
    factor = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    ended_on = GovukDateField(label="Ended on")


class CustodyPeriodForm(forms.Form):
    started_on = GovukDateField(label="In custody from", help_text="For example, 27 3 2026")
    ended_on = GovukDateField(
        label="Released on", required=False, help_text="Leave empty while the person is inside."
    )
    establishment = forms.CharField(label="Prison or establishment", max_length=120,
                                    required=False)  # fmt: skip


class ResidencePeriodForm(forms.Form):
    in_area = forms.TypedChoiceField(
        label="Where the person lives or stays",
        choices=[("yes", "In the area"), ("no", "Out of the area")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    started_on = GovukDateField(label="From", help_text="For example, 27 3 2026")
    ended_on = GovukDateField(label="To", required=False, help_text="Leave empty if it goes on.")
    details = forms.CharField(label="Details", max_length=200, required=False)


class ImportUploadForm(forms.Form):
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
            raise forms.ValidationError("The file must be smaller than 50 MB.")
        try:
            return upload.name, feed_file.read_text(upload.read())
        except feed_file.UnreadableFile as error:
            raise forms.ValidationError(
                [feed_file.describe(problem) for problem in error.errors[:SHOWN_PROBLEMS]]
            ) from None
