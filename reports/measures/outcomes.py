"""Measures of what the unit did in a period: pathway outcomes and control measures. Each
table is one or two aggregate queries."""

from __future__ import annotations

import datetime
import statistics

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When

from cohorts.controls.models import RECALL_STEPS, Breach, DrugTest, Recall, TestOutcome
from iom.formatting import in_sentence
from pathways.models import NeedAssessment, NeedLevel, PathwayAction, PathwayKind

from .periods import Period
from .tables import Table

NEED_RANK = {NeedLevel.NONE: 0, NeedLevel.LOW: 1, NeedLevel.MEDIUM: 2, NeedLevel.HIGH: 3}


def _need_rank(field: str):
    return Case(
        *[When(**{field: level}, then=Value(rank)) for level, rank in NEED_RANK.items()],
        output_field=IntegerField(),
    )


def pathway_outcomes(period: Period) -> Table:
    """Per pathway: actions due and completed in the period, and needs reassessed in the
    period as lower (or higher) than the assessment before."""
    actions = {
        row["plan_pathway__pathway"]: row
        for row in PathwayAction.objects.filter(
            Q(due_on__range=(period.start, period.end))
            | Q(done_on__range=(period.start, period.end))
        )
        .values("plan_pathway__pathway")
        .annotate(
            due=Count("id", filter=Q(due_on__range=(period.start, period.end))),
            completed=Count("id", filter=Q(done_on__range=(period.start, period.end))),
            on_time=Count(
                "id",
                filter=Q(done_on__range=(period.start, period.end), done_on__lte=F("due_on")),
            ),
        )
        .order_by()
    }
    previous = (
        NeedAssessment.objects.filter(
            plan_pathway=OuterRef("plan_pathway"), assessed_on__lt=OuterRef("assessed_on")
        )
        .order_by("-assessed_on", "-id")
        .annotate(rank=_need_rank("need"))
        .values("rank")[:1]
    )
    needs = {
        row["pathway"]: row
        for row in NeedAssessment.objects.filter(assessed_on__range=(period.start, period.end))
        .annotate(now=_need_rank("need"), was=Subquery(previous))
        .values("pathway")
        .annotate(
            assessed=Count("id"),
            reduced=Count("id", filter=Q(was__gt=F("now"))),
            increased=Count("id", filter=Q(was__lt=F("now"))),
        )
        .order_by()
    }
    rows = []
    for value, label in PathwayKind.choices:
        a, n = actions.get(value, {}), needs.get(value, {})
        rows.append(
            [
                label,
                a.get("due", 0),
                a.get("completed", 0),
                a.get("on_time", 0),
                n.get("assessed", 0),
                n.get("reduced", 0),
                n.get("increased", 0),
            ]
        )
    rows.append(["Total"] + [sum(row[i] for row in rows) for i in range(1, 7)])
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


def control_measures(period: Period) -> Table:
    """Breaches, recalls started and completed with their elapsed times, and drug tests."""
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=datetime.UTC)
    stop = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC
    )
    breaches = Breach.objects.filter(occurred_on__range=(period.start, period.end)).count()
    tests = {
        row["outcome"]: row["n"]
        for row in DrugTest.objects.filter(tested_on__range=(period.start, period.end))
        .values("outcome")
        .annotate(n=Count("id"))
        .order_by()
    }
    step_fields = [name for name, _ in RECALL_STEPS]
    recalls = list(
        Recall.objects.filter(
            Q(started_at__gte=start, started_at__lt=stop)
            | Q(returned_to_custody_at__gte=start, returned_to_custody_at__lt=stop)
        ).values_list("started_at", *step_fields)
    )
    started = sum(1 for row in recalls if start <= row[0] < stop)
    returned = [row for row in recalls if row[-1] and start <= row[-1] < stop]
    rows = [
        ["Breaches recorded", breaches],
        ["Recalls started", started],
        ["Recalls completed (returned to custody)", len(returned)],
    ]
    for index, (_, label) in enumerate(RECALL_STEPS, start=1):
        hours = [(row[index] - row[0]).total_seconds() / 3600 for row in returned if row[index]]
        rows.append(
            [
                f"Median hours from start of recall to: {in_sentence(label)}",
                round(statistics.median(hours), 1) if hours else None,
            ]
        )
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
