"""Recall pages: starting a recall from a breach, the recall itself (its checklist, dossier,
countersignature, recommendation and cancelling) and the decision on it."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from cohorts import queries as cohort_queries
from cohorts.sections import record_consultation, section_context
from iom import access, audit, sharing
from iom.formatting import long_date
from iom.forms import add_service_errors
from iom.locking import StaleEditError

from .. import forms, queries, services
from ..models import RECALL_STEPS, RecallStatus, SanctionLevel
from .common import SECTION, form_page


@login_required
def recall_create(request, pk: int, breach_id: int):
    nominal = cohort_queries.nominal_for(request.user, pk, "change", section=sharing.CONTROLS)
    breach = queries.breach_of(nominal, breach_id)
    form = forms.RecallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recall = services.start_recall(
                breach, by=audit.actor_from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "The recall was booked. Record the decision: why, what was tried, which type.",
            )
            return redirect("cohorts:controls-recall", pk=pk, recall_id=recall.pk)
    next_level = services.next_sanction_level(breach.licence)
    return form_page(
        request,
        nominal,
        form,
        title="Start a recall",
        submit="Start recall",
        hint=f"From the breach of {long_date(breach.occurred_on)}: {breach.evidence}",
        warning=(
            None
            if next_level >= SanctionLevel.RECALL
            else "No District Manager's warning has been given on this licence: say why the "
            "warnings were skipped."
        ),
    )


def _recall_page(request, nominal, pk, recall_id, *, bound: dict, status: int = 200):
    recall = queries.recall_of(nominal, recall_id)
    can_change = access.can(request.user, "change", nominal)
    now = timezone.localtime()
    open_steps = [(name, label) for name, label in RECALL_STEPS if not getattr(recall, name)]
    step_form = bound.get("step") or forms.RecallStepForm(
        initial={
            "version": recall.version,
            "done_on": now.date(),
            "done_time": now.strftime("%H:%M"),
            "step": open_steps[0][0] if open_steps else None,
        }
    )
    step_form.fields["step"].widget = django_forms.Select(choices=open_steps)
    step_form.fields["step"].label = "Step"
    user = request.user
    context = section_context(
        request,
        nominal,
        SECTION,
        recall=recall,
        steps=recall.checklist(),
        step_labels=dict(RECALL_STEPS),
        now=timezone.now(),
        step_form=step_form,
        alternatives=list(recall.alternatives.all()),
        dossier=services.dossier_check(recall),
        may_countersign=can_change
        and user.is_iom_manager
        and recall.decided_by_id != user.pk
        and recall.status == RecallStatus.BEING_ASSESSED,
        countersign_form=bound.get("countersign")
        or forms.CountersignForm(initial={"version": recall.version}),
        recommendation_form=bound.get("recommendation")
        or forms.RecommendationForm(
            initial={"recommendation": recall.recommendation, "version": recall.version}
        ),
        cancel_form=bound.get("cancel")
        or forms.CancelRecallForm(initial={"version": recall.version}),
        can_change=can_change,
    )
    return render(request, "controls/recall.html", context, status=status)


def _recall_action(request, recall, actor, action: str, bound: dict):
    """Run one POSTed action of the recall page: a redirect when done, else None (the bound
    form, with its errors, is left in ``bound``)."""
    here = redirect("cohorts:controls-recall", pk=recall.nominal_id, recall_id=recall.pk)
    if action == "step":
        form = bound["step"] = forms.RecallStepForm(request.POST)
        if form.is_valid():
            services.complete_recall_step(recall.pk, by=actor, **form.service_arguments())
            messages.success(request, "The step was ticked.")
            return here
    elif action == "countersign":
        form = bound["countersign"] = forms.CountersignForm(request.POST)
        if form.is_valid():
            recall = services.countersign_recall_decision(recall.pk, by=actor, **form.cleaned_data)
            messages.success(
                request, f"The decision was countersigned: {recall.get_status_display()}."
            )
            return here
    elif action == "dossier-part":
        form = forms.DossierPartForm(request.POST)
        if form.is_valid():
            services.confirm_dossier_part(recall.pk, by=actor, **form.cleaned_data)
            messages.success(request, "The part of the dossier was confirmed.")
            return here
    elif action == "issue-dossier":
        form = forms.VersionForm(request.POST)
        if form.is_valid():
            services.issue_dossier(recall.pk, by=actor, **form.cleaned_data)
            messages.success(request, "The dossier was marked issued.")
            return here
    elif action == "recommendation":
        form = bound["recommendation"] = forms.RecommendationForm(request.POST)
        if form.is_valid():
            services.update_recall_recommendation(recall.pk, by=actor, **form.cleaned_data)
            messages.success(request, "The recommendation was saved.")
            return here
    elif action == "cancel":
        form = bound["cancel"] = forms.CancelRecallForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.cancel_recall(
                recall.pk, by=actor, version=data["version"], reason=data["cancelled_reason"]
            )
            messages.success(request, "The recall was cancelled.")
            return redirect("cohorts:controls", pk=recall.nominal_id)
    else:
        messages.error(request, "Select an action")
        return None
    if form.errors:
        # One banner a message: GOV.UK messages end without a full stop, so run together
        # they would read as one sentence.
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    return None


@login_required
def recall_detail(request, pk: int, recall_id: int):
    """The recall: its decision and countersignature, the checklist, the dossier check, the
    recommendation, cancelling."""
    nominal = cohort_queries.nominal_for(request.user, pk, section=sharing.CONTROLS)
    recall = queries.recall_of(nominal, recall_id)
    bound: dict = {}
    if request.method != "POST":
        record_consultation(request, nominal, "controls (recall)")
        return _recall_page(request, nominal, pk, recall_id, bound=bound)
    nominal = cohort_queries.nominal_for(request.user, pk, "change", section=sharing.CONTROLS)
    actor = audit.actor_from_request(request)
    done = None
    try:
        done = _recall_action(request, recall, actor, request.POST.get("action", ""), bound)
    except StaleEditError as stale:
        messages.error(request, str(stale))
        return _recall_page(request, nominal, pk, recall_id, bound={}, status=409)
    except PermissionDenied as denied:
        messages.error(request, str(denied))
        return _recall_page(request, nominal, pk, recall_id, bound=bound, status=403)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    if done is not None:
        return done
    return _recall_page(request, nominal, pk, recall_id, bound=bound, status=400)


@login_required
def recall_decision(request, pk: int, recall_id: int):
    """Consider a recall: why, the alternatives tried (prefilled from the record), and the
    type of recall or no recall. A manager then countersigns it on the recall page."""
    nominal = cohort_queries.nominal_for(request.user, pk, "change", section=sharing.CONTROLS)
    recall = queries.recall_of(nominal, recall_id)
    candidates = services.alternative_candidates(recall, request.user)
    if recall.is_decided:
        chosen = list(recall.alternatives.exclude(source="").values_list("source", flat=True))
    else:
        chosen = [candidate.source for candidate in candidates]
    initial = {
        "version": recall.version,
        "chosen": chosen,
        "grounds": recall.grounds,
        "recall_type": recall.recall_type,
        "rationale": recall.decision_rationale or recall.reason,
    }
    form = forms.RecallDecisionForm(request.POST or None, candidates=candidates, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.record_recall_decision(
                recall.pk, by=audit.actor_from_request(request), **form.service_arguments()
            )
        except StaleEditError as stale:
            form.add_error(None, str(stale))
            status = 409
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "The decision was recorded. A manager of the IOM unit must countersign it."
            )
            return redirect("cohorts:controls-recall", pk=pk, recall_id=recall.pk)
    elif request.method == "GET":
        record_consultation(request, nominal, "controls (recall decision)")
    context = section_context(
        request, nominal, SECTION, recall=recall, form=form, candidates=candidates
    )
    return render(
        request,
        "controls/recall_decision.html",
        context,
        status=400 if form.errors and status == 200 else status,
    )
