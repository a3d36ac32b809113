"""The "My work" page: every user's open pathway actions and reviews due, and the
appointments they are booked to attend, across their people.

Kept apart from the reports' own views: it is a caseload page that reads the pathways, which
``reports`` may import (it sits above them)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from cohorts.contacts.queries import appointments_for
from cohorts.controls.queries import recall_prompts_for
from cohorts.services.tasks import my_tasks
from iom import audit
from pathways import queries as pathway_queries


@login_required
def my_work(request):
    """Overdue first, then due this week, then later. Each person listed is a consultation of
    their record (one INSERT for the page)."""
    today = timezone.localdate()
    groups = pathway_queries.my_work(request.user, today)
    # The people the user manages who have reached the recall threshold come first.
    recall_prompts = recall_prompts_for(request.user, today, managed_by=request.user)
    # The appointments the user is booked to attend this week, and past ones to record.
    appointments = appointments_for(request.user, today)
    # The follow-up tasks owned by the user's team or agency, or assigned to them.
    tasks = list(my_tasks(request.user))
    audit.record_consultations(
        audit.actor_from_request(request),
        [a.nominal_id for g in groups for a in g.actions]
        + [p.nominal_id for g in groups for p in g.reviews]
        + [prompt.nominal.pk for prompt in recall_prompts]
        + [appointment.nominal_id for appointment in appointments]
        + [task.nominal_id for task in tasks if task.nominal_id],
        description="Listed on My work",
    )
    return render(
        request,
        "reports/my_work.html",
        {
            "groups": groups,
            "recall_prompts": recall_prompts,
            "appointments": appointments,
            "tasks": tasks,
            "now": timezone.now(),
            "today": today,
            "total": sum(group.count for group in groups)
            + len(recall_prompts)
            + len(appointments)
            + len(tasks),
            "current_section": "my-work",
        },
    )
