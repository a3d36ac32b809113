"""Pages for referring people to IOM and running the panel."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cohorts import queries as cohort_queries
from cohorts.models import CohortConfiguration, Nominal
from cohorts.services import active_member_count
from iom import audit
from iom.locking import StaleEditError
from iom.models import AuditAction

from . import prefill as referral_prefill
from . import queries, services
from .filtersets import ReferralFilterSet
from .forms import (
    NEW_PERSON,
    ActionForm,
    DecisionForm,
    MatchForm,
    MinutesForm,
    NewPersonForm,
    PanelMeetingForm,
    ReferralForm,
    WithdrawForm,
)
from .models import Referral

PAGE_SIZE = 25
RECORD_ID = re.compile(r"[1-9][0-9]{0,17}")


def _require_panel_rights(user) -> None:
    if not services.can_run_panels(user):
        raise PermissionDenied("Only the IOM unit can run panel meetings.")


def _add_errors(forms, error: ValidationError) -> None:
    """Put a service's errors on the form that has the field, or on the first form."""
    if not hasattr(error, "error_dict"):
        forms[0].add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        target = next((f for f in forms if field in f.fields), forms[0])
        target.add_error(field if field in target.fields else None, field_errors)


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
    match_form = None
    if request.method == "POST":
        forms = [f for f in (referral_form, person_form) if f is not None]
        if all(f.is_valid() for f in forms):
            match = request.POST.get("match", "")
            chosen = None
            if match and match != NEW_PERSON:
                chosen = get_object_or_404(
                    Nominal.objects.visible_to(request.user), pk=_record_id(match)
                )
            try:
                referral = services.refer(
                    by=audit.actor_from_request(request),
                    nominal=nominal or chosen,
                    new_person=None if (nominal or chosen) else _new_person(person_form),
                    confirmed_new_person=match == NEW_PERSON,
                    **referral_form.cleaned_data,
                )
            except services.PossibleDuplicates as duplicates:
                visible = list(
                    Nominal.objects.visible_to(request.user).filter(
                        pk__in=duplicates.matches.values("pk")
                    )
                )
                match_form = MatchForm(matches=visible)
                return render(
                    request,
                    "referrals/referral_form.html",
                    {
                        "referral_form": referral_form,
                        "person_form": person_form,
                        "match_form": match_form,
                    },
                    status=409,
                )
            except ValidationError as error:
                _add_errors(forms, error)
            else:
                if services.answers_as_an_identity_check(
                    request.user, referral, new_person=not (nominal or chosen)
                ):
                    # Made on a record the referrer may not see, or a new person referred by
                    # someone who cannot see every record: the same answer for both, so that
                    # it says nothing of records the referrer cannot see.
                    messages.success(request, services.REFERRED_FOR_IDENTITY_CHECK)
                    return redirect("referrals:list")
                messages.success(
                    request,
                    f"Referral {referral.reference} of {referral.nominal.full_name} is in the "
                    "queue for the next panel.",
                )
                return redirect("referrals:detail", pk=referral.pk)
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
                _add_errors([form], error)
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


@login_required
def panel_list(request):
    _require_panel_rights(request.user)
    page = Paginator(queries.panel_meetings(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "referrals/panel_list.html", {"page": page})


@login_required
def panel_create(request):
    _require_panel_rights(request.user)
    form = PanelMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.hold_panel_meeting(
                by=audit.actor_from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors([form], error)
        else:
            return redirect("referrals:panel", pk=meeting.pk)
    return render(request, "referrals/panel_form.html", {"form": form})


@login_required
def panel_detail(request, pk: int):
    """The panel in session: the queue, the decisions taken, and the form for the referral
    being discussed (the first in the queue, or the one chosen)."""
    _require_panel_rights(request.user)
    meeting = queries.panel_meeting(pk)
    queue = list(queries.panel_queue(request.user, meeting))
    current = _current_referral(queue, request.GET.get("referral") or request.POST.get("referral"))
    form = None
    if current is not None:
        form = DecisionForm(
            request.POST or None,
            initial={
                "version": current.version,
                "stream": current.stream,
                "lead_agency": current.proposed_lead_agency_id,
            },
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                decision = services.decide_referral(
                    current.pk,
                    meeting=meeting,
                    by=audit.actor_from_request(request),
                    version=data["version"],
                    decision=data["decision"],
                    reason=data["reason"],
                    deferred_until=data["deferred_until"],
                    offender_managers=form.offender_managers,
                    share_with=data["share_with"],
                    cap_override_reason=data["cap_override_reason"],
                    stream=data["stream"] or None,
                    lead_agency=data["lead_agency"],
                    amendment_reason=data["amendment_reason"],
                    minutes=data["minutes"],
                    actions=form.actions,
                )
            except StaleEditError as stale:
                form.add_error(None, str(stale))
            except ValidationError as error:
                _add_errors([form], error)
            else:
                messages.success(
                    request,
                    f"{decision.get_decision_display()}: {current.nominal.full_name} "
                    f"({current.reference}).",
                )
                return redirect("referrals:panel", pk=meeting.pk)
    return _render_panel(request, meeting, queue, current, form=form)


def _render_panel(request, meeting, queue, current, **forms):
    """The panel page, with whichever of its forms failed (the others fresh)."""
    decisions = list(queries.decisions_of(meeting))
    minutes_form = forms.get("minutes_form") or MinutesForm(
        initial={"minutes": meeting.minutes, "version": meeting.version}, prefix="meeting"
    )
    action_form = forms.get("action_form") or ActionForm(
        decisions=queries.decisions_of(meeting), prefix="action"
    )
    failed = any(f is not None and f.errors for f in forms.values())
    # Each person on the agenda is a consultation of their record (one INSERT).
    audit.record_consultations(
        audit.actor_from_request(request),
        [referral.nominal_id for referral in queue],
        description=f"Listed on the agenda of the {meeting}",
    )
    configuration = CohortConfiguration.current()
    return render(
        request,
        "referrals/panel_detail.html",
        {
            "meeting": meeting,
            "queue": queue,
            "current": current,
            "form": forms.get("form"),
            "decisions": decisions,
            "actions": list(queries.actions_of(meeting)),
            "minutes_form": minutes_form,
            "action_form": action_form,
            "cap": configuration.cap,
            "members": active_member_count(),
        },
        status=400 if failed else 200,
    )


def _panel_page(request, meeting):
    queue = list(queries.panel_queue(request.user, meeting))
    return queue, (queue[0] if queue else None)


@login_required
@require_POST
def panel_minutes(request, pk: int):
    """The minutes of the meeting, kept by the IOM unit during and after it."""
    _require_panel_rights(request.user)
    meeting = queries.panel_meeting(pk)
    form = MinutesForm(request.POST, prefix="meeting")
    if form.is_valid():
        try:
            services.record_minutes(
                meeting.pk,
                by=audit.actor_from_request(request),
                version=form.cleaned_data["version"],
                minutes=form.cleaned_data["minutes"],
            )
        except StaleEditError as stale:
            form.add_error(None, str(stale))
        else:
            messages.success(request, "The minutes were saved.")
            return redirect("referrals:panel", pk=meeting.pk)
    queue, current = _panel_page(request, meeting)
    return _render_panel(request, meeting, queue, current, minutes_form=form)


@login_required
@require_POST
def panel_action(request, pk: int):
    """An action the panel agreed, about one of its decisions or the meeting: a task in its
    owner's My work."""
    _require_panel_rights(request.user)
    meeting = queries.panel_meeting(pk)
    form = ActionForm(request.POST, decisions=queries.decisions_of(meeting), prefix="action")
    if form.is_valid():
        try:
            task = services.add_panel_action(
                meeting.pk,
                by=audit.actor_from_request(request),
                action=form.actions[0],
                decision=form.cleaned_data["decision"],
            )
        except ValidationError as error:
            _add_errors([form], error)
        else:
            messages.success(request, f"Action recorded for {task.assignee}: {task.title}.")
            return redirect("referrals:panel", pk=meeting.pk)
    queue, current = _panel_page(request, meeting)
    return _render_panel(request, meeting, queue, current, action_form=form)


def _current_referral(queue: list[Referral], chosen: str | None) -> Referral | None:
    if chosen:
        return next((r for r in queue if str(r.pk) == chosen), None)
    return queue[0] if queue else None
