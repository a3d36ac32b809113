"""Pages of a person's pathway plan: the plan and timeline, and the forms that change it."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from cohorts import queries as cohort_queries
from cohorts.sections import record_consultation, section_context
from iom import audit, sharing
from iom.forms import add_service_errors
from iom.locking import StaleEditError

from . import queries, services
from .forms import ActionForm, PathwayForm, ReviewForm
from .models import PathwayConfiguration, PathwayKind
from .permissions import PlanAccess, plan_access

SECTION = "pathways"


def _kind(pathway: str) -> PathwayKind:
    if pathway not in PathwayKind.values:
        raise Http404("No such pathway.")
    return PathwayKind(pathway)


def _require_act(rights: PlanAccess, kind: PathwayKind) -> None:
    if not rights.may_act(kind):
        raise PermissionDenied(
            f"Your agency does not deliver the {kind.label} pathway, so you cannot change it."
        )


def _render_form(request, nominal, template: str, status: int | None = None, **extra):
    if status is None:
        status = 400 if request.method == "POST" else 200
    return render(
        request, template, section_context(request, nominal, SECTION, **extra), status=status
    )


@login_required
def plan(request, pk: int):
    """The plan: eight pathway cards and a timeline. POST starts a plan that does not exist."""
    nominal = cohort_queries.nominal_for(request.user, pk, section=sharing.PATHWAYS)
    if request.method == "POST":
        services.start_plan(nominal, by=audit.actor_from_request(request))
        messages.success(request, "The pathway plan was started.")
        return redirect("pathways:plan", pk=nominal.pk)
    record_consultation(request, nominal, SECTION)
    view = queries.plan_view(request.user, nominal, timezone.localdate())
    return render(
        request, "pathways/plan.html", section_context(request, nominal, SECTION, view=view)
    )


@login_required
def pathway_edit(request, pk: int, pathway: str):
    """Change a pathway's need, contact, aims, review date and status."""
    kind = _kind(pathway)
    nominal = cohort_queries.nominal_for(request.user, pk, section=sharing.PATHWAYS)
    _require_act(plan_access(request.user, nominal), kind)
    stored = queries.plan_pathway_for(request.user, nominal, kind)
    initial = {
        "need": stored.need,
        "contact_agency": stored.contact_agency_id,
        "contact_worker": stored.contact_worker_id,
        "aims": stored.aims,
        "review_date": stored.review_date,
        "status": stored.status,
        "closing_reason": stored.closing_reason,
        "version": stored.version,
    }
    form = PathwayForm(request.POST or None, initial=initial)
    current = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_pathway(
                stored.pk,
                by=audit.actor_from_request(request),
                version=data["version"],
                need=data["need"],
                contact_agency=data["contact_agency"],
                contact_worker=data["contact_worker"],
                aims=data["aims"],
                review_date=data["review_date"],
                status=data["status"],
                closing_reason=data["closing_reason"],
                need_assessed_on=data["need_assessed_on"],
            )
        except StaleEditError as stale:
            form.add_error(None, str(stale))
            current = stale.current
            return _render_form(
                request, nominal, "pathways/pathway_form.html", 409,
                form=form, pathway=stored, current=current,
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The {kind.label} pathway was updated.")
            return redirect("pathways:plan", pk=nominal.pk)
    elif request.method == "GET":
        record_consultation(request, nominal, f"{kind.label} pathway")
    return _render_form(request, nominal, "pathways/pathway_form.html", form=form, pathway=stored)


@login_required
def action_new(request, pk: int, pathway: str):
    """Add an action to one pathway (the plan is started if it does not exist yet)."""
    kind = _kind(pathway)
    nominal = cohort_queries.nominal_for(request.user, pk, section=sharing.PATHWAYS)
    rights = plan_access(request.user, nominal)
    _require_act(rights, kind)
    own_agency = None if rights.acts_on_all else request.user.agency
    form = ActionForm(request.POST or None, agency=own_agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_action(
                nominal,
                by=audit.actor_from_request(request),
                pathway=kind,
                description=data["description"],
                agency=data["agency"],
                assigned_to=data["assigned_to"],
                due_on=data["due_on"],
                done_on=data["done_on"],
                outcome=data["outcome"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The action was added to {kind.label}.")
            return redirect("pathways:plan", pk=nominal.pk)
    elif request.method == "GET":
        record_consultation(request, nominal, f"{kind.label} pathway")
    return _render_form(
        request, nominal, "pathways/action_form.html", form=form, kind=kind, action=None
    )


@login_required
def action_edit(request, pk: int, action_id: int):
    """Update an action: what, by whom, dates and outcome, from the version it was read at."""
    nominal = cohort_queries.nominal_for(request.user, pk, section=sharing.PATHWAYS)
    action = queries.action_for(request.user, nominal, action_id)
    kind = PathwayKind(action.plan_pathway.pathway)
    rights = plan_access(request.user, nominal)
    _require_act(rights, kind)
    own_agency = None if rights.acts_on_all else request.user.agency
    initial = {
        "description": action.description,
        "agency": action.agency_id,
        "assigned_to": action.assigned_to_id,
        "due_on": action.due_on,
        "done_on": action.done_on,
        "outcome": action.outcome,
        "version": action.version,
    }
    form = ActionForm(request.POST or None, initial=initial, agency=own_agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in services.ACTION_FIELDS}
        try:
            services.update_action(
                action.pk,
                by=audit.actor_from_request(request),
                version=data["version"] or 0,
                changes=changes,
            )
        except StaleEditError as stale:
            form.add_error(None, str(stale))
            return _render_form(
                request, nominal, "pathways/action_form.html", 409,
                form=form, kind=kind, action=action, current=stale.current,
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The action was updated.")
            return redirect("pathways:plan", pk=nominal.pk)
    elif request.method == "GET":
        record_consultation(request, nominal, f"{kind.label} pathway")
    return _render_form(
        request, nominal, "pathways/action_form.html", form=form, kind=kind, action=action
    )


@login_required
def review_new(request, pk: int, pathway: str):
    """Record a review of one pathway and set the next review date."""
    kind = _kind(pathway)
    nominal = cohort_queries.nominal_for(request.user, pk, section=sharing.PATHWAYS)
    _require_act(plan_access(request.user, nominal), kind)
    stored = queries.plan_pathway_for(request.user, nominal, kind)
    today = timezone.localdate()
    interval = PathwayConfiguration.current().review_interval_days
    form = ReviewForm(
        request.POST or None,
        initial={
            "reviewed_on": today,
            "next_review_date": today + datetime.timedelta(days=interval),
            "version": stored.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_review(
                stored.pk,
                by=audit.actor_from_request(request),
                version=data["version"],
                reviewed_on=data["reviewed_on"],
                notes=data["notes"],
                next_review_date=data["next_review_date"],
            )
        except StaleEditError as stale:
            form.add_error(None, str(stale))
            return _render_form(
                request, nominal, "pathways/review_form.html", 409, form=form, pathway=stored
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The review of {kind.label} was recorded.")
            return redirect("pathways:plan", pk=nominal.pk)
    elif request.method == "GET":
        record_consultation(request, nominal, f"{kind.label} pathway")
    return _render_form(request, nominal, "pathways/review_form.html", form=form, pathway=stored)
