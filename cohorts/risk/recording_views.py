"""Pages that record and correct arrests, detected offences and intelligence, and partners'
submissions of intelligence with the IOM unit's decision on them (docs/offending.md)."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from cohorts.sections import record_consultation, section_context
from iom import audit, sharing
from iom.forms import add_service_errors
from iom.locking import StaleEditError

from . import queries, recording
from .forms import ArrestForm, DecisionForm, DetectionForm, IntelligenceForm, SubmissionForm
from .models import Arrest, DetectedOffence, IntelligenceReport

PAGE_SIZE = 50


@dataclass(frozen=True)
class _Kind:
    form: type
    section: str
    record: object
    correct: object
    noun: str


KINDS = {
    Arrest: _Kind(ArrestForm, sharing.ARRESTS, recording.record_arrest,
                  recording.correct_arrest, "arrest"),
    DetectedOffence: _Kind(DetectionForm, sharing.OFFENDING, recording.record_detection,
                           recording.correct_detection, "detected offence"),
    IntelligenceReport: _Kind(IntelligenceForm, sharing.INTELLIGENCE,
                              recording.record_intelligence, recording.correct_intelligence,
                              "intelligence report"),
}  # fmt: skip


def _writable_nominal(request, pk: int, model):
    """The person, if the user may see them (404 otherwise) and write this kind of record
    about them (403 otherwise)."""
    nominal = queries.nominal_for(request.user, pk, section=KINDS[model].section)
    if not recording.can_record(request.user, nominal, model):
        raise PermissionDenied(f"You cannot record this person's {KINDS[model].noun}s.")
    return nominal


def _record_page(request, pk: int, model, row_id: int | None = None):
    kind = KINDS[model]
    nominal = _writable_nominal(request, pk, model)
    row = None
    if row_id is not None:
        rows = model.objects.filter(nominal=nominal).select_related("offence_type")
        row = get_object_or_404(rows, pk=row_id)
    form = kind.form(request.POST or None, row=row)
    status = 200
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        version = values.pop("version", None)
        by = audit.actor_from_request(request)
        try:
            if row is None:
                kind.record(nominal, by=by, **values)
            else:
                kind.correct(row.pk, by=by, version=version, **values)
        except StaleEditError as stale:
            form.add_error(None, str(stale))
            status = 409
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            done = "recorded" if row is None else "corrected"
            messages.success(request, f"The {kind.noun} was {done}.")
            return redirect("cohorts:offending", pk=nominal.pk)
    elif request.method == "GET":
        record_consultation(request, nominal, "offending")
    if form.errors and status == 200:
        status = 400
    verb = "Record" if row is None else "Correct"
    article = "an" if kind.noun[0] in "aeiou" else "a"
    title = f"{verb} {article if row is None else 'the'} {kind.noun}"
    context = section_context(request, nominal, "offending", form=form, title=title, row=row)
    return render(request, "risk/record_form.html", context, status=status)


@login_required
def arrest_new(request, pk: int):
    return _record_page(request, pk, Arrest)


@login_required
def arrest_edit(request, pk: int, row_id: int):
    return _record_page(request, pk, Arrest, row_id)


@login_required
def detection_new(request, pk: int):
    return _record_page(request, pk, DetectedOffence)


@login_required
def detection_edit(request, pk: int, row_id: int):
    return _record_page(request, pk, DetectedOffence, row_id)


@login_required
def intelligence_new(request, pk: int):
    return _record_page(request, pk, IntelligenceReport)


@login_required
def intelligence_edit(request, pk: int, row_id: int):
    return _record_page(request, pk, IntelligenceReport, row_id)


# --- Partners' submissions --------------------------------------------------------------------


@login_required
def intelligence_submit(request, pk: int):
    """A partner who may see the person tells the IOM unit something about them."""
    nominal = queries.nominal_for(request.user, pk)
    if not recording.can_submit_intelligence(request.user, nominal):
        raise PermissionDenied("The IOM unit records intelligence directly.")
    form = SubmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recording.submit_intelligence(
                nominal, by=audit.actor_from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Sent to the IOM unit, who will assess and grade it.")
            return redirect(_after_submission(request, nominal))
    elif request.method == "GET":
        record_consultation(request, nominal, "intelligence submission")
    context = section_context(
        request, nominal, "offending", form=form, title="Submit intelligence to the IOM unit",
        cancel=_after_submission(request, nominal),
    )  # fmt: skip
    return render(request, "risk/record_form.html", context, status=400 if form.errors else 200)


def _after_submission(request, nominal) -> str:
    if sharing.covers(request.user, sharing.OFFENDING):
        return reverse("cohorts:offending", kwargs={"pk": nominal.pk})
    return reverse("cohorts:nominal", kwargs={"pk": nominal.pk})


@login_required
def submission_decide(request, pk: int, submission_id: int):
    """The IOM unit grades a partner's submission and accepts it, or rejects it."""
    nominal = queries.nominal_for(request.user, pk)
    if not recording.can_grade(request.user):
        raise PermissionDenied("Only the IOM unit grades intelligence.")
    submission = get_object_or_404(queries.submissions_for(request.user, nominal), pk=submission_id)
    form = DecisionForm(
        request.POST or None,
        initial={"version": submission.version, "summary": submission.summary},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by = audit.actor_from_request(request)
        try:
            if data["decision"] == "reject":
                recording.reject_submission(
                    submission.pk, by=by, version=data["version"], note=data["note"]
                )
            else:
                recording.accept_submission(
                    submission.pk, by=by, version=data["version"], note=data["note"],
                    summary=data["summary"], grading_system=data["grading_system"],
                    source_evaluation=data["source_evaluation"],
                    intelligence_assessment=data["intelligence_assessment"],
                    handling_code=data["handling_code"],
                    handling_conditions=data["handling_conditions"],
                )  # fmt: skip
        except StaleEditError as stale:
            form.add_error(None, str(stale))
            status = 409
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The decision was recorded.")
            return redirect("cohorts:offending", pk=nominal.pk)
    elif request.method == "GET":
        record_consultation(request, nominal, "intelligence submission")
    if form.errors and status == 200:
        status = 400
    context = section_context(
        request, nominal, "offending", form=form, submission=submission,
        title="Assess and grade the submission",
    )  # fmt: skip
    return render(request, "risk/submission_decide.html", context, status=status)


@login_required
def submissions_waiting(request):
    """Every submission waiting to be graded, oldest first: the IOM unit's queue."""
    if not recording.can_grade(request.user):
        raise PermissionDenied("Only the IOM unit grades intelligence.")
    page = Paginator(queries.waiting_submissions(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    audit.record_consultations(
        audit.actor_from_request(request),
        [submission.nominal_id for submission in page],
        description="Listed on intelligence waiting to be graded",
    )
    return render(
        request,
        "risk/submissions_waiting.html",
        {"page": page, "current_section": "intelligence"},
    )
