"""The page of one follow-up task: what, for whom, by when, and marking it done."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from iom import audit
from iom.forms import GovukForm, TextareaField, add_service_errors
from iom.locking import StaleEditError

from .services import tasks as task_services


class CompleteTaskForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = TextareaField(
        label="What was done",
        max_length=500,
        required=False,
        rows=3,
    )


@login_required
def task_detail(request, task_id: int):
    """Only a user who may see the task (its owner's users, the assignee, the IOM unit) gets
    it; anyone else a 404, as for a record they may not see."""
    task = (
        task_services.visible_tasks(request.user)
        .select_related("nominal", "owner_agency", "owner_team__agency", "assignee")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise Http404("No such task.")
    form = CompleteTaskForm(request.POST or None, initial={"version": task.version})
    if request.method == "POST" and form.is_valid():
        try:
            task_services.complete_task(
                task.pk,
                by=audit.actor_from_request(request),
                version=form.cleaned_data["version"],
                outcome=form.cleaned_data["outcome"],
            )
        except StaleEditError as stale:
            form.add_error(None, str(stale))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The task is done.")
            return redirect("reports:my-work")
    if task.nominal_id:
        audit.record_consultations(
            audit.actor_from_request(request), [task.nominal_id], description="Read a task"
        )
    return render(
        request,
        "cohorts/task.html",
        {"task": task, "form": form, "current_section": "my-work"},
        status=400 if form.errors else 200,
    )
