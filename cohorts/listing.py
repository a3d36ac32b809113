"""Columns and filters that other apps add to the cohort list.

The cohort list belongs to ``cohorts``, but what officers want to see on it (the risk band,
overdue reviews, a recall in progress) belongs to apps built on top of it, which ``cohorts``
must not import. Those apps register a ``CohortListColumn`` here from their ``AppConfig.ready``;
the list annotates, filters, sorts and shows each registered column, in registration order.
Every ``annotate`` must add a constant number of subqueries (never a query per row), and each
``cell`` draws its cell from the annotated person alone, in Python (``iom.components``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import QuerySet

from iom import sharing

SCREEN_CLASSES = {
    "phone": "",
    "tablet": "app-table__cell--tablet-up",
    "wide": "app-table__cell--wide-only",
}


@dataclass(frozen=True)
class CohortListColumn:
    key: str
    header: str
    # The cell's HTML (safe, escaped with format_html) for an annotated person.
    cell: Callable[[Any], str]
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
    # The smallest screen that shows the column: "phone" (every screen; the cell then carries
    # its header as a label, the rows being stacked there), "tablet" or "wide". The person's
    # page has the rest.
    shown_from: str = "wide"

    def __post_init__(self) -> None:
        if self.shown_from not in SCREEN_CLASSES:
            raise ValueError(f"shown_from must be one of {', '.join(SCREEN_CLASSES)}")

    @property
    def cell_classes(self) -> str:
        """The classes a cell of this column adds to ``govuk-table__cell`` (or ``__header``)."""
        return SCREEN_CLASSES[self.shown_from]


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
