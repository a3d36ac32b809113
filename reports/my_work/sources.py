"""The sources of My work, one description each.

A source says three things: which rows are the user's (a queryset already filtered to what
the user may see, annotated with the columns every source shares: ``work_columns``); what the
page needs of one row (``data``: named expressions over the source's model, read only for the
rows on the page); and how that data reads as a row of the page (``item``).

The columns shared by every source are what the database needs to group, order, filter and
page the whole list (``reports.my_work.queries``): the kind, the group (overdue, this week,
later), the date and time it is due, the person and the title.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import (
    Case,
    CharField,
    DateField,
    DateTimeField,
    Expression,
    F,
    IntegerField,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, JSONObject, TruncDate
from django.urls import reverse
from django.utils import timezone

from cohorts.contacts.models import ContactKind
from cohorts.contacts.queries import appointments_due
from cohorts.controls.models import ControlsConfiguration, RecallType
from cohorts.controls.queries import (
    RecallPrompt,
    decisions_to_countersign,
    recall_threshold_people,
    with_recall_threshold,
)
from cohorts.models import Nominal, TaskKind
from cohorts.risk import custody
from cohorts.services.tasks import my_tasks
from iom.models import User
from pathways import dates
from pathways import queries as pathway_queries
from pathways.models import PathwayKind

# The groups in their order on the page, by the number the database sorts them by.
GROUPS = tuple(dates.BUCKET_LABELS)
OVERDUE, THIS_WEEK, LATER = range(3)


@dataclass(frozen=True)
class WorkContext:
    """What every source reads: the user, the day and the moment, and the configuration."""

    user: Any
    today: datetime.date
    now: datetime.datetime
    _rows: dict = field(default_factory=dict, compare=False, repr=False)

    def rows(self, source: Source) -> QuerySet:
        """The source's rows for this user (built once: building some reads a setting)."""
        if source.kind not in self._rows:
            self._rows[source.kind] = source.rows(self)
        return self._rows[source.kind]

    @cached_property
    def end_of_week(self) -> datetime.date:
        return dates.end_of_week(self.today)

    @cached_property
    def horizon(self) -> datetime.date:
        return pathway_queries.my_work_horizon(self.today)

    @cached_property
    def controls_configuration(self) -> ControlsConfiguration:
        return ControlsConfiguration.current()


@dataclass
class WorkItem:
    """One row of My work, whatever its source."""

    kind: str
    kind_label: str
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


@dataclass(frozen=True)
class Source:
    kind: str
    filter_label: str  # in the "Kind of work" filter
    row_label: str  # above the row's title
    rows: Callable[[WorkContext], QuerySet]
    data: Callable[[WorkContext, QuerySet], QuerySet]  # annotates the page's rows with "w_data"
    item: Callable[[dict, WorkContext], dict]  # the WorkItem's fields but kind and group


# --- The shared columns ---------------------------------------------------------------------

COLUMNS = (
    "w_kind",
    "w_order",
    "w_group",
    "w_undated",
    "w_due",
    "w_at",
    "w_nominal",
    "w_surname",
    "w_first_names",
    "w_title",
    "w_object",
)


def work_columns(
    queryset: QuerySet,
    context: WorkContext,
    *,
    kind: str,
    title: Expression | F,
    due: Expression | F | None = None,
    at: Expression | F | None = None,
    group: Expression | None = None,
    nominal: str = "nominal",
) -> QuerySet:
    """``queryset`` with the columns every source shares (``COLUMNS``), and only those.

    ``group``: the row's group when it is not the one its due date gives (a recall prompt is
    always overdue, an appointment whose time has passed is overdue)."""
    person = {
        "w_nominal": F("pk") if nominal == "" else F(f"{nominal}_id"),
        "w_surname": Coalesce(F(f"{nominal}__surname" if nominal else "surname"), Value("")),
        "w_first_names": Coalesce(
            F(f"{nominal}__first_names" if nominal else "first_names"), Value("")
        ),
    }
    dated = queryset.annotate(
        w_due=due if due is not None else Cast(Value(None), DateField()),
        w_at=at if at is not None else Cast(Value(None), DateTimeField()),
    )
    by_date = Case(
        When(w_due__isnull=True, then=Value(LATER)),
        When(w_due__lt=context.today, then=Value(OVERDUE)),
        When(w_due__lte=context.end_of_week, then=Value(THIS_WEEK)),
        default=Value(LATER),
        output_field=IntegerField(),
    )
    return (
        dated.annotate(
            w_kind=Value(kind, output_field=CharField()),
            w_order=Value(KIND_ORDER[kind], output_field=IntegerField()),
            w_group=group if group is not None else by_date,
            w_undated=Case(
                When(w_due__isnull=True, then=Value(0 if kind == RECALL else 1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            w_title=Cast(title, CharField()),
            w_object=F("pk"),
            **person,
        )
        .order_by()
        .values_list(*COLUMNS)
    )


def _json(queryset: QuerySet, **fields) -> QuerySet:
    return queryset.annotate(w_object=F("pk"), w_data=JSONObject(**fields))


def _person_fields(nominal: str = "nominal") -> dict:
    if not nominal:
        return {"nominal_id": F("pk"), "surname": F("surname"), "first_names": F("first_names")}
    return {
        "nominal_id": F(f"{nominal}_id"),
        "surname": F(f"{nominal}__surname"),
        "first_names": F(f"{nominal}__first_names"),
    }


def _user_fields(prefix: str) -> dict:
    return {
        f"{prefix}_id": F(f"{prefix}_id"),
        f"{prefix}_first_name": F(f"{prefix}__first_name"),
        f"{prefix}_last_name": F(f"{prefix}__last_name"),
        f"{prefix}_username": F(f"{prefix}__username"),
    }


def _user_name(data: dict, prefix: str) -> str:
    if data.get(f"{prefix}_id") is None:
        return ""
    return str(
        User(
            first_name=data[f"{prefix}_first_name"] or "",
            last_name=data[f"{prefix}_last_name"] or "",
            username=data[f"{prefix}_username"] or "",
        )
    )


def _person(data: dict, url: str) -> dict:
    return {
        "nominal_id": data["nominal_id"],
        "surname": data["surname"] or "",
        "first_names": data["first_names"] or "",
        "person_url": url,
    }


def parse_date(value) -> datetime.date | None:
    return datetime.date.fromisoformat(str(value)[:10]) if value else None


def parse_datetime(value) -> datetime.datetime | None:
    """A time as the JSON of either database writes it (ISO 8601; SQLite's without a zone,
    in UTC)."""
    if not value:
        return None
    moment = datetime.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _overdue_tag(due: datetime.date | None, context: WorkContext) -> list[tuple[str, str]]:
    return [("Overdue", "red")] if due and due < context.today else []


# --- Recall prompts -------------------------------------------------------------------------

RECALL = "recall"
COUNTERSIGN = "countersign"
RELEASE = "release"
APPOINTMENT = "appointment"
TASK = "task"
REVIEW = "review"
ACTION = "action"


def _recall_rows(context: WorkContext) -> QuerySet:
    people = recall_threshold_people(
        context.user, context.today, context.controls_configuration, managed_by=context.user
    )
    return work_columns(
        people,
        context,
        kind=RECALL,
        title=Value("Recall threshold reached"),
        group=Value(OVERDUE, output_field=IntegerField()),
        nominal="",
    )


def _recall_data(context: WorkContext, rows: QuerySet) -> QuerySet:
    return _json(
        with_recall_threshold(rows, context.today),
        class_a_positives=F("class_a_positives"),
        missed_tests=F("missed_tests"),
        **_person_fields(""),
    )


def _recall_item(data: dict, context: WorkContext) -> dict:
    prompt = RecallPrompt(
        nominal=Nominal(pk=data["nominal_id"]),
        class_a_positives=data["class_a_positives"],
        missed_tests=data["missed_tests"],
        configuration=context.controls_configuration,
    )
    url = reverse("cohorts:controls", args=[data["nominal_id"]])
    return {
        "title": "Recall threshold reached",
        "url": url,
        "detail": "; ".join(prompt.reasons),
        "tags": [("Recall threshold reached", "red")],
        **_person(data, url),
    }


# --- Recall decisions to countersign ---------------------------------------------------------


def _countersign_rows(context: WorkContext) -> QuerySet:
    return work_columns(
        decisions_to_countersign(context.user),
        context,
        kind=COUNTERSIGN,
        title=Value("Countersign the recall decision"),
        due=TruncDate("decided_at"),
    )


def _countersign_data(context: WorkContext, rows: QuerySet) -> QuerySet:
    return _json(
        rows,
        recall_type=F("recall_type"),
        decided_at=F("decided_at"),
        **_user_fields("decided_by"),
        **_person_fields(),
    )


def _countersign_item(data: dict, context: WorkContext) -> dict:
    decided_by = _user_name(data, "decided_by")
    recall_type = RecallType(data["recall_type"]).label if data["recall_type"] else "Decision"
    return {
        "title": "Countersign the recall decision",
        "url": reverse("cohorts:controls-recall", args=[data["nominal_id"], data["id"]]),
        "due": _local_day(data["decided_at"]),
        "detail": f"{recall_type}, decided by {decided_by}" if decided_by else recall_type,
        "tags": [("Awaiting countersignature", "orange")],
        **_person(data, reverse("cohorts:controls", args=[data["nominal_id"]])),
    }


def _local_day(value) -> datetime.date | None:
    moment = parse_datetime(value)
    return timezone.localdate(moment) if moment else None


# --- Releases due ---------------------------------------------------------------------------


def _release_rows(context: WorkContext) -> QuerySet:
    return work_columns(
        custody.releases_due(context.user, context.today),
        context,
        kind=RELEASE,
        title=Value("Release from custody"),
        due=F("expected_release_on"),
    )


def _release_data(context: WorkContext, rows: QuerySet) -> QuerySet:
    return _json(
        rows,
        expected_release_on=F("expected_release_on"),
        plan_items=custody.plan_item_count(),
        **_person_fields(),
    )


def _release_item(data: dict, context: WorkContext) -> dict:
    due = parse_date(data["expected_release_on"])
    plan_items = data["plan_items"] or 0
    url = reverse("cohorts:custody", args=[data["nominal_id"]])
    return {
        "title": "Release from custody",
        "url": url,
        "due": due,
        "detail": (
            f"Day-of-release plan: {plan_items} item{'s' if plan_items != 1 else ''}"
            if plan_items
            else ""
        ),
        "tags": [(custody.countdown((due - context.today).days if due else None), "yellow")]
        + ([] if plan_items else [("No plan", "red")]),
        **_person(data, url),
    }


# --- Appointments ---------------------------------------------------------------------------


def _appointment_rows(context: WorkContext) -> QuerySet:
    return work_columns(
        appointments_due(context.user, context.today),
        context,
        kind=APPOINTMENT,
        title=Value("Record outcome"),
        due=TruncDate("planned_at"),
        at=F("planned_at"),
        group=Case(
            When(planned_at__lt=context.now, then=Value(OVERDUE)),
            When(w_due__lt=context.today, then=Value(OVERDUE)),
            When(w_due__lte=context.end_of_week, then=Value(THIS_WEEK)),
            default=Value(LATER),
            output_field=IntegerField(),
        ),
    )


def _appointment_data(context: WorkContext, rows: QuerySet) -> QuerySet:
    return _json(
        rows,
        contact_kind=F("kind"),
        planned_at=F("planned_at"),
        location=F("location"),
        **_person_fields(),
    )


def _appointment_item(data: dict, context: WorkContext) -> dict:
    at = parse_datetime(data["planned_at"])
    past = at is not None and at < context.now
    kind = ContactKind(data["contact_kind"]).label if data["contact_kind"] else ""
    return {
        "title": "Record outcome",
        "url": reverse("cohorts:contact", args=[data["nominal_id"], data["id"]]),
        "due": timezone.localdate(at) if at else None,
        "at": at,
        "detail": f"{kind}, {data['location']}" if data["location"] else kind,
        "tags": [("To record", "orange")] if past else [],
        **_person(data, reverse("cohorts:contacts", args=[data["nominal_id"]])),
    }


# --- Tasks ----------------------------------------------------------------------------------


def _task_rows(context: WorkContext) -> QuerySet:
    return work_columns(
        my_tasks(context.user), context, kind=TASK, title=F("title"), due=F("due_on")
    )


def _task_data(context: WorkContext, rows: QuerySet) -> QuerySet:
    return _json(
        rows,
        title=F("title"),
        task_kind=F("kind"),
        due_on=F("due_on"),
        owner_team=F("owner_team__name"),
        owner_team_agency=F("owner_team__agency__name"),
        owner_agency=F("owner_agency__name"),
        **_user_fields("assignee"),
        **_person_fields(),
    )


def _task_item(data: dict, context: WorkContext) -> dict:
    if data["nominal_id"] is not None:
        person = _person(data, reverse("cohorts:nominal", args=[data["nominal_id"]]))
    else:
        person = {"nominal_id": None, "surname": "", "first_names": "", "person_url": ""}
    # As ``Task.owner`` and ``Team.__str__`` read.
    if data["owner_team"] is not None:
        owner = f"{data['owner_team']} ({data['owner_team_agency']})"
    else:
        owner = data["owner_agency"] or ""
    if data["assignee_id"] is not None:
        owner = f"{_user_name(data, 'assignee')}, {owner}"
    due = parse_date(data["due_on"])
    return {
        "title": data["title"],
        "url": reverse("cohorts:task", args=[data["id"]]),
        "due": due,
        "detail": f"{TaskKind(data['task_kind']).label}, for {owner}",
        "tags": _overdue_tag(due, context),
        **person,
    }


# --- Pathway reviews and actions -------------------------------------------------------------

_PATHWAY_LABELS = [When(pathway=kind, then=Value(label)) for kind, label in PathwayKind.choices]


def _review_rows(context: WorkContext) -> QuerySet:
    title = Concat(
        Value("Review the "),
        Case(*_PATHWAY_LABELS, default=F("pathway"), output_field=CharField()),
        Value(" pathway"),
        output_field=CharField(),
    )
    reviews = pathway_queries.my_reviews(context.user, context.today, context.horizon)
    return work_columns(reviews, context, kind=REVIEW, title=title, due=F("review_date"))


def _review_data(context: WorkContext, rows: QuerySet) -> QuerySet:
    return _json(
        rows,
        pathway=F("pathway"),
        review_date=F("review_date"),
        contact_agency=F("contact_agency__name"),
        **_user_fields("contact_worker"),
        **_person_fields(),
    )


def _review_item(data: dict, context: WorkContext) -> dict:
    url = reverse("pathways:plan", args=[data["nominal_id"]]) + f"#pathway-{data['pathway']}"
    contact = data["contact_agency"] or "Not named"
    if data["contact_worker_id"] is not None:
        contact = f"{_user_name(data, 'contact_worker')}, {contact}"
    due = parse_date(data["review_date"])
    return {
        "title": f"Review the {PathwayKind(data['pathway']).label} pathway",
        "url": url,
        "due": due,
        "detail": f"Contact: {contact}",
        "tags": _overdue_tag(due, context),
        **_person(data, url),
    }


def _action_rows(context: WorkContext) -> QuerySet:
    actions = pathway_queries.my_actions(context.user, context.today, context.horizon)
    return work_columns(actions, context, kind=ACTION, title=F("description"), due=F("due_on"))


def _action_data(context: WorkContext, rows: QuerySet) -> QuerySet:
    return _json(
        rows,
        description=F("description"),
        due_on=F("due_on"),
        pathway=F("plan_pathway__pathway"),
        **_person_fields(),
    )


def _action_item(data: dict, context: WorkContext) -> dict:
    due = parse_date(data["due_on"])
    return {
        "title": data["description"],
        "url": reverse("pathways:action-edit", args=[data["nominal_id"], data["id"]]),
        "due": due,
        "detail": PathwayKind(data["pathway"]).label,
        "tags": _overdue_tag(due, context),
        **_person(data, reverse("pathways:plan", args=[data["nominal_id"]])),
    }


# The sources in the order their rows come within a day.
SOURCES: tuple[Source, ...] = (
    Source(
        RECALL, "Recall prompts", "Recall threshold reached", _recall_rows, _recall_data,
        _recall_item,
    ),
    Source(
        COUNTERSIGN, "Recall decisions to countersign", "Countersignature", _countersign_rows,
        _countersign_data, _countersign_item,
    ),
    Source(
        RELEASE, "Releases due", "Release due", _release_rows, _release_data, _release_item
    ),
    Source(
        APPOINTMENT, "Appointments", "Appointment", _appointment_rows, _appointment_data,
        _appointment_item,
    ),
    Source(TASK, "Tasks", "Task", _task_rows, _task_data, _task_item),
    Source(REVIEW, "Reviews", "Review", _review_rows, _review_data, _review_item),
    Source(ACTION, "Actions", "Action", _action_rows, _action_data, _action_item),
)  # fmt: skip
BY_KIND = {source.kind: source for source in SOURCES}
KIND_ORDER = {source.kind: n for n, source in enumerate(SOURCES)}
KINDS = {source.kind: source.filter_label for source in SOURCES}
