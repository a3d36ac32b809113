"""What other apps add to a person's Summary: entries of the timeline, and the record behind
the engagement status.

The Summary belongs to ``cohorts``, but most of what is recorded about a person (offending,
intelligence, contacts, pathway actions, control measures) belongs to apps built on top of
it, which ``cohorts`` must not import. Those apps register a ``TimelineSource`` (and, for
engagement, an ``EngagementEvidence``) here from their ``AppConfig.ready``, as they register
cohort-list columns in ``cohorts.listing``.

A source returns at most ``limit`` entries, newest first, in one query, already filtered to
what the user may see of the person; the timeline merges them. So a page of the timeline
costs one query per source, whatever the length of the history. A source that shows several
kinds of record reads them in that one query with ``newest_records``; one that gives those
kinds instead (``TimelineSource.kinds``) is read in a single query with every other such
source.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from iom import sharing

TIMELINE_PAGE_SIZE = 20


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # the source's key
    at: datetime.datetime | datetime.date
    title: str
    byline: str = ""
    description: str = ""
    url: str = ""

    @property
    def sort_key(self) -> datetime.datetime:
        at = self.at
        if isinstance(at, datetime.datetime):
            return timezone.localtime(at) if timezone.is_aware(at) else at
        # A day without a time sorts as the end of that day: above its timed entries.
        return timezone.make_aware(datetime.datetime.combine(at, datetime.time.max))

    @property
    def has_time(self) -> bool:
        return isinstance(self.at, datetime.datetime)


@dataclass(frozen=True)
class TimelineSource:
    key: str
    label: str  # the name of the filter: "Contacts"
    # entries(nominal, user, limit) -> at most ``limit`` entries, newest first.
    entries: Callable[..., list[TimelineEntry]] | None = None
    # Or kinds(nominal, user) -> the source's records as ``RecordKind``s, for a source whose
    # entries are ``newest_records`` of them: the timeline then reads every such source's
    # records in one query.
    kinds: Callable[..., list[RecordKind]] | None = None
    # The part of the record the source shows (iom.sharing); None: anyone who sees the person.
    section: str | None = None
    order: int = 100

    def __post_init__(self) -> None:
        if (self.entries is None) == (self.kinds is None):
            raise TypeError(f"The timeline source {self.key!r} gives either entries or kinds")

    def newest(self, nominal, user, limit: int) -> list[TimelineEntry]:
        """At most ``limit`` of the source's entries about ``nominal``, newest first."""
        if self.entries is not None:
            return self.entries(nominal, user, limit)
        assert self.kinds is not None
        return newest_records(self.kinds(nominal, user), limit)


_SOURCES: dict[str, TimelineSource] = {}


def register(source: TimelineSource) -> None:
    """Add a timeline source (idempotent: registering a key again replaces it)."""
    _SOURCES[source.key] = source


def sources(user) -> list[TimelineSource]:
    """The sources ``user`` may see: those whose part of the record their agreements cover."""
    terms = sharing.terms_for(user)
    shown = [s for s in _SOURCES.values() if s.section is None or terms.covers(s.section)]
    return sorted(shown, key=lambda s: (s.order, s.key))


@dataclass(frozen=True)
class TimelinePage:
    entries: list[TimelineEntry]
    number: int
    has_next: bool
    kinds: list[TimelineSource]
    kind: str

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def timeline(
    nominal, user, *, kind: str = "", page: int = 1, page_size: int = TIMELINE_PAGE_SIZE
) -> TimelinePage:
    """One page of everything recorded about the person that the user may see, newest first;
    only one kind of record with ``kind``. Each source is asked for the entries up to the end
    of the page (and one more, to know whether there is a next page): one query per source,
    and one for all the sources that give their records as kinds."""
    shown = sources(user)
    wanted = [s for s in shown if s.key == kind] if kind else shown
    page = max(1, page)
    limit = page * page_size + 1
    merged: list[TimelineEntry] = []
    united: list[RecordKind] = []
    for source in wanted:
        if source.kinds is not None:
            united.extend(source.kinds(nominal, user))
        else:
            merged.extend(source.newest(nominal, user, limit))
    merged.extend(newest_records(united, limit))
    merged.sort(key=lambda entry: entry.sort_key, reverse=True)
    start = (page - 1) * page_size
    return TimelinePage(
        entries=merged[start : start + page_size],
        number=page,
        has_next=len(merged) > start + page_size,
        kinds=shown,
        kind=kind if wanted else "",
    )


# --- Several kinds of record in one query -----------------------------------------------------


@dataclass(frozen=True)
class RecordKind:
    """One kind of record a source shows: its rows (already filtered to what the user may
    see), the date or time field that places them on the timeline, the fields ``entry``
    needs (names of fields, across relations too, or expressions) and how it makes the
    entry of one row (a dict of those fields, with ``at``)."""

    queryset: models.QuerySet
    at: str
    fields: dict[str, str | models.Expression]
    entry: Callable[[dict], TimelineEntry]
    where: Q = field(default_factory=Q)


# The columns of the union, by type: each kind puts its fields in the columns of their type.
_COLUMN_TYPES = {
    "CharField": models.TextField,
    "TextField": models.TextField,
    "EmailField": models.TextField,
    "SlugField": models.TextField,
    "DateField": models.DateField,
    "DateTimeField": models.DateTimeField,
    "AutoField": models.BigIntegerField,
    "BigAutoField": models.BigIntegerField,
    "IntegerField": models.BigIntegerField,
    "BigIntegerField": models.BigIntegerField,
    "SmallIntegerField": models.BigIntegerField,
    "PositiveIntegerField": models.BigIntegerField,
    "PositiveSmallIntegerField": models.BigIntegerField,
    "PositiveBigIntegerField": models.BigIntegerField,
    "BooleanField": models.BooleanField,
}


def _typed_fields(kind: RecordKind) -> dict[str, tuple[type[models.Field], models.Expression]]:
    """Each field of the kind with the column type it goes in."""
    expressions = {
        name: F(value) if isinstance(value, str) else value for name, value in kind.fields.items()
    }
    aliases = {name: f"timeline_field_{index}" for index, name in enumerate(expressions)}
    annotated = kind.queryset.annotate(
        **{aliases[name]: expression for name, expression in expressions.items()}
    ).query.annotations
    typed = {}
    for name, expression in expressions.items():
        internal = annotated[aliases[name]].output_field.get_internal_type()
        if internal not in _COLUMN_TYPES:
            raise ValueError(f"A timeline field of type {internal} ({name}) is not supported.")
        typed[name] = (_COLUMN_TYPES[internal], expression)
    return typed


def _null(column_type: type[models.Field]) -> models.Expression:
    """A NULL of the column's type: PostgreSQL types an untyped NULL of a UNION as text."""
    return Cast(Value(None), output_field=column_type())


def newest_records(kinds: list[RecordKind], limit: int) -> list[TimelineEntry]:
    """The entries of the newest ``limit`` records of these kinds, newest first, in one query
    (their rows joined by UNION ALL, ordered as the timeline orders entries: by day, a day
    without a time above the times of that day)."""
    typed = [_typed_fields(kind) for kind in kinds]
    widths: dict[type[models.Field], int] = {}
    for fields in typed:
        for column_type in {column_type for column_type, _ in fields.values()}:
            count = sum(1 for t, _ in fields.values() if t is column_type)
            widths[column_type] = max(widths.get(column_type, 0), count)
    columns = [
        (column_type, f"timeline_{column_type.__name__.lower()}_{index}")
        for column_type, width in sorted(widths.items(), key=lambda item: item[0].__name__)
        for index in range(width)
    ]
    local = timezone.get_current_timezone()
    selects, placements = [], []
    for number, (kind, fields) in enumerate(zip(kinds, typed, strict=True)):
        at_field = kind.queryset.model._meta.get_field(kind.at)
        has_time = isinstance(at_field, models.DateTimeField)
        values: dict[str, models.Expression] = {
            "timeline_kind": Value(number, output_field=models.BigIntegerField()),
            "timeline_day": TruncDate(kind.at, tzinfo=local) if has_time else F(kind.at),
            "timeline_time": F(kind.at) if has_time else _null(models.DateTimeField),
            "timeline_pk": F("pk"),
        }
        free = {t: [name for column_type, name in columns if column_type is t] for t in widths}
        placement, placed = {}, {}
        for name, (column_type, expression) in fields.items():
            column = free[column_type].pop(0)
            placed[column] = expression
            placement[name] = column
        for column_type, name in columns:
            values[name] = placed.get(name, _null(column_type))
        selects.append(
            kind.queryset.filter(kind.where).order_by().annotate(**values).values(*values)
        )
        placements.append(placement)
    if not selects:
        return []
    rows = (
        selects[0]
        .union(*selects[1:], all=True)
        .order_by(
            F("timeline_day").desc(),
            F("timeline_time").desc(nulls_first=True),
            F("timeline_kind").asc(),
            F("timeline_pk").desc(),
        )[:limit]
    )
    entries = []
    for row in rows:
        number = row["timeline_kind"]
        kind = kinds[number]
        data = {name: row[column] for name, column in placements[number].items()}
        data["pk"] = row["timeline_pk"]
        timed = row["timeline_time"]
        data["at"] = timed if timed is not None else row["timeline_day"]
        entries.append(kind.entry(data))
    return entries


def display(model: type[models.Model], field_name: str, value) -> str:
    """What ``get_<field>_display()`` shows for ``value``."""
    choices = dict(model._meta.get_field(field_name).flatchoices)
    return str(choices.get(value, value))


def person_name(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """A user as ``str(user)`` shows them, from the three fields: full name, or username."""
    return f"{first_name or ''} {last_name or ''}".strip() or (username or "")


# --- Engagement -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EngagementEvidence:
    key: str
    # describe(nominal, user) -> a sentence ("Attended 9 of the last 12 appointments") or "".
    describe: Callable[..., str]
    section: str | None = None


_EVIDENCE: dict[str, EngagementEvidence] = {}


def register_engagement_evidence(evidence: EngagementEvidence) -> None:
    _EVIDENCE[evidence.key] = evidence


def engagement_evidence(nominal, user) -> list[str]:
    """What the record says about the person's engagement, for the Summary."""
    terms = sharing.terms_for(user)
    sentences = []
    for evidence in _EVIDENCE.values():
        if evidence.section is None or terms.covers(evidence.section):
            sentence = evidence.describe(nominal, user)
            if sentence:
                sentences.append(sentence)
    return sentences
