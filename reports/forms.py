from django import forms

from iom.forms import GovukDateField, GovukForm

from .models import DocumentKind


class DocumentRequestForm(GovukForm):
    kind = forms.ChoiceField(
        label="Which document?",
        choices=DocumentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the document to produce"},
    )


class DashboardPeriodForm(GovukForm):
    """Which month the dashboard shows (the last 24, newest first)."""

    month = forms.ChoiceField(label="Month", required=False)

    def __init__(self, *args, months=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["month"]
        field.choices = [(f"{period.start:%Y-%m}", f"{period.start:%B %Y}") for period in months]
        if months:
            field.error_messages["invalid_choice"] = (
                f"Select a month from {months[-1].start:%B %Y} to {months[0].start:%B %Y}, "
                "given as YYYY-MM"
            )


class ReportRequestForm(GovukForm):
    start = GovukDateField(
        label="From", described_as="the first day of the period", help_text="For example, 1 10 2026"
    )
    end = GovukDateField(
        label="To", described_as="the last day of the period", help_text="For example, 31 10 2026"
    )
    with_annex = forms.BooleanField(
        label="Add a named annex listing the people in the cohort (a separate download; each "
        "download is logged as a disclosure of every person listed)",
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None and "start" not in self.errors:
            self.add_error("start", "Enter the first day of the period")
        if end is None and "end" not in self.errors:
            self.add_error("end", "Enter the last day of the period")
        return cleaned
