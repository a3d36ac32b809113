"""Measures of what the unit did in a period: pathway outcomes and control measures. Each
table is one or two aggregate queries."""

from __future__ import annotations

import datetime
import statistics

from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

from cohorts.controls.models import RECALL_STEPS, Breach, DrugTest, Recall, TestOutcome
from iom.formatting import in_sentence
from pathways.models import NeedAssessment, NeedLevel, PathwayAction, PathwayKind

from .periods import Period
from .sql import Counted, counted
from .tables import Table

STEP_FIELDS = tuple(name for name, _ in RECALL_STEPS)
NEED_RANK = {NeedLevel.NONE: 0, NeedLevel.LOW: 1, NeedLevel.MEDIUM: 2, NeedLevel.HIGH: 3}


def _need_rank(field: str):
    return Case(
        *[When(**{field: level}, then=Value(rank)) for level, rank in NEED_RANK.items()],
        output_field=IntegerField(),
    )


def pathway_outcomes(period: Period) -> Table:
    """Per pathway: actions due and completed in the period, and needs reassessed in the
    period as lower (or higher) than the assessment before: one statement."""
    within = (period.start, period.end)
    actions = PathwayAction.objects.all()
    pathway = ("plan_pathway__pathway",)
    previous = (
        NeedAssessment.objects.filter(
            plan_pathway=OuterRef("plan_pathway"), assessed_on__lt=OuterRef("assessed_on")
        )
        .order_by("-assessed_on", "-id")
        .annotate(rank=_need_rank("need"))
        .values("rank")[:1]
    )
    needs = NeedAssessment.objects.filter(assessed_on__range=within).annotate(
        now=_need_rank("need"), was=Subquery(previous)
    )
    counts = counted(
        Counted("due", actions.filter(due_on__range=within), by=pathway),
        Counted("completed", actions.filter(done_on__range=within), by=pathway),
        Counted(
            "on_time", actions.filter(done_on__range=within, done_on__lte=F("due_on")), by=pathway
        ),
        Counted("assessed", needs, by=("pathway",)),
        Counted("reduced", needs.filter(was__gt=F("now")), by=("pathway",)),
        Counted("increased", needs.filter(was__lt=F("now")), by=("pathway",)),
    )
    figures = ("due", "completed", "on_time", "assessed", "reduced", "increased")
    numbers = {
        value: [counts[figure].get((value,), 0) for figure in figures]
        for value, _ in PathwayKind.choices
    }
    rows: list[list] = [[label, *numbers[value]] for value, label in PathwayKind.choices]
    rows.append(["Total", *(sum(row[i] for row in numbers.values()) for i in range(len(figures)))])
    return Table(
        key="pathway-outcomes",
        title="Pathway outcomes: actions and needs",
        columns=[
            "Pathway",
            "Actions due",
            "Actions completed",
            "Completed by the due date",
            "Needs reassessed",
            "Needs reduced",
            "Needs increased",
        ],
        rows=rows,
        chart={"kind": "bars", "series": [2, 5]},
    )


def _median_hours_to_each_step(recalls) -> dict[str, float | None]:
    """For each step of the recall checklist, the median hours from the start of the recall
    to that step, over the ``recalls`` that reached it, rounded to a tenth.

    One query: each recall is ranked by its time to each step (window functions), and only
    the middle one or two recalls of each step come back; their times are worked out here
    exactly as for every recall, so the median is the one of all of them."""
    annotations = {}
    middle = Q()
    for index, field in enumerate(STEP_FIELDS):
        elapsed = ExpressionWrapper(F(field) - F("started_at"), output_field=DurationField())
        rank, timed = f"rank{index}", f"timed{index}"
        annotations[rank] = Window(RowNumber(), order_by=elapsed.asc(nulls_last=True))
        annotations[timed] = Window(Count(field))
        # The middle of n ranks: r with n <= 2r <= n + 2 (one rank when n is odd, two when
        # even), among the recalls that reached the step (r <= n).
        middle |= (
            Q(**{f"{rank}__lte": F(timed)})
            & Q(**{f"{rank}__gte": F(timed) - F(rank)})
            & Q(**{f"{rank}__lte": F(timed) - F(rank) + 2})
        )
    rows = list(
        recalls.order_by()
        .annotate(**annotations)
        .filter(middle)
        .values("started_at", *STEP_FIELDS, *annotations)
    )
    medians: dict[str, float | None] = {}
    for index, field in enumerate(STEP_FIELDS):
        hours = [
            (row[field] - row["started_at"]).total_seconds() / 3600
            for row in rows
            if row[field] is not None
            and row[f"timed{index}"] <= 2 * row[f"rank{index}"] <= row[f"timed{index}"] + 2
        ]
        medians[field] = round(statistics.median(hours), 1) if hours else None
    return medians


def control_measures(period: Period) -> Table:
    """Breaches, recalls started and completed with their elapsed times, and drug tests."""
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=datetime.UTC)
    stop = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC
    )
    started = Q(started_at__gte=start, started_at__lt=stop)
    returned = Q(returned_to_custody_at__gte=start, returned_to_custody_at__lt=stop)
    counts = counted(
        Counted("breaches", Breach.objects.filter(occurred_on__range=(period.start, period.end))),
        Counted("started", Recall.objects.filter(started)),
        Counted("returned", Recall.objects.filter(returned)),
        Counted(
            "tests",
            DrugTest.objects.filter(tested_on__range=(period.start, period.end)),
            by=("outcome",),
        ),
    )
    tests = {outcome: n for (outcome,), n in counts["tests"].items()}
    rows = [
        ["Breaches recorded", counts["breaches"].get((), 0)],
        ["Recalls started", counts["started"].get((), 0)],
        ["Recalls completed (returned to custody)", counts["returned"].get((), 0)],
    ]
    medians = _median_hours_to_each_step(Recall.objects.filter(returned))
    for field, label in RECALL_STEPS:
        rows.append([f"Median hours from start of recall to: {in_sentence(label)}", medians[field]])
    total_tests = sum(tests.values())
    rows.append(["Drug tests", total_tests])
    for value, label in TestOutcome.choices:
        rows.append([f"Drug tests: {in_sentence(label)}", tests.get(value, 0)])
    return Table(
        key="controls",
        title="Control measures: breaches, recalls and drug tests",
        columns=["Measure", "Value"],
        rows=rows,
    )
