"""What every source of My work shares: the context it reads, the row it gives, and the
columns of the whole list.

A source says three things (``Source``): which rows are the user's (a queryset already filtered
to what the user may see, annotated with the columns every source shares: ``work_columns``);
what the page needs of one row (``data``: named expressions over the source's model, read only
for the rows on the page); and how that data reads as a row of the page (``item``).

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
from django.db.models.functions import Cast, Coalesce

from cohorts.controls.models import ControlsConfiguration
from pathways import dates
from pathways import queries as pathway_queries

# The groups in their order on the page, by the number the database sorts them by.
GROUPS = tuple(dates.BUCKET_LABELS)
OVERDUE, THIS_WEEK, LATER = range(3)


# The kinds of work, in the order their rows come within a day (the order of
# ``sources.SOURCES``).
RECALL = "recall"
COUNTERSIGN = "countersign"
RELEASE = "release"
APPOINTMENT = "appointment"
TASK = "task"
REVIEW = "review"
ACTION = "action"
KIND_ORDER = {
    kind: n
    for n, kind in enumerate((RECALL, COUNTERSIGN, RELEASE, APPOINTMENT, TASK, REVIEW, ACTION))
}


@dataclass(frozen=True)
class WorkContext:
    """What every source reads: the user, the day and the moment, and the configuration."""

    user: Any
    today: datetime.date
    now: datetime.datetime
    _rows: dict = field(default_factory=dict, compare=False, repr=False)
    # The SQL of each source's rows, written once a request: the summary and the page both
    # read them, and writing them is most of the ORM's work on the page.
    compiled: dict = field(default_factory=dict, compare=False, repr=False)

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
