"""Pages for running the panel: its meetings, the decision on each referral in its queue,
its minutes and the actions it agrees."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cohorts.models import CohortConfiguration
from cohorts.services import active_member_count
from iom import audit
from iom.locking import StaleEditError

from . import queries, services
from .forms import ActionForm, DecisionForm, MinutesForm, PanelMeetingForm, add_errors
from .models import Referral

PAGE_SIZE = 25


def _require_panel_rights(user) -> None:
    if not services.can_run_panels(user):
        raise PermissionDenied("Only the IOM unit can run panel meetings.")


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
            add_errors([form], error)
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
                add_errors([form], error)
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
            add_errors([form], error)
        else:
            messages.success(request, f"Action recorded for {task.assignee}: {task.title}.")
            return redirect("referrals:panel", pk=meeting.pk)
    queue, current = _panel_page(request, meeting)
    return _render_panel(request, meeting, queue, current, action_form=form)


def _current_referral(queue: list[Referral], chosen: str | None) -> Referral | None:
    if chosen:
        return next((r for r in queue if str(r.pk) == chosen), None)
    return queue[0] if queue else None
