"""My work as SQL: one SELECT per source, each already filtered to what the user may see,
joined by UNION ALL into one list that the database groups, orders, filters and pages.

Three statements whatever the length of the list:

* ``summary``: how many rows each person has of each kind in each group (the person filter's
  choices, the count of each group, whether there is anything at all);
* ``WorkList[...]``: the rows of one page (kind, id and group), ``LIMIT``/``OFFSET``;
* then what the page shows of those rows, one ``UNION ALL`` of a JSON object per row, each
  read from its own source's tables (only the kinds on the page).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from .sources import BY_KIND, SOURCES
from .work import COLUMNS, GROUPS, WorkContext, WorkItem

# The order of the whole list: by group; dated before undated; soonest first (a recall prompt,
# which has no date, before anything); an appointment by its time; then by kind, person and
# title, and the row's id so that pages never overlap.
ORDER_BY = (
    "w_group, w_undated, CASE WHEN w_due IS NULL THEN 0 ELSE 1 END, w_due, "
    "CASE WHEN w_at IS NULL THEN 0 ELSE 1 END, w_at, w_order, w_surname, w_first_names, "
    "COALESCE(w_nominal, 0), w_title, w_object"
)


def _compiled(queryset: QuerySet) -> tuple[str, tuple] | None:
    """The SQL of one source's SELECT, or None when it can have no row (a user who may see
    nothing of that source)."""
    if queryset.query.is_empty():
        return None
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return None
    return sql, tuple(params)


def _union(parts: list[tuple[str, tuple]], columns: str) -> tuple[str, tuple]:
    """``SELECT columns FROM (part) UNION ALL ...``: the columns named, so that every branch
    gives them in the same order whatever SQL the ORM wrote for it."""
    selects: list[str] = []
    params: list = []
    for n, (sql, part_params) in enumerate(parts):
        selects.append(f"SELECT {columns} FROM ({sql}) AS work_{n}")
        params.extend(part_params)
    return " UNION ALL ".join(selects), tuple(params)


def _rows(sql: str, params: tuple) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass(frozen=True)
class Summary:
    """(person id, surname, first names, kind, group number) -> number of rows."""

    counts: dict[tuple, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def people(self) -> list[tuple[int, str]]:
        """The people on the user's work, by name, for the person filter."""
        people = {
            (surname, first_names, pk)
            for pk, surname, first_names, _, _ in self.counts
            if pk is not None
        }
        return [(pk, f"{surname}, {first_names}") for surname, first_names, pk in sorted(people)]

    def group_counts(self, *, person: int | None, kind: str) -> Counter:
        """The number of rows in each group (by its key) once filtered."""
        counts: Counter = Counter({key: 0 for key in GROUPS})
        for (pk, _, _, row_kind, group), n in self.counts.items():
            if (person is None or pk == person) and (not kind or row_kind == kind):
                counts[GROUPS[group]] += n
        return counts


def _sources(context: WorkContext, kinds) -> list[tuple[str, tuple]]:
    parts = []
    for source in SOURCES:
        if source.kind in kinds:
            if source.kind not in context.compiled:
                context.compiled[source.kind] = _compiled(context.rows(source))
            compiled = context.compiled[source.kind]
            if compiled is not None:
                parts.append(compiled)
    return parts


def summary(context: WorkContext) -> Summary:
    """The user's whole list counted by person, kind and group: one statement."""
    parts = _sources(context, BY_KIND)
    if not parts:
        return Summary({})
    union, params = _union(parts, ", ".join(COLUMNS))
    key = "w_nominal, w_surname, w_first_names, w_kind, w_group"
    sql = f"SELECT {key}, COUNT(*) FROM ({union}) AS work GROUP BY {key}"
    return Summary(
        {(pk, s, f, kind, int(group)): n for pk, s, f, kind, group, n in _rows(sql, params)}
    )


class WorkList:
    """The user's filtered list, for a ``Paginator``: its length is known from the summary and
    a slice is one page read by the database (then its rows' data, one statement more)."""

    def __init__(self, context: WorkContext, *, person: int | None, kind: str, count: int):
        self.context, self.person, self.kind, self._count = context, person, kind, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, window: slice) -> list[WorkItem]:
        start, stop = window.start or 0, window.stop if window.stop is not None else self._count
        if stop <= start:
            return []
        page = self._page(start, stop - start)
        return _items(self.context, page)

    def _page(self, offset: int, limit: int) -> list[tuple[str, int, int]]:
        parts = _sources(self.context, [self.kind] if self.kind else BY_KIND)
        if not parts:
            return []
        union, params = _union(parts, ", ".join(COLUMNS))
        where = ""
        where_params: tuple[int, ...] = ()
        if self.person is not None:
            where, where_params = "WHERE w_nominal = %s", (self.person,)
        sql = (
            f"SELECT w_kind, w_object, w_group FROM ({union}) AS work {where} "
            f"ORDER BY {ORDER_BY} LIMIT %s OFFSET %s"
        )
        return [
            (kind, int(pk), int(group))
            for kind, pk, group in _rows(sql, params + where_params + (limit, offset))
        ]


def _items(context: WorkContext, page: list[tuple[str, int, int]]) -> list[WorkItem]:
    """What the page shows of its rows: one statement, a SELECT per kind on the page over
    only that kind's rows of the page."""
    ids: dict[str, list[int]] = {}
    for kind, pk, _ in page:
        ids.setdefault(kind, []).append(pk)
    parts: list[tuple[str, tuple]] = []
    for kind, pks in ids.items():
        source = BY_KIND[kind]
        model = context.rows(source).model
        rows = source.data(context, model._default_manager.filter(pk__in=pks))
        compiled = _compiled(rows.order_by().values_list("w_object", "w_data"))
        if compiled is not None:
            sql, params = compiled
            select = f"SELECT %s AS w_kind, w_object, w_data FROM ({sql}) AS data_{len(parts)}"
            parts.append((select, (kind, *params)))
    found: dict[tuple[str, int], dict] = {}
    if parts:
        sql = " UNION ALL ".join(part for part, _ in parts)
        params = tuple(p for _, part_params in parts for p in part_params)
        for kind, pk, data in _rows(sql, params):
            found[(kind, int(pk))] = json.loads(data) if isinstance(data, str) else data
    items = []
    for kind, pk, group in page:
        data = found.get((kind, pk))
        if data is None:
            continue  # gone between the two statements
        source = BY_KIND[kind]
        items.append(
            WorkItem(
                kind=kind,
                kind_label=source.row_label,
                group=GROUPS[group],
                **source.item({**data, "id": pk}, context),
            )
        )
    return items
