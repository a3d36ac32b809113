"""Every validation message the service writes follows the GOV.UK style for error messages:
no full stop at the end, and "Select", not "Choose", for a choice among options.

The messages are read from the source, not from running the code, so that every one is
checked, including those of branches no test reaches. A message is any text that reaches a
``ValidationError`` (Django's or DRF's), ``add_error``, a field's ``error_messages`` or
``messages.error``: written there directly, or through a variable, a dictionary or list of
errors, a module constant, a helper function's parameter or a helper function's return value.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from django.conf import settings

from tests.validation_messages import Message, problems_with, project_sources, read_messages

APPS = ("iom", "cohorts", "referrals", "pathways", "reports")
ROOT = Path(settings.BASE_DIR)

# Messages older than the rule, still to be reworded where they are. The list may only shrink:
# a message reworded (or gone) must leave it, and no other may join it. It is empty now.
NOT_YET_REWORDED: frozenset[str] = frozenset()


def faults(messages: set[Message]) -> list[str]:
    return sorted(
        f"{m.path}:{m.line}: {m.text!r} {' and '.join(problems_with(m.text))}"
        for m in messages
        if problems_with(m.text) and m.text not in NOT_YET_REWORDED
    )


MESSAGES = read_messages(project_sources(ROOT, APPS))


def test_every_validation_message_is_in_govuk_style():
    assert not faults(MESSAGES), "\n".join(faults(MESSAGES))


def test_the_messages_not_yet_reworded_are_still_given_and_still_need_it():
    given = {m.text for m in MESSAGES}
    assert given >= NOT_YET_REWORDED, sorted(NOT_YET_REWORDED - given)
    assert all(problems_with(text) for text in NOT_YET_REWORDED)


def test_the_reader_finds_the_messages_of_services_forms_and_apis_by_every_route():
    found = {(m.path, m.text) for m in MESSAGES}
    assert len(MESSAGES) > 300
    for path, text in (
        # raised directly, field-keyed
        ("cohorts/services/people.py", "Say why the offender managers change"),
        # a dictionary of errors
        ("cohorts/services/tasks.py", "Select the kind of task"),
        # a helper filling the caller's errors
        ("cohorts/risk/recording/rules.py", "Enter the date of the {}"),
        # a helper's return value
        ("cohorts/risk/recording/rules.py", "Must be {} characters or fewer"),
        # a helper in another module, through a helper named for its errors
        ("cohorts/dates.py", "{} must be after 1900"),
        # a nested function filling the list of errors of the one around it
        ("cohorts/risk/parameters.py", "{} must be a number"),
        # the table of field messages iom.forms gives every form
        ("iom/forms.py", "Select {} from the list"),
        # a form field, a form's add_error, an API's serializer
        ("cohorts/forms.py", "Select how the person is engaging"),
        ("referrals/forms.py", "Select who owns the action"),
        ("cohorts/contacts/api.py", "A contact cannot be moved to another person"),
        # a page's flash message
        ("cohorts/controls/views/recalls.py", "Select an action"),
    ):
        assert (path, text) in found, (path, text)


# Each shape a message can take, written wrongly: the reader must find each wrong message.
SHAPES = {
    "direct": (
        """
        from django.core.exceptions import ValidationError
        def refuse():
            raise ValidationError("Choose a team.")
        """,
        {"Choose a team."},
    ),
    "field-keyed": (
        """
        from django.core.exceptions import ValidationError
        def refuse():
            raise ValidationError({"team": "Choose a team"}, code="invalid")
        """,
        {"Choose a team"},
    ),
    "dictionary of errors": (
        """
        from django.core.exceptions import ValidationError
        def check(value):
            errors: dict[str, str] = {}
            if not value:
                errors["team"] = f"Enter the team of {value}."
            errors.setdefault("date", "Enter the date.")
            errors.update({"time": "Enter the time."})
            if errors:
                raise ValidationError(errors)
        """,
        {"Enter the team of {}.", "Enter the date.", "Enter the time."},
    ),
    "helper filling the errors": (
        """
        from django.core.exceptions import ValidationError
        def _check_day(errors, name):
            errors[name] = "The day must be in the past."
        def check():
            problems = {}
            _check_day(problems, "day")
            raise ValidationError(problems)
        """,
        {"The day must be in the past."},
    ),
    "helper returning a message": (
        """
        from django.core.exceptions import ValidationError
        def _problem(value):
            if value:
                return "The value is wrong."
            return None
        def check(value):
            errors = {}
            message = _problem(value)
            if message:
                errors["value"] = message
            raise ValidationError(errors)
        """,
        {"The value is wrong."},
    ),
    "helper named for its errors": (
        """
        def bounds_errors(day):
            return {"day": "The day is too far away."}
        """,
        {"The day is too far away."},
    ),
    "nested function": (
        """
        from django.core.exceptions import ValidationError
        def check(data):
            errors = []
            def number(name):
                if not isinstance(data[name], int):
                    errors.append(f"{name} must be a number.")
            number("days")
            if errors:
                raise ValidationError(errors)
        """,
        {"{} must be a number."},
    ),
    "table of messages": (
        """
        def give_messages(field):
            ours = {"required": "Choose the team", "invalid": "Enter a real team"}
            for code, message in ours.items():
                field.error_messages[code] = message
        """,
        {"Choose the team"},
    ),
    "module constant": (
        """
        from rest_framework import serializers
        STALE = "Someone changed it."
        def check():
            raise serializers.ValidationError(STALE)
        """,
        {"Someone changed it."},
    ),
    "helper raising its parameter": (
        """
        from django.core.exceptions import ValidationError
        def _refuse(text):
            raise ValidationError(text)
        def check():
            _refuse("Share it first, or choose another one")
        """,
        {"Share it first, or choose another one"},
    ),
    "form": (
        """
        from django import forms
        class F(forms.Form):
            team = forms.ChoiceField(error_messages={"required": "Choose the team"})
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields["date"].error_messages["required"] = "Enter the date."
            def clean(self):
                self.add_error("team", "The team is closed.")
        """,
        {"Choose the team", "Enter the date.", "The team is closed."},
    ),
    "serializer": (
        """
        from rest_framework import serializers
        class S(serializers.Serializer):
            class Meta:
                extra_kwargs = {"team": {"error_messages": {"required": "Choose the team"}}}
        """,
        {"Choose the team"},
    ),
    "flash message": (
        """
        from django.contrib import messages
        def view(request):
            messages.error(request, "Choose an action.")
        """,
        {"Choose an action."},
    ),
    "translated, formatted": (
        """
        from django.utils.translation import gettext as _
        from django.core.exceptions import ValidationError
        def check(n):
            raise ValidationError(_("{} is over the limit.").format(n))
        """,
        {"{} is over the limit."},
    ),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_the_reader_finds_every_wrong_message_in_each_shape(shape):
    source, wrong = SHAPES[shape]
    found = read_messages({"example": ("example.py", textwrap.dedent(source))})
    assert {m.text for m in found if problems_with(m.text)} == wrong


def test_the_reader_finds_a_message_split_across_modules():
    helpers = """
        def out_of_bounds(day):
            return "The day is out of bounds."
    """
    service = """
        from django.core.exceptions import ValidationError
        from example import helpers
        def check(day):
            errors = {"day": helpers.out_of_bounds(day)}
            raise ValidationError(errors)
    """
    found = read_messages(
        {
            "example.helpers": ("example/helpers.py", textwrap.dedent(helpers)),
            "example.service": ("example/service.py", textwrap.dedent(service)),
        }
    )
    assert [m.text for m in found if problems_with(m.text)] == ["The day is out of bounds."]


def test_a_message_in_govuk_style_passes():
    source = """
        from django.core.exceptions import ValidationError
        def check():
            raise ValidationError({"team": "Select a team", "date": "Enter the date, like 27 3"})
    """
    found = read_messages({"example": ("example.py", textwrap.dedent(source))})
    assert {m.text for m in found} == {"Select a team", "Enter the date, like 27 3"}
    assert not faults(found)
