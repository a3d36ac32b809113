"""Pages of one person: the Summary, the audit trail, sharing, details, engagement and
membership. The cohort list is in ``list_views``."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from iom import access, audit
from iom.forms import add_service_errors
from iom.locking import StaleEditError
from iom.models import AuditEvent

from . import queries, services, summary
from .forms import (
    EngagementForm,
    ExitForm,
    MembershipStatusForm,
    NominalForm,
    ShareForm,
    StopSharingForm,
)
from .models import APPROACH_FOR_ENGAGEMENT, EngagementStatus
from .sections import record_consultation, section_context


@login_required
def nominal_summary(request, pk: int):
    nominal = queries.nominal_summary(request.user, pk)
    record_consultation(request, nominal, "summary")
    memberships = list(nominal.memberships.all())
    engagements = list(nominal.engagements.all())
    current_engagement = engagements[0] if engagements else None
    try:
        timeline_page = int(request.GET.get("page", 1))
    except ValueError:
        timeline_page = 1
    context = section_context(
        request,
        nominal,
        "summary",
        shared_with=queries.shares_of(nominal).filter(ended_at__isnull=True)
        if services.can_manage_sharing(request.user)
        else None,
        can_change=access.can(request.user, "change", nominal),
        memberships=memberships,
        current_membership=next((m for m in memberships if m.is_open), None),
        engagements=engagements,
        current_engagement=current_engagement,
        approach=APPROACH_FOR_ENGAGEMENT[
            EngagementStatus(current_engagement.status)
            if current_engagement
            else EngagementStatus.NOT_APPROACHED
        ],
        engagement_evidence=summary.engagement_evidence(nominal, request.user),
        timeline=summary.timeline(
            nominal, request.user, kind=request.GET.get("kind", ""), page=timeline_page
        ),
    )
    return render(request, "cohorts/nominal_summary.html", context)


AUDIT_PAGE_SIZE = 50


def _audit_cursor(value: str) -> tuple[datetime.datetime, int] | None:
    """``<ISO time>_<id>`` of the last event of the previous page, or None (the newest)."""
    at, _, pk = value.rpartition("_")
    try:
        moment = datetime.datetime.fromisoformat(at)
        return (moment if timezone.is_aware(moment) else None, int(pk)) if at else None
    except ValueError:
        return None


@login_required
def nominal_audit(request, pk: int):
    """The person's audit trail, newest first, 50 events a page. Keyset paging (the events
    older than the last one shown), so that the thousandth page costs what the first does."""
    nominal = queries.nominal_for(request.user, pk)
    if not request.user.is_iom_manager:
        raise PermissionDenied("Only the IOM unit's managers can see a person's audit trail.")
    record_consultation(request, nominal, "audit")
    events = AuditEvent.objects.about(nominal).select_related("user").order_by("-at", "-id")
    cursor = _audit_cursor(request.GET.get("before", ""))
    if cursor and cursor[0] is not None:
        at, last_id = cursor
        # ``at <= the last`` is what the index can seek to; the OR only settles ties.
        events = events.filter(Q(at__lte=at), Q(at__lt=at) | Q(id__lt=last_id))
    rows = list(events[: AUDIT_PAGE_SIZE + 1])
    shown, more = rows[:AUDIT_PAGE_SIZE], len(rows) > AUDIT_PAGE_SIZE
    next_url = ""
    if more:
        last = shown[-1]
        next_url = "?" + urlencode({"before": f"{last.at.isoformat()}_{last.pk}"})
    context = section_context(
        request,
        nominal,
        "audit",
        events=shown,
        next_url=next_url,
        is_first_page=cursor is None,
    )
    return render(request, "cohorts/nominal_audit.html", context)


@login_required
def nominal_sharing(request, pk: int):
    """Who the record is shared with, and (for the IOM unit) sharing and stopping it."""
    nominal = queries.nominal_for(request.user, pk)
    if not services.can_manage_sharing(request.user):
        raise PermissionDenied("Only officers and managers of the IOM unit can see sharing.")
    share_form = ShareForm(request.POST if "share" in request.POST else None)
    stop_form = StopSharingForm(request.POST if "stop" in request.POST else None)
    if request.method == "POST" and not (share_form.is_bound or stop_form.is_bound):
        share_form = ShareForm(request.POST)  # neither button: treat as a share, with errors
    actor = audit.actor_from_request(request)
    if request.method == "POST":
        form = stop_form if stop_form.is_bound else share_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if form is share_form:
                    share = services.share_record(
                        nominal, team=data["team"], by=actor, reason=data["reason"]
                    )
                    done = f"The record is now shared with {share.team}."
                else:
                    share = services.stop_sharing_record(
                        data["share_id"], by=actor, reason=data["stop_reason"]
                    )
                    done = f"The record is no longer shared with {share.team}."
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, done)
                return redirect("cohorts:sharing", pk=nominal.pk)
    else:
        record_consultation(request, nominal, "sharing")
    context = section_context(
        request,
        nominal,
        "sharing",
        shares=queries.shares_of(nominal),
        share_form=share_form,
        stop_form=stop_form,
        stopping=stop_form.data.get("share_id") if stop_form.is_bound else None,
    )
    has_errors = bool(share_form.errors or stop_form.errors)
    return render(
        request, "cohorts/nominal_sharing.html", context, status=400 if has_errors else 200
    )


@login_required
def nominal_edit(request, pk: int):
    nominal = queries.nominal_for(request.user, pk, "change")
    form = NominalForm(request.POST or None, instance=nominal)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in NominalForm.Meta.fields}
        try:
            services.update_nominal(
                nominal.pk,
                by=audit.actor_from_request(request),
                version=form.cleaned_data["version"],
                changes=changes,
            )
        except StaleEditError as stale:
            form.add_error(None, str(stale))
            current = stale.current
            return render(
                request,
                "cohorts/nominal_edit.html",
                section_context(request, nominal, "summary", form=form, current=current),
                status=409,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The details of {nominal.full_name} were saved.")
            return redirect("cohorts:nominal", pk=nominal.pk)
    elif request.method == "GET":
        record_consultation(request, nominal, "edit")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "cohorts/nominal_edit.html",
        section_context(request, nominal, "summary", form=form),
        status=status,
    )


@login_required
def engagement_record(request, pk: int):
    """Record how the person is engaging; the management approach follows from it."""
    nominal = queries.nominal_for(request.user, pk, "change")
    form = EngagementForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_engagement(
                nominal, by=audit.actor_from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The engagement was recorded.")
            return redirect("cohorts:nominal", pk=nominal.pk)
    return render(
        request,
        "cohorts/engagement_form.html",
        section_context(request, nominal, "summary", form=form),
        status=400 if form.errors else 200,
    )


@login_required
def membership_change(request, pk: int):
    """Change the status of the current membership, or end it with a reason."""
    nominal = queries.nominal_for(request.user, pk, "change")
    membership = get_object_or_404(nominal.memberships.exclude(status="exited"))
    initial = {"version": membership.version}
    status_form = MembershipStatusForm(
        request.POST if "status" in request.POST else None,
        initial={**initial, "status": membership.status},
        prefix="status",
    )
    exit_form = ExitForm(
        request.POST if "exit" in request.POST else None,
        initial={**initial, "exited_on": timezone.localdate()},
        prefix="exit",
    )
    actor = audit.actor_from_request(request)
    for name, form in (("status", status_form), ("exit", exit_form)):
        if name not in request.POST or not form.is_valid():
            continue
        try:
            _change_membership(name, membership, actor, form.cleaned_data)
        except StaleEditError as stale:
            form.add_error(None, str(stale))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The cohort membership was updated.")
            return redirect("cohorts:nominal", pk=nominal.pk)
    has_errors = bool(status_form.errors or exit_form.errors)
    return render(
        request,
        "cohorts/membership_form.html",
        section_context(
            request,
            nominal,
            "summary",
            membership=membership,
            status_form=status_form,
            exit_form=exit_form,
        ),
        status=400 if has_errors else 200,
    )


def _change_membership(name: str, membership, actor, data: dict) -> None:
    """The service behind the membership page's two forms: a new status, or the exit."""
    if name == "status":
        services.change_membership_status(
            membership.pk,
            by=actor,
            version=data["version"],
            status=data["status"],
            devolved_to=data["devolved_to"],
        )
        return
    services.exit_membership(
        membership.pk,
        by=actor,
        version=data["version"],
        reason=data["exit_reason"],
        exited_on=data["exited_on"],
        details=data["exit_details"],
        devolved_to=data["devolved_to"],
        options={
            "expected_release_on": data["expected_release_on"],
            "expected_release_basis": data["expected_release_basis"],
        },
    )
