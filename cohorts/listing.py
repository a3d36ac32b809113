"""Columns and filters that other apps add to the cohort list.

The cohort list belongs to ``cohorts``, but what officers want to see on it (the risk band,
overdue reviews, a recall in progress) belongs to apps built on top of it, which ``cohorts``
must not import. Those apps register a ``CohortListColumn`` here from their ``AppConfig.ready``;
the list annotates, filters, sorts and shows each registered column, in registration order.
Every ``annotate`` must add a constant number of subqueries (never a query per row).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import QuerySet

from iom import sharing


@dataclass(frozen=True)
class CohortListColumn:
    key: str
    header: str
    cell_template: str  # rendered with ``nominal`` (annotated) in the context
    annotate: Callable[[QuerySet], QuerySet]
    filter_field: Callable[[], forms.Field] | None = None  # a new field for each form
    apply_filter: Callable[[QuerySet, Any], QuerySet] | None = None
    # Extra sort keys: {"band": ("risk_band_order", "surname", "id"), "-band": (...)}.
    sorts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort_key: str = ""  # the key the column header sorts by, if any
    csv_value: Callable[[Any], str] | None = None
    # The part of a person's record the column shows (iom.sharing): a user whose agreements
    # do not cover it sees neither the column nor its filter and sorts.
    section: str | None = None


_COLUMNS: dict[str, CohortListColumn] = {}


def register(column: CohortListColumn) -> None:
    """Add a column (idempotent: registering a key again replaces it)."""
    _COLUMNS[column.key] = column


def registered() -> list[CohortListColumn]:
    """Every registered column, whoever looks (the API's schema documents them all)."""
    return list(_COLUMNS.values())


def columns(user) -> list[CohortListColumn]:
    """The columns ``user`` may see: those whose part of the record their agreements cover."""
    terms = sharing.terms_for(user)
    return [c for c in _COLUMNS.values() if c.section is None or terms.covers(c.section)]


def extra_sorts(user) -> dict[str, tuple[str, ...]]:
    sorts: dict[str, tuple[str, ...]] = {}
    for column in columns(user):
        sorts.update(column.sorts)
    return sorts
