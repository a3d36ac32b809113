from django import forms

from .models import DocumentKind


class DocumentRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="Which document?",
        choices=DocumentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the document to produce"},
    )
