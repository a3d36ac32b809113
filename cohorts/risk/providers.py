"""Needs assessed elsewhere that the risk model counts as dynamic factors.

The risk app sits below the apps that assess needs (pathways), so it never imports them: an
app registers a provider from its ``AppConfig.ready``::

    register_need_provider(risk_need_factors, labels={"accommodation_need": "Accommodation"})

A provider is called with the run date and returns ``(nominal_id, factor, level)`` rows, at
most one per person and factor: preferably a ``values()`` queryset, which the nightly run
reads as a subquery of its own statement (nothing is loaded into Python), or any iterable of
tuples or dicts. ``level`` is one of NEED_LEVELS; the points of each factor and level are in
the model version's ``need_points`` (docs/risk-model.md). ``labels`` name the pathway of each
factor, for the explanation: "Accommodation need assessed high on the Accommodation pathway".
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

NEED_LEVELS = ("none", "low", "medium", "high")
NEED_COLUMNS = ("nominal_id", "factor", "level")

NeedProvider = Callable[[datetime.date], QuerySet | Iterable]


@dataclass(frozen=True)
class _Registered:
    provider: NeedProvider
    labels: dict[str, str]


_providers: dict[str, _Registered] = {}


def register_need_provider(provider: NeedProvider, *, labels: dict[str, str]) -> None:
    """Count ``provider``'s needs in every run from now on. Registering the same function again
    (``ready`` may run more than once) replaces it rather than counting it twice."""
    _providers[f"{provider.__module__}.{provider.__qualname__}"] = _Registered(
        provider, dict(labels)
    )


def unregister_need_provider(provider: NeedProvider) -> None:
    _providers.pop(f"{provider.__module__}.{provider.__qualname__}", None)


def need_providers() -> list[NeedProvider]:
    return [registered.provider for registered in _providers.values()]


def pathway_label(factor: str) -> str | None:
    """The pathway a factor's need is assessed on, as its provider named it."""
    for registered in _providers.values():
        if factor in registered.labels:
            return registered.labels[factor]
    return None


def need_rows(run_date: datetime.date) -> list[QuerySet | list[tuple]]:
    """Each provider's rows for ``run_date``: querysets as they are, anything else as tuples."""
    found: list[QuerySet | list[tuple]] = []
    for provider in need_providers():
        rows = provider(run_date)
        if isinstance(rows, QuerySet):
            found.append(rows.values_list(*NEED_COLUMNS))
        else:
            found.append(
                [
                    tuple(row[c] for c in NEED_COLUMNS) if isinstance(row, dict) else tuple(row)
                    for row in rows
                ]
            )
    return found
