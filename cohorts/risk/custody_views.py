"""The custody page of a person's record: the periods, the expected release with its countdown,
the day-of-release plan, and the forms for going into custody and release. Every change goes
through ``cohorts.risk.custody``, whose release runs the steps of the apps above (the licence,
the plan's pathway actions)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from cohorts.sections import record_consultation, section_context
from iom import access, audit, sharing
from iom.forms import add_service_errors
from iom.locking import StaleEditError

from . import custody, custody_plan, queries
from .custody_forms import (
    ExpectedReleaseForm,
    OpenCustodyForm,
    PlanItemChangeForm,
    ReleaseForm,
    ReleasePlanItemForm,
)
from .models import CustodyPeriod

ACTIONS = ("open", "expected", "plan", "release")


def _forms(period, planned, data=None, action=None):
    def bound(name):
        return data if action == name else None

    today = timezone.localdate()
    forms = {"open": OpenCustodyForm(bound("open"), initial={"starts_on": today})}
    if period is not None:
        version = {"version": period.version}
        forms["expected"] = ExpectedReleaseForm(
            bound("expected"),
            initial={
                **version,
                "expected_release_on": period.expected_release_on,
                "expected_release_basis": period.expected_release_basis or "automatic",
            },
        )
        forms["plan"] = ReleasePlanItemForm(
            bound("plan"), planned=planned, initial={"due_on": period.expected_release_on}
        )
        forms["release"] = ReleaseForm(bound("release"), initial={**version, "released_on": today})
    return forms


def _do(action, form, period, nominal, actor):
    data = form.cleaned_data
    if action == "open":
        custody.open_custody_period(nominal, by=actor, **data)
        return "The custody period was recorded."
    if action == "expected":
        custody.set_expected_release(period.pk, by=actor, **data)
        return "The expected release date was recorded."
    if action == "plan":
        custody.plan_release(
            period.pk,
            by=actor,
            items={
                data["item"]: {
                    "owner_agency": data["owner_agency"],
                    "due_on": data["due_on"],
                    "details": data["details"],
                }
            },
        )
        return "The item was added to the day-of-release plan."
    options = {
        key: data[key] for key in ("licence_expiry_date", "sentence_expiry_date") if data.get(key)
    }
    custody.release_from_custody(
        period.pk, by=actor, version=data["version"], released_on=data["released_on"],
        options=options,
    )  # fmt: skip
    return "The release was recorded."


@login_required
def custody_page(request, pk: int, period_id: int | None = None, action: str | None = None):
    """GET shows the page (at any of its URLs); POST to an action's URL makes that change."""
    if action is not None and action not in ACTIONS:
        raise Http404("No such change.")
    method_action = "change" if request.method == "POST" else "view"
    nominal = queries.nominal_for(request.user, pk, method_action, section=sharing.OFFENDING)
    periods = list(CustodyPeriod.objects.filter(nominal=nominal).order_by("-started_on", "-id"))
    current = next((p for p in periods if p.is_open), None)
    if period_id is not None:
        current = get_object_or_404(CustodyPeriod, nominal=nominal, pk=period_id)
    plan = custody.release_plan(current) if current is not None else []
    planned = {task.key for task in plan}
    posted = action if request.method == "POST" else None
    forms = _forms(current, planned, request.POST, posted)
    failed = None
    if posted in forms:
        form = forms[posted]
        if form.is_valid():
            try:
                done = _do(posted, form, current, nominal, audit.actor_from_request(request))
            except StaleEditError as stale:
                form.add_error(None, str(stale))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, done)
                return redirect("cohorts:custody", pk=nominal.pk)
        failed = form
    elif request.method == "GET":
        record_consultation(request, nominal, "offending")
    today = timezone.localdate()
    days = current.days_to_release(today) if current is not None else None
    context = section_context(
        request,
        nominal,
        "offending",
        periods=periods,
        current=current if current is not None and current.is_open else None,
        plan=plan,
        forms=forms,
        failed=failed,
        countdown=custody.countdown(days),
        can_change=access.can(request.user, "change", nominal),
        today=today,
    )
    return render(request, "risk/custody.html", context, status=400 if failed else 200)


@login_required
def plan_item_page(request, pk: int, period_id: int, item_id: int):
    """One item of the day-of-release plan: GET shows its form, POST reassigns it (agency or
    team), moves its date due or changes its details. Only for whoever may change the
    person's record, as the plan itself; a stale version is refused (409) with the message."""
    nominal = queries.nominal_for(request.user, pk, "change", section=sharing.OFFENDING)
    period = get_object_or_404(CustodyPeriod, nominal=nominal, pk=period_id)
    item = get_object_or_404(custody_plan.plan_items(period), pk=item_id)
    status = 200
    if request.method == "POST":
        form = PlanItemChangeForm(request.POST)
        if form.is_valid():
            try:
                custody_plan.change_plan_item(
                    period.pk, item.pk, by=audit.actor_from_request(request), **form.cleaned_data
                )
            except StaleEditError as stale:
                form.add_error(None, str(stale))
                status = 409
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"“{item.title}” was changed.")
                return redirect(reverse("cohorts:custody", args=[nominal.pk]) + "#plan")
        status = status if status != 200 else 400
    else:
        form = PlanItemChangeForm(
            initial={
                "version": item.version,
                "owner_agency": item.owner_agency_id,
                "owner_team": item.owner_team_id,
                "due_on": item.due_on,
                "details": item.details,
            }
        )
        record_consultation(request, nominal, "offending")
    context = section_context(
        request,
        nominal,
        "offending",
        period=period,
        item=item,
        form=form,
        is_open=period.is_open and item.is_open,
    )
    return render(request, "risk/plan_item.html", context, status=status)
