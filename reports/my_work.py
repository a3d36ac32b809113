"""The "My work" page: every user's open pathway actions and reviews due, the appointments
they are booked to attend, their tasks, the releases due and the recall prompts of the people
they manage, across their people.

One list of light rows is built from each source (a fixed number of queries each, whatever
the number of rows), sorted by group (overdue, this week, later) then date, filtered by person
and kind, and paged 50 rows at a time. Only the people shown on the page are recorded as
consulted.

Kept apart from the reports' own views: it is a caseload page that reads the pathways, which
``reports`` may import (it sits above them)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from cohorts.contacts.queries import appointments_for
from cohorts.controls.queries import recall_prompts_for
from cohorts.risk.custody import releases_due_for
from cohorts.services.tasks import my_tasks
from iom import audit
from pathways import dates
from pathways import queries as pathway_queries

PAGE_SIZE = 50

RECALL = "recall"
RELEASE = "release"
APPOINTMENT = "appointment"
TASK = "task"
REVIEW = "review"
ACTION = "action"

# The kinds in the order they come within a day, with the filter's labels.
KINDS = {
    RECALL: "Recall prompts",
    RELEASE: "Releases due",
    APPOINTMENT: "Appointments",
    TASK: "Tasks",
    REVIEW: "Reviews",
    ACTION: "Actions",
}
KIND_LABELS = {
    RECALL: "Recall threshold reached",
    RELEASE: "Release due",
    APPOINTMENT: "Appointment",
    TASK: "Task",
    REVIEW: "Review",
    ACTION: "Action",
}
_KIND_ORDER = {kind: n for n, kind in enumerate(KINDS)}
_GROUP_ORDER = {key: n for n, key in enumerate(dates.BUCKET_LABELS)}


@dataclass
class WorkItem:
    """One row of My work, whatever its source."""

    kind: str
    group: str
    nominal_id: int | None
    surname: str
    first_names: str
    person_url: str
    title: str
    url: str
    due: datetime.date | None = None
    at: datetime.datetime | None = None
    detail: str = ""
    tags: list[tuple[str, str]] = field(default_factory=list)  # (text, colour)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def sort_key(self):
        # Within a group: soonest first, undated last; recall prompts (now) before anything.
        undated = self.due is None and self.kind != RECALL
        return (
            _GROUP_ORDER[self.group],
            undated,
            self.due or datetime.date.min,
            self.at or datetime.datetime.min.replace(tzinfo=datetime.UTC),
            _KIND_ORDER[self.kind],
            self.surname,
            self.first_names,
            self.nominal_id or 0,
            self.title,
        )


@dataclass
class WorkGroupPage:
    key: str
    label: str
    count: int  # in the whole filtered list, not only this page
    items: list[WorkItem]


def _person(nominal, url: str) -> dict:
    return {
        "nominal_id": nominal.pk,
        "surname": nominal.surname,
        "first_names": nominal.first_names,
        "person_url": url,
    }


def work_items(user, today: datetime.date) -> list[WorkItem]:
    """Every row of the user's My work, sorted; each source filters to what the user may see
    and costs a fixed number of queries."""
    now = timezone.now()
    items: list[WorkItem] = []
    for prompt in recall_prompts_for(user, today, managed_by=user):
        url = reverse("cohorts:controls", args=[prompt.nominal.pk])
        items.append(
            WorkItem(
                kind=RECALL,
                group=dates.OVERDUE,
                title="Recall threshold reached",
                url=url,
                detail="; ".join(prompt.reasons),
                tags=[("Recall threshold reached", "red")],
                **_person(prompt.nominal, url),
            )
        )
    for period in releases_due_for(user, today):
        url = reverse("cohorts:custody", args=[period.nominal_id])
        due = period.expected_release_on
        plan_items = getattr(period, "plan_items", 0)
        items.append(
            WorkItem(
                kind=RELEASE,
                group=dates.bucket(due, today) if due else dates.LATER,
                title="Release from custody",
                url=url,
                due=due,
                detail=(
                    f"Day-of-release plan: {plan_items} item{'s' if plan_items != 1 else ''}"
                    if plan_items
                    else ""
                ),
                tags=[(getattr(period, "countdown", ""), "yellow")]
                + ([] if plan_items else [("No plan", "red")]),
                **_person(period.nominal, url),
            )
        )
    for appointment in appointments_for(user, today):
        person_url = reverse("cohorts:contacts", args=[appointment.nominal_id])
        day = timezone.localdate(appointment.planned_at)
        past = appointment.planned_at < now
        kind = appointment.get_kind_display()
        items.append(
            WorkItem(
                kind=APPOINTMENT,
                group=dates.OVERDUE if past else dates.bucket(day, today),
                title="Record outcome",
                url=reverse("cohorts:contact", args=[appointment.nominal_id, appointment.pk]),
                due=day,
                at=appointment.planned_at,
                detail=f"{kind}, {appointment.location}" if appointment.location else kind,
                tags=[("To record", "orange")] if past else [],
                **_person(appointment.nominal, person_url),
            )
        )
    for task in my_tasks(user):
        nominal = task.nominal
        person = (
            _person(nominal, reverse("cohorts:nominal", args=[task.nominal_id]))
            if nominal is not None
            else {"nominal_id": None, "surname": "", "first_names": "", "person_url": ""}
        )
        owner = f"{task.assignee}, {task.owner}" if task.assignee_id else str(task.owner)
        items.append(
            WorkItem(
                kind=TASK,
                group=dates.bucket(task.due_on, today) if task.due_on else dates.LATER,
                title=task.title,
                url=reverse("cohorts:task", args=[task.pk]),
                due=task.due_on,
                detail=f"{task.get_kind_display()}, for {owner}",
                tags=[("Overdue", "red")] if task.due_on and task.due_on < today else [],
                **person,
            )
        )
    for group in pathway_queries.my_work(user, today):
        for pathway in group.reviews:
            url = reverse("pathways:plan", args=[pathway.nominal_id]) + (
                f"#pathway-{pathway.pathway}"
            )
            contact = pathway.contact_agency or "Not named"
            if pathway.contact_worker:
                contact = f"{pathway.contact_worker}, {contact}"
            items.append(
                WorkItem(
                    kind=REVIEW,
                    group=group.key,
                    title=f"Review the {pathway.get_pathway_display()} pathway",
                    url=url,
                    due=pathway.review_date,
                    detail=f"Contact: {contact}",
                    tags=[("Overdue", "red")] if group.key == dates.OVERDUE else [],
                    **_person(pathway.nominal, url),
                )
            )
        for action in group.actions:
            items.append(
                WorkItem(
                    kind=ACTION,
                    group=group.key,
                    title=action.description,
                    url=reverse("pathways:action-edit", args=[action.nominal_id, action.pk]),
                    due=action.due_on,
                    detail=action.plan_pathway.get_pathway_display(),
                    tags=[("Overdue", "red")] if group.key == dates.OVERDUE else [],
                    **_person(action.nominal, reverse("pathways:plan", args=[action.nominal_id])),
                )
            )
    items.sort(key=lambda item: item.sort_key)
    return items


def people_of(items: list[WorkItem]) -> list[tuple[int, str]]:
    """The people on the user's work, by name, for the person filter."""
    people = {
        item.nominal_id: (item.surname, item.first_names)
        for item in items
        if item.nominal_id is not None
    }
    return [
        (pk, f"{surname}, {first_names}")
        for pk, (surname, first_names) in sorted(people.items(), key=lambda p: (p[1], p[0]))
    ]


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
    items = work_items(request.user, today)
    people = people_of(items)
    person = _chosen_person(request.GET.get("person", ""), people)
    kind = request.GET.get("kind", "")
    kind = kind if kind in KINDS else ""
    shown = [
        item
        for item in items
        if (person is None or item.nominal_id == person) and (not kind or item.kind == kind)
    ]
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = {key: 0 for key in dates.BUCKET_LABELS}
    for item in shown:
        counts[item.group] += 1
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
            "total": len(items),
            "current_section": "my-work",
        },
    )
