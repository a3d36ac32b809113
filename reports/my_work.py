"""The "My work" page: every user's open pathway actions and reviews due, across their people.

Kept apart from the reports' own views: it is a caseload page that reads the pathways, which
``reports`` may import (it sits above them)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from iom import audit
from iom.models import AuditAction, AuditEvent
from pathways import queries as pathway_queries


@login_required
def my_work(request):
    """Overdue first, then due this week, then later. Each person listed is a consultation of
    their record (one INSERT for the page)."""
    today = timezone.localdate()
    groups = pathway_queries.my_work(request.user, today)
    _record_consultations(request, groups)
    return render(
        request,
        "reports/my_work.html",
        {
            "groups": groups,
            "today": today,
            "total": sum(group.count for group in groups),
            "current_section": "my-work",
        },
    )


def _record_consultations(request, groups) -> None:
    actor = audit.actor_from_request(request)
    nominal_ids = sorted(
        {a.nominal_id for g in groups for a in g.actions}
        | {p.nominal_id for g in groups for p in g.reviews}
    )
    AuditEvent.objects.bulk_create(
        AuditEvent(
            user=request.user,
            username=actor.username,
            agency_name=actor.agency_name,
            action=AuditAction.CONSULTATION,
            nominal_id=nominal_id,
            object_type="cohorts.Nominal",
            object_id=str(nominal_id),
            description="Listed on My work (pathway actions and reviews)",
            path=actor.path,
            ip_address=actor.ip_address,
        )
        for nominal_id in nominal_ids
    )
