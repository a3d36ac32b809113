"""The "My work" page: every user's open pathway actions and reviews due, the appointments
they are booked to attend, their tasks, the releases due and the recall prompts of the people
they manage, and, for a manager of the IOM unit, the recall decisions waiting for their
countersignature, across their people.

The database groups (overdue, this week, later), orders, filters (person, kind) and pages the
list, 50 rows at a time (``reports.my_work.queries``); only the rows of the page are read in
full, and only the people shown on the page are recorded as consulted.

Kept apart from the reports' own views: it is a caseload page that reads the pathways, which
``reports`` may import (it sits above them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.shortcuts import render
from django.utils import timezone

from iom import audit
from pathways import dates

from .queries import WorkList, summary
from .sources import KINDS
from .work import WorkContext, WorkItem

PAGE_SIZE = 50


@dataclass
class WorkGroupPage:
    key: str
    label: str
    count: int  # in the whole filtered list, not only this page
    items: list[WorkItem]


def _load_team_and_agency(user) -> None:
    """Read the user's team and agency in one query: the access rules read the team and the
    audit rows the agency, one lazy query each otherwise."""
    if user.team_id is None and user.agency_id is None:
        return
    loaded = get_user_model().objects.select_related("team", "agency").get(pk=user.pk)
    user.team, user.agency = loaded.team, loaded.agency


def _chosen_person(value: str, people: list[tuple[int, str]]) -> int | None:
    """The person asked for, if they are on the user's work (anything else is ignored)."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return pk if any(pk == person for person, _ in people) else None


@login_required
def my_work(request):
    """Overdue first, then due this week, then later; 50 rows a page. Each person on the page
    is a consultation of their record (one INSERT for the page)."""
    today = timezone.localdate()
    _load_team_and_agency(request.user)
    context = WorkContext(user=request.user, today=today, now=timezone.now())
    work = summary(context)
    people = work.people()
    person = _chosen_person(request.GET.get("person", ""), people)
    kind = request.GET.get("kind", "")
    kind = kind if kind in KINDS else ""
    counts = work.group_counts(person=person, kind=kind)
    shown = WorkList(context, person=person, kind=kind, count=sum(counts.values()))
    # A WorkList is sliced by the Paginator, never indexed or iterated whole (the stubs ask
    # for a full sequence).
    page: Page[WorkItem] = Paginator(cast(Any, shown), PAGE_SIZE).get_page(request.GET.get("page"))
    groups = [
        WorkGroupPage(
            key=key,
            label=label,
            count=counts[key],
            items=[item for item in page.object_list if item.group == key],
        )
        for key, label in dates.BUCKET_LABELS.items()
    ]
    audit.record_consultations(
        audit.actor_from_request(request),
        [item.nominal_id for item in page.object_list if item.nominal_id is not None],
        description="Listed on My work",
    )
    return render(
        request,
        "reports/my_work.html",
        {
            "page": page,
            "groups": groups,
            "people": people,
            "kinds": KINDS,
            "person": person,
            "kind": kind,
            "filtered": person is not None or bool(kind),
            "today": today,
            "total": work.total,
            "current_section": "my-work",
        },
    )
