"""Pages for referring people to IOM: the queue, the referral form and a referral."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from cohorts import queries as cohort_queries
from cohorts.models import Nominal
from iom import audit
from iom.locking import StaleEditError
from iom.models import AuditAction

from . import prefill as referral_prefill
from . import queries, services
from .filtersets import ReferralFilterSet
from .forms import (
    NEW_PERSON,
    MatchForm,
    NewPersonForm,
    ReferralForm,
    WithdrawForm,
    add_errors,
)
from .models import Referral

PAGE_SIZE = 25
RECORD_ID = re.compile(r"[1-9][0-9]{0,17}")


@login_required
def referral_list(request):
    filterset = ReferralFilterSet(request.GET or {"status": queries.QUEUE}, request=request)
    filters = filterset.referral_filters()
    page = Paginator(queries.referral_list(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    audit.record_consultations(
        audit.actor_from_request(request),
        [referral.nominal_id for referral in page],
        description="Listed on the referrals queue",
    )
    return render(
        request,
        "referrals/referral_list.html",
        {
            "form": filterset.form,
            "page": page,
            "can_run_panels": services.can_run_panels(request.user),
        },
    )


@login_required
def referral_create(request):
    """Refer a person: an existing record (``?nominal=``) or a new person, checked for
    duplicates. When the new person looks like existing records, the page asks which."""
    nominal = None
    nominal_id = request.GET.get("nominal") or request.POST.get("nominal")
    if nominal_id:
        nominal = cohort_queries.nominal_for(request.user, _record_id(nominal_id))
    data = request.POST or None
    # A person already on the system: the form starts from their ranking and record.
    prefill = (
        referral_prefill.for_referral(request.user, nominal)
        if nominal is not None and request.method != "POST"
        else None
    )
    referral_form = ReferralForm(data, initial=prefill.initial if prefill else None)
    person_form = None if nominal else NewPersonForm(data, prefix="person")
    if request.method == "POST":
        response = _submit_referral(request, nominal, referral_form, person_form)
        if response is not None:
            return response
    elif nominal is not None:
        audit.record(
            audit.actor_from_request(request),
            AuditAction.CONSULTATION,
            nominal,
            nominal=nominal,
            description="Opened the referral form",
        )
    return render(
        request,
        "referrals/referral_form.html",
        {
            "referral_form": referral_form,
            "person_form": person_form,
            "nominal": nominal,
            "prefill": prefill,
        },
        status=400 if request.method == "POST" else 200,
    )


def _submit_referral(request, nominal, referral_form, person_form):
    """Makes the referral the valid forms describe and says so, or asks which of the records
    like the new person it is (409); None when the forms or the service refuse it (their
    errors are on the forms)."""
    forms = [f for f in (referral_form, person_form) if f is not None]
    if not all(f.is_valid() for f in forms):
        return None
    match = request.POST.get("match", "")
    chosen = None
    if match and match != NEW_PERSON:
        chosen = get_object_or_404(Nominal.objects.visible_to(request.user), pk=_record_id(match))
    try:
        referral = services.refer(
            by=audit.actor_from_request(request),
            nominal=nominal or chosen,
            new_person=None if (nominal or chosen) else _new_person(person_form),
            confirmed_new_person=match == NEW_PERSON,
            **referral_form.cleaned_data,
        )
    except services.PossibleDuplicates as duplicates:
        return _choose_match(request, referral_form, person_form, duplicates)
    except ValidationError as error:
        add_errors(forms, error)
        return None
    return _referred(request, referral, new_person=not (nominal or chosen))


def _choose_match(request, referral_form, person_form, duplicates: services.PossibleDuplicates):
    """The form again, asking which of the records like the new person (those the user may
    see) is the one referred, if any."""
    visible = list(
        Nominal.objects.visible_to(request.user).filter(pk__in=duplicates.matches.values("pk"))
    )
    return render(
        request,
        "referrals/referral_form.html",
        {
            "referral_form": referral_form,
            "person_form": person_form,
            "match_form": MatchForm(matches=visible),
        },
        status=409,
    )


def _referred(request, referral: Referral, *, new_person: bool):
    if services.answers_as_an_identity_check(request.user, referral, new_person=new_person):
        # Made on a record the referrer may not see, or a new person referred by someone who
        # cannot see every record: the same answer for both, so that it says nothing of
        # records the referrer cannot see.
        messages.success(request, services.REFERRED_FOR_IDENTITY_CHECK)
        return redirect("referrals:list")
    messages.success(
        request,
        f"Referral {referral.reference} of {referral.nominal.full_name} is in the "
        "queue for the next panel.",
    )
    return redirect("referrals:detail", pk=referral.pk)


def _record_id(value: str) -> int:
    """A record's id from the query string or the form: not a whole number (``abc``, or too
    big for the database) is no record, a 404 rather than a 500."""
    if not RECORD_ID.fullmatch(value):
        raise Http404("No such record.")
    return int(value)


def _new_person(form: NewPersonForm) -> services.NewPerson:
    return services.NewPerson(**{name: form.cleaned_data[name] for name in form.Meta.fields})


@login_required
def referral_detail(request, pk: int):
    """A referral, and (for its referrer's team and the IOM unit) withdrawing it."""
    referral = queries.referral_detail(request.user, pk)
    may_withdraw = referral.is_undecided and services.can_withdraw(request.user, referral)
    form = WithdrawForm(request.POST or None, initial={"version": referral.version})
    actor = audit.actor_from_request(request)
    if request.method == "POST":
        if not may_withdraw:
            raise PermissionDenied("Only the referrer's team or the IOM unit can withdraw it.")
        if form.is_valid():
            try:
                services.withdraw_referral(
                    referral.pk,
                    by=actor,
                    version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except StaleEditError as stale:
                form.add_error(None, str(stale))
            except ValidationError as error:
                add_errors([form], error)
            else:
                messages.success(request, f"Referral {referral.reference} was withdrawn.")
                return redirect("referrals:detail", pk=referral.pk)
    else:
        audit.record(
            actor,
            AuditAction.CONSULTATION,
            referral,
            nominal=referral.nominal,
            description=f"Viewed referral {referral.reference}",
        )
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "can_run_panels": services.can_run_panels(request.user),
            "may_withdraw": may_withdraw,
            "withdraw_form": form,
        },
        status=400 if form.errors else 200,
    )
