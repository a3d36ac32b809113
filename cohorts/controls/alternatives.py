"""What was tried before recall, read from the record to prefill the decision.

The decision lists the alternatives to recall that were tried: the warnings on the sanctions
ladder, extra reporting, additional licence conditions and the drug tests (all recorded here),
and the contacts and pathway actions, which belong to apps built on top of ``controls``. Those
apps register a source here from their ``AppConfig.ready`` (as they register timeline sources
in ``cohorts.summary``), so ``controls`` never imports them.

A source returns the candidate items of one licence, each with a ``source`` key naming the row
it came from (``sanction:12``): the officer ticks the ones to keep, and the decision stores
them as rows of their own, never retyped.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from iom.formatting import long_date

from .models import (
    AlternativeKind,
    ConditionType,
    ControlMeasure,
    DrugTest,
    Licence,
    LicenceCondition,
    MeasureKind,
    Sanction,
    SanctionLevel,
)


@dataclass(frozen=True)
class Candidate:
    source: str  # "<kind of row>:<id>", unique within a recall
    kind: str  # AlternativeKind
    on: datetime.date | None
    description: str
    result: str = ""

    @property
    def kind_label(self) -> str:
        return AlternativeKind(self.kind).label

    @property
    def label(self) -> str:
        """How a checkbox names it: kind, what, when and what came of it."""
        when = f" on {long_date(self.on)}" if self.on else ""
        result = f" – {self.result}" if self.result else ""
        return f"{self.kind_label}{when}: {self.description}{result}"


# source(licence, user) -> candidates of that licence the user may see, oldest first.
CandidateSource = Callable[[Licence, object], list[Candidate]]

_SOURCES: dict[str, CandidateSource] = {}


def register(key: str, source: CandidateSource) -> None:
    """Add a source of candidates (idempotent: registering a key again replaces it)."""
    _SOURCES[key] = source


SANCTION_KINDS = {
    SanctionLevel.WRITTEN_WARNING: AlternativeKind.WRITTEN_WARNING,
    SanctionLevel.DISTRICT_MANAGER_WARNING: AlternativeKind.DISTRICT_MANAGER_WARNING,
}


def sanctions(licence: Licence, user) -> list[Candidate]:
    rows = Sanction.objects.filter(licence=licence, level__in=list(SANCTION_KINDS)).order_by(
        "issued_on", "id"
    )
    return [
        Candidate(
            source=f"sanction:{sanction.pk}",
            kind=SANCTION_KINDS[SanctionLevel(sanction.level)],
            on=sanction.issued_on,
            description=sanction.notes or sanction.get_level_display(),
        )
        for sanction in rows
    ]


def extra_reporting(licence: Licence, user) -> list[Candidate]:
    rows = ControlMeasure.objects.filter(
        nominal_id=licence.nominal_id, kind=MeasureKind.REPORT, starts_on__gte=licence.release_date
    ).order_by("starts_on", "id")
    return [
        Candidate(
            source=f"measure:{measure.pk}",
            kind=AlternativeKind.EXTRA_REPORTING,
            on=measure.starts_on,
            description=measure.details or measure.get_kind_display(),
            result=measure.get_status_display(),
        )
        for measure in rows
    ]


def additional_conditions(licence: Licence, user) -> list[Candidate]:
    rows = LicenceCondition.objects.filter(
        licence=licence, condition_type=ConditionType.ADDITIONAL
    ).order_by("created_at", "id")
    return [
        Candidate(
            source=f"condition:{condition.pk}",
            kind=AlternativeKind.ADDITIONAL_CONDITION,
            on=condition.created_at.date(),
            description=condition.text[:255],
        )
        for condition in rows
    ]


def drug_tests(licence: Licence, user) -> list[Candidate]:
    rows = DrugTest.objects.filter(licence=licence).order_by("tested_on", "id")
    return [
        Candidate(
            source=f"drug-test:{test.pk}",
            kind=AlternativeKind.DRUG_TEST,
            on=test.tested_on,
            description="Drug test on licence",
            result=test.get_outcome_display()
            + (f" ({test.class_a_substances})" if test.class_a_substances else ""),
        )
        for test in rows
    ]


register("sanctions", sanctions)
register("extra-reporting", extra_reporting)
register("additional-conditions", additional_conditions)
register("drug-tests", drug_tests)


def candidates(licence: Licence, user) -> list[Candidate]:
    """Every candidate of the licence from every source, by date (undated last)."""
    found = [candidate for source in _SOURCES.values() for candidate in source(licence, user)]
    return sorted(found, key=lambda c: (c.on is None, c.on or datetime.date.min, c.source))
