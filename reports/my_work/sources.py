"""The sources of My work, one description each: the rows that are the user's, the data the
page reads of each, and the row of the page that data makes (``work.Source``)."""

from __future__ import annotations

from django.db.models import Case, CharField, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import Concat, TruncDate
from django.urls import reverse
from django.utils import timezone

from cohorts.contacts.models import ContactKind
from cohorts.contacts.queries import appointments_due
from cohorts.controls.models import RecallType
from cohorts.controls.queries import (
    RecallPrompt,
    decisions_to_countersign,
    recall_threshold_people,
    with_recall_threshold,
)
from cohorts.models import Nominal, TaskKind
from cohorts.risk import custody
from cohorts.services.tasks import my_tasks
from pathways import queries as pathway_queries
from pathways.models import PathwayKind

from .data import (
    json_data,
    local_day,
    overdue_tag,
    parse_date,
    parse_datetime,
    person,
    person_fields,
    user_fields,
    user_name,
)
from .work import (
    ACTION,
    APPOINTMENT,
    COUNTERSIGN,
    KIND_ORDER,
    LATER,
    OVERDUE,
    RECALL,
    RELEASE,
    REVIEW,
    TASK,
    THIS_WEEK,
    Source,
    WorkContext,
    work_columns,
)

# --- Recall prompts -------------------------------------------------------------------------


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
    return json_data(
        with_recall_threshold(rows, context.today),
        class_a_positives=F("class_a_positives"),
        missed_tests=F("missed_tests"),
        **person_fields(""),
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
        **person(data, url),
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
    return json_data(
        rows,
        recall_type=F("recall_type"),
        decided_at=F("decided_at"),
        **user_fields("decided_by"),
        **person_fields(),
    )


def _countersign_item(data: dict, context: WorkContext) -> dict:
    decided_by = user_name(data, "decided_by")
    recall_type = RecallType(data["recall_type"]).label if data["recall_type"] else "Decision"
    return {
        "title": "Countersign the recall decision",
        "url": reverse("cohorts:controls-recall", args=[data["nominal_id"], data["id"]]),
        "due": local_day(data["decided_at"]),
        "detail": f"{recall_type}, decided by {decided_by}" if decided_by else recall_type,
        "tags": [("Awaiting countersignature", "orange")],
        **person(data, reverse("cohorts:controls", args=[data["nominal_id"]])),
    }


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
    return json_data(
        rows,
        expected_release_on=F("expected_release_on"),
        plan_items=custody.plan_item_count(),
        **person_fields(),
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
        **person(data, url),
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
    return json_data(
        rows,
        contact_kind=F("kind"),
        planned_at=F("planned_at"),
        location=F("location"),
        **person_fields(),
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
        **person(data, reverse("cohorts:contacts", args=[data["nominal_id"]])),
    }


# --- Tasks ----------------------------------------------------------------------------------


def _task_rows(context: WorkContext) -> QuerySet:
    return work_columns(
        my_tasks(context.user), context, kind=TASK, title=F("title"), due=F("due_on")
    )


def _task_data(context: WorkContext, rows: QuerySet) -> QuerySet:
    return json_data(
        rows,
        title=F("title"),
        task_kind=F("kind"),
        due_on=F("due_on"),
        owner_team=F("owner_team__name"),
        owner_team_agency=F("owner_team__agency__name"),
        owner_agency=F("owner_agency__name"),
        **user_fields("assignee"),
        **person_fields(),
    )


def _task_item(data: dict, context: WorkContext) -> dict:
    if data["nominal_id"] is not None:
        who = person(data, reverse("cohorts:nominal", args=[data["nominal_id"]]))
    else:
        who = {"nominal_id": None, "surname": "", "first_names": "", "person_url": ""}
    # As ``Task.owner`` and ``Team.__str__`` read.
    if data["owner_team"] is not None:
        owner = f"{data['owner_team']} ({data['owner_team_agency']})"
    else:
        owner = data["owner_agency"] or ""
    if data["assignee_id"] is not None:
        owner = f"{user_name(data, 'assignee')}, {owner}"
    due = parse_date(data["due_on"])
    return {
        "title": data["title"],
        "url": reverse("cohorts:task", args=[data["id"]]),
        "due": due,
        "detail": f"{TaskKind(data['task_kind']).label}, for {owner}",
        "tags": overdue_tag(due, context),
        **who,
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
    return json_data(
        rows,
        pathway=F("pathway"),
        review_date=F("review_date"),
        contact_agency=F("contact_agency__name"),
        **user_fields("contact_worker"),
        **person_fields(),
    )


def _review_item(data: dict, context: WorkContext) -> dict:
    url = reverse("pathways:plan", args=[data["nominal_id"]]) + f"#pathway-{data['pathway']}"
    contact = data["contact_agency"] or "Not named"
    if data["contact_worker_id"] is not None:
        contact = f"{user_name(data, 'contact_worker')}, {contact}"
    due = parse_date(data["review_date"])
    return {
        "title": f"Review the {PathwayKind(data['pathway']).label} pathway",
        "url": url,
        "due": due,
        "detail": f"Contact: {contact}",
        "tags": overdue_tag(due, context),
        **person(data, url),
    }


def _action_rows(context: WorkContext) -> QuerySet:
    actions = pathway_queries.my_actions(context.user, context.today, context.horizon)
    return work_columns(actions, context, kind=ACTION, title=F("description"), due=F("due_on"))


def _action_data(context: WorkContext, rows: QuerySet) -> QuerySet:
    return json_data(
        rows,
        description=F("description"),
        due_on=F("due_on"),
        pathway=F("plan_pathway__pathway"),
        **person_fields(),
    )


def _action_item(data: dict, context: WorkContext) -> dict:
    due = parse_date(data["due_on"])
    return {
        "title": data["description"],
        "url": reverse("pathways:action-edit", args=[data["nominal_id"], data["id"]]),
        "due": due,
        "detail": PathwayKind(data["pathway"]).label,
        "tags": overdue_tag(due, context),
        **person(data, reverse("pathways:plan", args=[data["nominal_id"]])),
    }


_SOURCES = (
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
# The sources in the order their rows come within a day.
SOURCES: tuple[Source, ...] = tuple(sorted(_SOURCES, key=lambda source: KIND_ORDER[source.kind]))
BY_KIND = {source.kind: source for source in SOURCES}
KINDS = {source.kind: source.filter_label for source in SOURCES}
