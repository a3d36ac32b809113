"""The Contacts section of a person's record: the contact log, booking and recording
contacts, and turning a missed appointment into a breach."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from cohorts import queries as cohort_queries
from cohorts.controls.models import Licence
from cohorts.sections import record_consultation, section_context
from iom import audit, sharing
from iom.formatting import long_date
from iom.forms import add_service_errors
from iom.locking import StaleEditError

from . import queries, services
from .forms import ContactBreachForm, ContactForm, form_errors

SECTION = "contacts"
PAGE_SIZE = 20


def _nominal(request, pk: int, action: str = "view"):
    return cohort_queries.nominal_for(request.user, pk, action, section=sharing.CONTACTS)


def _can_write(request, nominal) -> bool:
    return services.can_write(request.user, nominal)


def _licences_by_period(nominal, user) -> list[Licence]:
    if not sharing.covers(user, sharing.CONTROLS):
        return []
    return list(Licence.objects.filter(nominal=nominal).order_by("-release_date"))


def _on_licence(licences, moment) -> bool:
    day = timezone.localdate(moment)
    return any(licence.is_current_on(day) for licence in licences)


@login_required
def contact_log(request, pk: int):
    nominal = _nominal(request, pk)
    record_consultation(request, nominal, SECTION)
    page = Paginator(queries.contacts_of(nominal, request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    can_write = _can_write(request, nominal)
    licences = _licences_by_period(nominal, request.user) if can_write else []
    rows = [
        {
            "contact": contact,
            "can_breach": bool(licences)
            and contact.is_missed
            and contact.breach_id is None
            and _on_licence(licences, contact.planned_at or contact.happened_at),
        }
        for contact in page
    ]
    context = section_context(
        request,
        nominal,
        SECTION,
        page=page,
        rows=rows,
        can_write=can_write,
        attendance=queries.attendance_of(nominal, request.user),
        now=timezone.now(),
    )
    return render(request, "contacts/log.html", context)


def _form_page(request, nominal, form, *, title: str, submit: str, status: int, **extra):
    return render(
        request,
        "contacts/form.html",
        section_context(request, nominal, SECTION, form=form, title=title, submit=submit, **extra),
        status=status,
    )


@login_required
def contact_create(request, pk: int):
    """Book an appointment (``?book=1``) or record a contact after the event."""
    nominal = _nominal(request, pk, "change")
    if not _can_write(request, nominal):
        raise PermissionDenied("You cannot record contacts with this person.")
    booking = request.GET.get("book") == "1"
    initial = {"attendees": [request.user]}
    if not booking:
        now = timezone.localtime()
        initial.update(happened_on=now.date(), happened_time=now.time().replace(microsecond=0))
    form = ContactForm(request.POST or None, nominal=nominal, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                contact = services.record_contact(
                    nominal, by=audit.actor_from_request(request), **form.service_fields()
                )
            except ValidationError as error:
                add_service_errors(form, form_errors(error))
            else:
                messages.success(
                    request,
                    "The appointment was booked."
                    if contact.is_appointment and not contact.is_recorded
                    else "The contact was recorded.",
                )
                return redirect("cohorts:contacts", pk=nominal.pk)
    else:
        record_consultation(request, nominal, "contacts (new contact)")
    title = "Book an appointment" if booking else "Record a contact"
    return _form_page(
        request,
        nominal,
        form,
        title=title,
        submit="Book appointment" if booking else "Save contact",
        status=status,
    )


@login_required
def contact_detail(request, pk: int, contact_id: int):
    """One contact: its outcome recorded, or corrected, from the version it was read at."""
    nominal = _nominal(request, pk)
    contact = queries.contact_of(nominal, request.user, contact_id)
    can_write = _can_write(request, nominal)
    if request.method == "POST" and not can_write:
        raise PermissionDenied("You cannot change this contact.")
    form = ContactForm(
        request.POST or None,
        nominal=nominal,
        user=request.user,
        initial=ContactForm.initial_from(contact),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_contact(
                    contact.pk,
                    by=audit.actor_from_request(request),
                    version=form.cleaned_data["version"] or 0,
                    changes=form.service_fields(),
                )
            except StaleEditError as stale:
                form.add_error(None, str(stale))
                status = 409
            except ValidationError as error:
                add_service_errors(form, form_errors(error))
            else:
                messages.success(request, "The contact was saved.")
                return redirect("cohorts:contacts", pk=nominal.pk)
    else:
        record_consultation(request, nominal, "contacts (one contact)")
    return _form_page(
        request,
        nominal,
        form,
        title=f"{contact.get_kind_display()}",
        submit="Save contact",
        status=status,
        contact=contact,
        read_only=not can_write,
    )


@login_required
def contact_breach(request, pk: int, contact_id: int):
    """A missed appointment becomes a breach of licence in one step, its evidence prefilled."""
    nominal = cohort_queries.nominal_for(request.user, pk, "change", section=sharing.CONTACTS)
    cohort_queries.require_section(request.user, sharing.CONTROLS)
    if not _can_write(request, nominal):
        raise PermissionDenied("You cannot record a breach for this person.")
    contact = queries.contact_of(nominal, request.user, contact_id)
    if not contact.is_missed or contact.breach_id is not None:
        raise Http404("This contact cannot become a breach.")
    moment = contact.planned_at or contact.happened_at
    day = timezone.localdate(moment)
    licence = Licence.objects.filter(
        nominal=nominal, release_date__lte=day, licence_expiry_date__gte=day
    ).first()
    if licence is None:
        raise Http404("The person was not on licence on the day of this contact.")
    form = ContactBreachForm(
        request.POST or None,
        licence=licence,
        initial={"occurred_on": day, "evidence": services.breach_evidence(contact)},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.record_breach_from_contact(
                    contact.pk, by=audit.actor_from_request(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The breach was recorded from the missed contact.")
                return redirect("cohorts:controls", pk=nominal.pk)
    else:
        record_consultation(request, nominal, "contacts (breach from a contact)")
    return _form_page(
        request,
        nominal,
        form,
        title="Record a breach from a missed contact",
        submit="Record breach",
        status=status,
        contact=contact,
        hint=f"On the licence from {long_date(licence.release_date)} to "
        f"{long_date(licence.licence_expiry_date)}.",
    )
