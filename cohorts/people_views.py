"""Pages that change who a person is on the record: adding them directly, their aliases,
their photograph and their offender managers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from iom import audit
from iom.forms import add_service_errors
from iom.locking import StaleEditError
from iom.models import AuditAction

from . import queries, services
from .forms import AddPersonForm, AliasForm, ErasureForm, OffenderManagersForm, PhotographForm
from .models import Alias
from .sections import record_consultation, section_context
from .services.duplicates import PossibleDuplicates
from .services.erasure import can_erase, erase_person


def _require_iom_unit(request, what: str) -> None:
    if not request.user.sees_whole_cohort:
        raise PermissionDenied(f"Only officers and managers of the IOM unit can {what}.")


@login_required
def person_add(request):
    """Add a person without a referral (the IOM unit only: partners refer). A person who
    looks like existing records is shown those records first."""
    _require_iom_unit(request, "add a person without a referral; refer the person instead")
    form = AddPersonForm(request.POST or None)
    matches = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                nominal = services.add_person(
                    form.new_person(),
                    by=audit.actor_from_request(request),
                    confirmed_new_person=form.cleaned_data["confirmed_new_person"],
                    lead_agency=form.cleaned_data["lead_agency"],
                )
            except PossibleDuplicates as duplicates:
                matches = list(duplicates.matches)
                audit.record_consultations(
                    audit.actor_from_request(request),
                    [match.pk for match in matches],
                    description="Shown as a possible duplicate of a new person",
                )
                status = 409
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{nominal.full_name} was added.")
                return redirect("cohorts:nominal", pk=nominal.pk)
    return render(
        request, "cohorts/person_add.html", {"form": form, "matches": matches}, status=status
    )


# --- Aliases --------------------------------------------------------------------------------


def _alias_page(request, nominal, form, *, alias=None, status=200):
    return render(
        request,
        "cohorts/aliases.html",
        section_context(
            request,
            nominal,
            "summary",
            form=form,
            alias=alias,
            aliases=list(nominal.aliases.all()),
        ),
        status=status,
    )


@login_required
def aliases(request, pk: int):
    """The person's aliases, and a form to add one."""
    nominal = queries.nominal_for(request.user, pk, "change")
    form = AliasForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                services.add_alias(nominal, by=audit.actor_from_request(request), **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The alias was added.")
                return redirect("cohorts:aliases", pk=nominal.pk)
    else:
        record_consultation(request, nominal, "aliases")
    return _alias_page(request, nominal, form, status=status)


@login_required
def alias_edit(request, pk: int, alias_id: int):
    """Correct an alias, or remove it (``remove`` button), from the version it was read at."""
    nominal = queries.nominal_for(request.user, pk, "change")
    alias = get_object_or_404(Alias, pk=alias_id, nominal=nominal)
    form = AliasForm(
        request.POST or None,
        initial={
            "first_names": alias.first_names,
            "surname": alias.surname,
            "date_of_birth": alias.date_of_birth,
            "version": alias.version,
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        actor = audit.actor_from_request(request)
        try:
            if "remove" in request.POST:
                version = int(request.POST.get("version") or 0)
                services.remove_alias(alias.pk, by=actor, version=version)
                messages.success(request, "The alias was removed.")
                return redirect("cohorts:aliases", pk=nominal.pk)
            if form.is_valid():
                data = dict(form.cleaned_data)
                version = data.pop("version") or 0
                services.update_alias(alias.pk, by=actor, version=version, changes=data)
                messages.success(request, "The alias was changed.")
                return redirect("cohorts:aliases", pk=nominal.pk)
        except StaleEditError as stale:
            form.add_error(None, str(stale))
            status = 409
        except ValueError:
            form.add_error(None, "The form was not sent whole: try again")
        except ValidationError as error:
            add_service_errors(form, error)
    return _alias_page(request, nominal, form, alias=alias, status=status)


# --- Offender managers ----------------------------------------------------------------------


@login_required
def offender_managers(request, pk: int):
    """Change the offender managers after the panel, with a reason (the IOM unit only)."""
    nominal = queries.nominal_for(request.user, pk)
    _require_iom_unit(request, "change the offender managers")
    form = OffenderManagersForm(
        request.POST or None, initial={"offender_managers": list(nominal.offender_managers.all())}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.change_offender_managers(
                    nominal,
                    by=audit.actor_from_request(request),
                    users=form.cleaned_data["offender_managers"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The offender managers were changed.")
                return redirect("cohorts:nominal", pk=nominal.pk)
    else:
        record_consultation(request, nominal, "offender managers")
    return render(
        request,
        "cohorts/offender_managers.html",
        section_context(request, nominal, "summary", form=form),
        status=status,
    )


# --- Photograph -----------------------------------------------------------------------------


@login_required
def photograph_change(request, pk: int):
    nominal = queries.nominal_for(request.user, pk, "change")
    form = PhotographForm(
        request.POST or None, request.FILES or None, initial={"version": nominal.version}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.set_photograph(
                    nominal.pk,
                    by=audit.actor_from_request(request),
                    upload=form.cleaned_data["photograph"],
                    version=form.cleaned_data["version"],
                )
            except StaleEditError as stale:
                form.add_error(None, str(stale))
                status = 409
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The photograph was saved.")
                return redirect("cohorts:nominal", pk=nominal.pk)
    return render(
        request,
        "cohorts/photograph_form.html",
        section_context(request, nominal, "summary", form=form),
        status=status,
    )


@login_required
@require_GET
def photograph(request, pk: int):
    """The person's photograph, to those who may see the person; a consultation."""
    nominal = queries.nominal_for(request.user, pk)
    content = services.photograph_bytes(nominal)
    if content is None:
        raise Http404("No photograph.")
    audit.record(
        audit.actor_from_request(request),
        AuditAction.CONSULTATION,
        nominal,
        nominal=nominal,
        description="Viewed the photograph",
    )
    response = HttpResponse(content, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Erasure ---------------------------------------------------------------------------------


@login_required
def person_erase(request, pk: int):
    """Erase the person's record under a decision (the IOM unit's managers only)."""
    nominal = queries.nominal_for(request.user, pk)
    if not can_erase(request.user):
        raise PermissionDenied("Only a manager of the IOM unit can erase a record.")
    form = ErasureForm(request.POST or None, initial={"version": nominal.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                erase_person(nominal.pk, by=audit.actor_from_request(request), **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            except StaleEditError:
                form.add_error(
                    None,
                    "Someone changed the record while you were deciding. Nothing was erased: "
                    "check the record, then erase it again",
                )
            else:
                messages.success(
                    request,
                    f"The record of person {nominal.pk} and every record about them were "
                    "erased. The audit trail keeps what was done with it.",
                )
                return redirect("cohorts:list")
    else:
        record_consultation(request, nominal, "erasure")
    return render(
        request,
        "cohorts/person_erase.html",
        section_context(request, nominal, "audit", form=form),
        status=status,
    )
