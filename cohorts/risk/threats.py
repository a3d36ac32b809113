"""What the emerging threats list shows of each person beyond their ranking.

The list is the way from the ranking to a referral, but referrals are an app above this one,
which it must not import. That app registers a column here from its ``AppConfig.ready`` (as
the cohort list's columns are registered): an annotation of the list's assessments, in a fixed
number of subqueries whatever the page's length, and the template of its cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class ThreatColumn:
    key: str
    header: str
    cell_template: str  # rendered with ``assessment``
    # (assessments, user) -> the assessments annotated for the cell; user is who looks.
    annotate: Callable[[QuerySet, object], QuerySet]
    header_hidden: bool = False


_columns: dict[str, ThreatColumn] = {}


def register(column: ThreatColumn) -> None:
    """Add a column (idempotent: registering a key again replaces it)."""
    _columns[column.key] = column


def columns() -> list[ThreatColumn]:
    return list(_columns.values())


def annotate(queryset: QuerySet, user) -> QuerySet:
    for column in _columns.values():
        queryset = column.annotate(queryset, user)
    return queryset
