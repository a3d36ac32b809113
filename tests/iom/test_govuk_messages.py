"""Every form of the service speaks GOV.UK: no field gives one of Django's default error
messages ("This field is required.", "Enter a valid date.", "Select a valid choice..."), empty
or filled with nonsense."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.contrib.auth import forms as auth_forms
from django.test import RequestFactory
from django.urls import reverse

from iom.forms import GovukErrorsMixin, GovukForm, GovukModelForm, govuk_error_messages
from tests.controls.factories import LicenceFactory

APPS = ("iom", "cohorts", "referrals", "pathways", "reports")
# The admin site's own forms are Django's, for administrators.
SKIPPED_PARTS = {"migrations", "management", "admin", "demo"}

DJANGO_DEFAULTS = (
    "This field is required",
    "Enter a valid",
    "Select a valid choice",
    "Ensure this value",
    "Ensure that there are",
    "Enter a whole number",
    "Enter a number.",
    "Enter a list of values",
    "Enter a complete value",
    "No file was submitted",
    "The submitted file is empty",
    "Upload a valid image",
    "Please enter a correct",
    "is not one of the available choices",
    "Please either submit a file or check the clear checkbox",
)


def project_form_classes() -> list[type]:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if SKIPPED_PARTS & set(module.name.split(".")):
                continue
            importlib.import_module(module.name)
    found, queue = [], [forms.BaseForm]
    while queue:
        klass = queue.pop()
        queue.extend(klass.__subclasses__())
        if klass.__module__.split(".")[0] in APPS and not (
            SKIPPED_PARTS & set(klass.__module__.split("."))
        ):
            found.append(klass)
    return sorted(set(found), key=lambda k: f"{k.__module__}.{k.__qualname__}")


FORMS = [
    k
    for k in project_form_classes()
    if not k.__name__.startswith("_") and k not in (GovukForm, GovukModelForm)
]


def test_the_project_has_forms_to_check():
    assert len(FORMS) > 40


@pytest.mark.parametrize("form_class", FORMS, ids=lambda k: f"{k.__module__}.{k.__name__}")
def test_every_form_gives_govuk_messages(form_class):
    assert issubclass(form_class, GovukErrorsMixin), (
        f"{form_class.__name__} should use iom.forms.GovukForm (or GovukErrorsMixin)"
    )


def _arguments(form_class, context) -> dict:
    if issubclass(form_class, auth_forms.SetPasswordForm):
        return {"user": context["user"]}
    if issubclass(form_class, auth_forms.AuthenticationForm):
        return {"request": context["request"]}
    arguments = {}
    for name, parameter in inspect.signature(form_class.__init__).parameters.items():
        if parameter.kind is parameter.KEYWORD_ONLY and name in context:
            arguments[name] = context[name]
        elif parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty:
            raise AssertionError(f"{form_class.__name__} needs {name}: add it to the context")
    return arguments


NONSENSE = "x" * 3000


def _nonsense(form) -> dict:
    """Every field filled with something wrong: long text, an unknown choice, a bad date."""
    data = {}
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.MultiWidget):
            for index, suffix in enumerate(field.widget.widgets_names):
                data[f"{name}{suffix}"] = ["31", "2", "20x6"][index % 3]
        elif isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
            data[name] = ["999999999", "nonsense"]
        else:
            data[name] = NONSENSE
    return data


def _messages(form) -> list[str]:
    form.is_valid()
    return [str(message) for errors in form.errors.values() for message in errors]


@pytest.fixture
def context(db, officer):
    licence = LicenceFactory(created_by=officer)
    return {
        "user": officer,
        "nominal": licence.nominal,
        "licence": licence,
        "agency": officer.agency,
        "request": RequestFactory().post("/sign-in/"),
        "candidates": [],  # what was tried before a recall, from the record
    }


@pytest.mark.parametrize("form_class", FORMS, ids=lambda k: f"{k.__module__}.{k.__name__}")
def test_no_form_leaks_djangos_default_messages(form_class, context):
    arguments = _arguments(form_class, context)
    empty = form_class(data={}, files={}, **arguments)
    wrong = form_class(data=_nonsense(form_class(**arguments)), files={}, **arguments)
    messages = _messages(empty) + _messages(wrong)
    leaked = [m for m in messages if any(default in m for default in DJANGO_DEFAULTS)]
    assert not leaked, leaked


def test_messages_name_the_field():
    field = forms.CharField(label="Date of birth")
    govuk_error_messages(field)
    assert field.error_messages["required"] == "Enter the date of birth"
    choice = forms.ChoiceField(label="Lead agency", choices=[("a", "A")])
    govuk_error_messages(choice)
    assert choice.error_messages["required"] == "Select the lead agency"
    number = forms.IntegerField(label="West edge (easting)")
    govuk_error_messages(number)
    assert number.error_messages["invalid"] == "West edge (easting) must be a whole number"
    kept = forms.CharField(label="Surname", error_messages={"required": "Enter the surname"})
    govuk_error_messages(kept)
    assert kept.error_messages["required"] == "Enter the surname"
    acronym = forms.CharField(label="PNC ID")
    govuk_error_messages(acronym)
    assert acronym.error_messages["required"] == "Enter the PNC ID"


def test_sign_in_says_what_to_do_in_govuk_words(client, officer):
    response = client.post(reverse("login"), {"username": officer.username, "password": "no"})
    page = response.content.decode()
    assert "Enter a correct username and password" in page
    assert "Please enter a correct" not in page
    assert "<title>Error: Sign in" in page
    empty = client.post(reverse("login"), {}).content.decode()
    assert "Enter your username" in empty
    assert "Enter your password" in empty
