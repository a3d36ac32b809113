"""Form fields that follow GOV.UK Design System patterns."""

import datetime

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from . import formatting, govuk_fields


def in_sentence(label: str) -> str:
    """A field's label as it reads inside a sentence: "Date of birth" -> "date of birth",
    "PNC ID" stays "PNC ID"."""
    return formatting.in_sentence(str(label).strip().rstrip("?:."))


_NO_ARTICLE = (
    "the ",
    "a ",
    "an ",
    "your ",
    "who ",
    "whom ",
    "why ",
    "what ",
    "when ",
    "where ",
    "how ",
    "which ",
)


def field_words(field: forms.Field, name: str = "") -> str:
    """How an error message names the field inside a sentence: "the date of birth"."""
    described = getattr(field, "described_as", "")
    if described:
        return described
    label = str(field.label or name.replace("_", " ").capitalize() or "this")
    if label.endswith("?"):
        return "an answer"
    words = in_sentence(label)
    return words if words.startswith(_NO_ARTICLE) else f"the {words}"


def field_subject(field: forms.Field, name: str = "") -> str:
    """How an error message starts with the field: "Date of birth must be a real date"."""
    described = getattr(field, "described_as", "")
    if described:
        return described[:1].upper() + described[1:]
    label = str(field.label or name.replace("_", " ").capitalize() or "This")
    return "The answer" if label.endswith("?") else label.rstrip(":. ")


def _default_messages(field: forms.Field) -> dict:
    defaults = {}
    for klass in reversed(type(field).__mro__):
        defaults.update(getattr(klass, "default_error_messages", {}))
    return defaults


def govuk_error_messages(field: forms.Field, name: str = "") -> None:
    """Give ``field`` GOV.UK error messages wherever it still has Django's: each names the
    field ("Enter the surname", "Select the lead agency", "Year must be a number"). Messages
    a form sets itself are kept."""
    subject = field_subject(field, name)
    words = field_words(field, name)
    choosing = isinstance(
        field,
        forms.ChoiceField
        | forms.ModelChoiceField
        | forms.BooleanField
        | forms.FileField
        | forms.MultipleChoiceField,
    )
    ours = {
        "required": f"Select {words}" if choosing else f"Enter {words}",
        "invalid_choice": f"Select {words} from the list",
        "invalid_list": f"Select {words} from the list",
        "invalid_pk_value": f"Select {words} from the list",
        "max_length": f"{subject} must be %(limit_value)d characters or fewer",
        "min_length": f"{subject} must be %(limit_value)d characters or more",
        "max_value": f"{subject} must be %(limit_value)s or less",
        "min_value": f"{subject} must be %(limit_value)s or more",
        "step_size": f"{subject} must be a multiple of %(limit_value)s",
        "max_digits": f"{subject} must be %(max)s digits or fewer",
        "max_decimal_places": f"{subject} must have %(max)s decimal places or fewer",
        "max_whole_digits": f"{subject} must have %(max)s digits or fewer before the point",
    }
    if isinstance(field, forms.IntegerField):
        ours["invalid"] = f"{subject} must be a whole number"
    if isinstance(field, forms.FloatField | forms.DecimalField):
        ours["invalid"] = f"{subject} must be a number"
    if isinstance(field, forms.DateField):
        ours["invalid"] = f"{subject} must be a real date"
    if isinstance(field, forms.TimeField):
        ours["invalid"] = f"{subject} must be a real time, like 14:30"
    if isinstance(field, forms.DateTimeField):
        ours["invalid"] = f"{subject} must be a real date and time"
    if isinstance(field, forms.EmailField):
        ours["invalid"] = "Enter an email address in the correct format, like name@example.com"
    if isinstance(field, forms.JSONField):
        ours["invalid"] = f"{subject} must be written as JSON, like [18, 25]"
    if isinstance(field, forms.FileField):
        ours["invalid"] = f"{subject} must be a file"
        ours["missing"] = f"Select {words}"
        ours["empty"] = "The selected file is empty"
        ours["max_length"] = "The file name must be %(max)d characters or fewer"
        ours["contradiction"] = "Either select a new file or remove the current one"
    if isinstance(field, forms.ImageField):
        ours["invalid_image"] = f"{subject} must be an image"
    defaults = _default_messages(field)
    for code, message in ours.items():
        current = field.error_messages.get(code)
        if current is None or str(current) == str(defaults.get(code)):
            field.error_messages[code] = message
    if isinstance(field, forms.MultiValueField):
        if str(field.error_messages.get("incomplete")) == str(defaults.get("incomplete")):
            field.error_messages["incomplete"] = f"Enter {words} in full"
        for part in field.fields:
            govuk_error_messages(part, name)


class GovukErrorsMixin:
    """Every field of the form gives GOV.UK error messages, not Django's defaults."""

    def full_clean(self):
        # Here rather than in __init__: forms add fields and change labels after it.
        for name, field in self.fields.items():
            govuk_error_messages(field, name)
        super().full_clean()


def _empty_value(field: forms.Field):
    """What a field cleans to when nothing was entered."""
    if isinstance(field, forms.MultipleChoiceField):
        return []
    if hasattr(field, "empty_value"):  # text, typed choices
        return field.empty_value
    return "" if isinstance(field, forms.ChoiceField) else None


class GovukForm(GovukErrorsMixin, forms.Form):
    """The project's form: GOV.UK error messages on every field.

    ``reveals`` follows the GOV.UK conditional reveal pattern: for a radio field, the fields
    each of its choices reveals, drawn under that choice and hidden until it is chosen, as in
    ``{"handling_code": {"C": ("handling_conditions",)}}``. A revealed field is checked only
    when its choice is made: otherwise what it holds (typed before another choice was made) is
    dropped and a required one is not asked for.
    """

    reveals: dict[str, dict[str, tuple[str, ...]]] = {}

    def _revealing(self) -> dict[str, tuple[str, str]]:
        """Each revealed field's (parent field, choice that reveals it)."""
        return {
            child: (parent, value)
            for parent, choices in self.reveals.items()
            for value, children in choices.items()
            for child in children
            if child in self.fields and parent in self.fields
        }

    @property
    def top_fields(self) -> list:
        """The bound fields drawn at the top level: those no choice reveals."""
        revealing = self._revealing()
        return [self[name] for name in self.fields if name not in revealing]

    def revealed_by(self, name: str, value) -> list:
        """The bound fields the choice ``value`` of field ``name`` reveals."""
        children = self.reveals.get(name, {}).get(str(value), ())
        return [self[child] for child in children if child in self.fields]

    def _unrevealed(self) -> list[str]:
        """The revealed fields whose choice was not made (nor their parent's, if nested)."""
        revealing = self._revealing()

        def is_unrevealed(name: str) -> bool:
            if name not in revealing:
                return False
            parent, value = revealing[name]
            chosen = self.cleaned_data.get(parent)
            return is_unrevealed(parent) or chosen is None or str(chosen) != value

        return [name for name in revealing if is_unrevealed(name)]

    def clean(self):
        cleaned = super().clean()
        for name in self._unrevealed():
            self._errors.pop(name, None)
            cleaned[name] = _empty_value(self.fields[name])
        return cleaned


class GovukModelForm(GovukErrorsMixin, forms.ModelForm):
    """The project's model form: GOV.UK error messages on every field."""


class GovukDateWidget(forms.MultiWidget):
    """Three inputs (day, month, year), as the GOV.UK date input pattern asks."""

    parts = ("day", "month", "year")

    def __init__(self, attrs=None):
        widgets = {
            part: forms.TextInput(attrs={"inputmode": "numeric", **(attrs or {})})
            for part in self.parts
        }
        super().__init__(widgets, attrs)

    def render(self, name, value, attrs=None, renderer=None):
        """The GOV.UK date input, drawn as every other form field is (``iom.govuk_fields``)."""
        return govuk_fields.date_input(self.get_context(name, value, attrs)["widget"])

    def value_from_datadict(self, data, files, name):
        # A link may give the date whole, as 2026-09-01: it fills the three inputs.
        whole = data.get(name)
        if whole and not any(data.get(f"{name}_{part}") for part in self.parts):
            if isinstance(whole, datetime.date):
                return self.decompress(whole)
            try:
                return self.decompress(datetime.date.fromisoformat(str(whole)))
            except ValueError:
                pass
        return super().value_from_datadict(data, files, name)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class TextareaField(forms.CharField):
    """Free text typed in a GOV.UK textarea ``rows`` lines high."""

    def __init__(self, *, rows: int = 3, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with a message that names what is wrong."""

    widget = GovukDateWidget

    def __init__(self, *, described_as: str = "", **kwargs):
        # How messages name the date when the label does not read in a sentence:
        # label "Seen from", described_as "the date it was first seen".
        self.described_as = described_as
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        subject = field_subject(self)
        day, month, year = (part.strip() if part else "" for part in data_list)
        missing = [
            name
            for name, part in zip(("day", "month", "year"), (day, month, year), strict=True)
            if not part
        ]
        if missing:
            raise ValidationError(f"{subject} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{subject} must be a real date")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{subject} must be a real date") from None


class SignInForm(GovukErrorsMixin, auth_forms.AuthenticationForm):
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password: passwords are case-sensitive",
        "inactive": "This account is not active: ask your service administrator",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        # Django sets the length after the field is made, so nothing checks it: a longer name
        # would reach the sign-in attempts table (255 characters) and fail there.
        username.validators.append(MaxLengthValidator(username.max_length or 150))
        username.error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class OneTimeCodeForm(GovukForm):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code your authenticator app shows now",
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter the security code"},
    )


PASSWORD_HINT = (
    "At least 12 characters. Not a common password, not only numbers, and not like your name "
    "or username."
)


def _govuk_password_fields(form) -> None:
    form.fields["new_password1"].label = "New password"
    form.fields["new_password1"].help_text = PASSWORD_HINT
    form.fields["new_password1"].error_messages["required"] = "Enter a new password"
    form.fields["new_password2"].label = "Confirm new password"
    form.fields["new_password2"].help_text = ""
    form.fields["new_password2"].error_messages["required"] = "Enter the new password again"


class SetPasswordForm(GovukErrorsMixin, auth_forms.SetPasswordForm):
    error_messages = {
        **auth_forms.SetPasswordForm.error_messages,
        "password_mismatch": "The two passwords do not match: enter the same password twice",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _govuk_password_fields(self)


class PasswordChangeForm(GovukErrorsMixin, auth_forms.PasswordChangeForm):
    error_messages = {
        **SetPasswordForm.error_messages,
        "password_incorrect": "Your current password is wrong: enter it again",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _govuk_password_fields(self)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: each field's message beside its field, anything
    else (or a field the form does not have) at the top, in the error summary."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)
