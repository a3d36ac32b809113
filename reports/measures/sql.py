"""SQL building blocks the measures share, the same on SQLite and PostgreSQL: a date as a day
number (so that windows of days are integer arithmetic in the database), and several GROUP BY
counts sent as one statement."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Aggregate, CharField, Count, F, Func, IntegerField, QuerySet, Value


class DayNumber(Func):
    """The days from 1 January 1970 to a date, as an integer."""

    # PostgreSQL: the difference of two dates is a number of days.
    template = "(%(expressions)s - DATE '1970-01-01')"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # julianday() of a date is exact (a whole day and a half), so the cast loses nothing.
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)",
            **extra_context,
        )


@dataclass(frozen=True)
class Counted:
    """One GROUP BY count: the rows of ``queryset`` grouped by ``by`` (at most two names of
    its fields or annotations, none for a single total), counted by ``count``."""

    key: str
    queryset: QuerySet
    by: tuple[str, ...] = ()
    count: Aggregate = field(default_factory=lambda: Count("pk"))


_GROUPS = ("measure_group_a", "measure_group_b")


def counted(*parts: Counted) -> dict[str, dict[tuple, int]]:
    """The counts of every part from one statement (their GROUP BY queries joined by UNION
    ALL): for each key, {tuple of the ``by`` values: count}. A part without ``by`` gives
    {(): total}, zero included."""
    if not parts:
        return {}
    selects = []
    for part in parts:
        if len(part.by) > len(_GROUPS):
            raise ValueError(f"{part.key}: at most {len(_GROUPS)} fields to group by.")
        groups = {
            name: F(part.by[index]) if index < len(part.by) else Value(None, CharField())
            for index, name in enumerate(_GROUPS)
        }
        selects.append(
            part.queryset.order_by()
            .annotate(measure_key=Value(part.key, CharField()), **groups)
            .values_list("measure_key", *_GROUPS)
            .annotate(measure_count=part.count)
        )
    widths = {part.key: len(part.by) for part in parts}
    results: dict[str, dict[tuple, int]] = defaultdict(dict)
    for key, first, second, number in selects[0].union(*selects[1:], all=True):
        results[key][(first, second)[: widths[key]]] = number
    return {part.key: results[part.key] for part in parts}
