"""What the Controls section's form pages share: rendering a form in the section, saving a
valid POST and going back to the section."""

from __future__ import annotations

from typing import NamedTuple

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from cohorts.sections import record_consultation, section_context
from iom import audit
from iom.forms import add_service_errors
from iom.locking import StaleEditError

from .. import services

SECTION = "controls"


def form_page(request, nominal, form, *, title: str, submit: str, status: int = 200, **extra):
    if request.method == "GET":
        record_consultation(request, nominal, f"controls ({title.lower()})")
    return render(
        request,
        "controls/form.html",
        section_context(request, nominal, SECTION, form=form, title=title, submit=submit, **extra),
        status=400 if form.errors and status == 200 else status,
    )


def save_form(request, pk: int, form, save, *, done: str):
    """For a valid POST, run ``save(actor, cleaned_data)``: on success go back to the Controls
    section saying ``done``; on a refusal put it on the form. Returns (response, status)."""
    if request.method != "POST" or not form.is_valid():
        return None, 200
    try:
        save(audit.actor_from_request(request), form.cleaned_data)
    except StaleEditError as stale:
        form.add_error(None, str(stale))
        return None, 409
    except ValidationError as error:
        add_service_errors(form, error)
        return None, 200
    messages.success(request, done)
    return redirect("cohorts:controls", pk=pk), 200


class PageText(NamedTuple):
    """A form page's title, its button, and what the section says once it is saved."""

    title: str
    submit: str
    done: str


def save_or_form_page(request, nominal, form, save, text: PageText):
    """A form page of the section: a valid POST saved by ``save(actor, cleaned_data)`` goes back
    to the section saying ``text.done``; otherwise the form again, with any refusal on it."""
    response, status = save_form(request, nominal.pk, form, save, done=text.done)
    return response or form_page(
        request, nominal, form, title=text.title, submit=text.submit, status=status
    )


def current_licence_or_404(nominal):
    licence = services.current_licence(nominal)
    if licence is None:
        raise Http404("The person is not on licence.")
    return licence
