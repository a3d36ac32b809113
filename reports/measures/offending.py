"""Measures of success about offending: before and after joining the cohort, proven
reoffending (MoJ) and the cost of crime avoided. Definitions and worked examples:
docs/measures.md.

Each measure reads a fixed number of queries whatever the size of the cohort: the rows it
needs (memberships, proven offences, custody periods of the people concerned) are fetched
in one query each, filtered and narrowed in SQL; the per-person date windows are then applied
to those rows in one pass.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, DateField, ExpressionWrapper, F, Q
from django.db.models.functions import Cast

from cohorts.models import CohortMembership
from cohorts.risk.models import CustodyPeriod, DetectedOffence, OffenceCategory, SanctionKind
from iom.formatting import long_date

from ..report_models import UnitCost
from .periods import WAITING_DAYS, YEAR_DAYS, overlap_days
from .tables import Table

PROVEN = (SanctionKind.CONVICTION, SanctionKind.CAUTION)
DAY = datetime.timedelta(days=1)
YEAR = datetime.timedelta(days=YEAR_DAYS)


def proven_offences():
    """Detected offences proven by a conviction or a caution."""
    return DetectedOffence.objects.filter(sanction__in=PROVEN)


def _per_year(offences: int, liberty_days: int) -> float | None:
    return round(offences * YEAR_DAYS / liberty_days, 2) if liberty_days else None


def _change(before: int, after: int) -> float | None:
    return round(100 * (after - before) / before, 1) if before else None


def _shifted(days: datetime.timedelta):
    """The entry date moved by ``days``, as a date on every database."""
    return Cast(
        ExpressionWrapper(F("nominal__memberships__entered_on") + days, output_field=DateField()),
        DateField(),
    )


def _counts_around_entry(cutoff: datetime.date) -> tuple[dict, dict]:
    """Proven offences by category in the year before and the year after each entry on or
    before ``cutoff``: one query, joining offences to the memberships of their person."""
    entry = F("nominal__memberships__entered_on")
    rows = (
        proven_offences()
        .filter(nominal__memberships__entered_on__lte=cutoff)
        .values("offence_type__category")
        .annotate(
            before=Count("id", filter=Q(committed_on__gte=_shifted(-YEAR), committed_on__lt=entry)),
            after=Count("id", filter=Q(committed_on__gte=entry, committed_on__lt=_shifted(YEAR))),
        )
        .order_by()
    )
    before, after = defaultdict(int), defaultdict(int)
    for row in rows:
        if row["before"]:
            before[row["offence_type__category"]] = row["before"]
        if row["after"]:
            after[row["offence_type__category"]] = row["after"]
    return before, after


def before_and_after(end: datetime.date) -> Table:
    """Proven offences in the year before each entry to the cohort against the year after,
    for every membership whose year after ended on or before ``end``; with offences per
    person-year at liberty (custody time inside each window taken out)."""
    cutoff = end - YEAR + DAY
    memberships = list(
        CohortMembership.objects.filter(entered_on__lte=cutoff)
        .order_by("entered_on", "id")
        .values_list("nominal_id", "entered_on")
    )
    people = CohortMembership.objects.filter(entered_on__lte=cutoff).values("nominal")
    custody = defaultdict(list)
    if memberships:
        earliest = memberships[0][1] - YEAR
        for nominal_id, started_on, ended_on in (
            CustodyPeriod.objects.filter(nominal__in=people, started_on__lte=end)
            .exclude(ended_on__lt=earliest)
            .values_list("nominal_id", "started_on", "ended_on")
        ):
            custody[nominal_id].append((started_on, ended_on))
    liberty = {"before": 0, "after": 0}
    for nominal_id, entered_on in memberships:
        windows = {
            "before": (entered_on - YEAR, entered_on),
            "after": (entered_on, entered_on + YEAR),
        }
        for name, (start, stop) in windows.items():
            inside = sum(overlap_days(s, e, start, stop) for s, e in custody[nominal_id])
            liberty[name] += YEAR_DAYS - min(inside, YEAR_DAYS)
    before, after = _counts_around_entry(cutoff)
    rows = []
    for value, label in OffenceCategory.choices:
        b, a = before[value], after[value]
        rows.append(
            [
                label,
                b,
                a,
                _change(b, a),
                _per_year(b, liberty["before"]),
                _per_year(a, liberty["after"]),
            ]
        )
    total_before, total_after = sum(before.values()), sum(after.values())
    rows.append(
        [
            "All proven offences",
            total_before,
            total_after,
            _change(total_before, total_after),
            _per_year(total_before, liberty["before"]),
            _per_year(total_after, liberty["after"]),
        ]
    )
    return Table(
        key="before-after",
        title="Proven offences in the year before and the year after joining the cohort",
        columns=[
            "Offence category",
            "Year before",
            "Year after",
            "Change (%)",
            "Before, per person-year at liberty",
            "After, per person-year at liberty",
        ],
        rows=rows,
        chart={"kind": "bars", "series": [1, 2]},
        note=(
            f"{len(memberships)} cohort entries with a full year after entry by {long_date(end)}; "
            f"{liberty['before'] / YEAR_DAYS:.2f} person-years at liberty before, "
            f"{liberty['after'] / YEAR_DAYS:.2f} after."
        ),
        summary={
            "memberships": len(memberships),
            "liberty_days_before": liberty["before"],
            "liberty_days_after": liberty["after"],
            "before": dict(before),
            "after": dict(after),
        },
    )


NOT_PRICED = "not priced: add it under Unit costs"


def cost_avoided(before_after: Table, price_year: str) -> Table:
    """(offences before - after) x unit cost, summed over the categories the table prices.
    Every category counted in the before/after is shown: one the price year does not price
    says so (and is left out of the sum) rather than disappearing."""
    costs = {
        row.category: row
        for row in UnitCost.objects.filter(price_year=price_year).exclude(category="")
    }
    before = before_after.summary["before"]
    after = before_after.summary["after"]
    rows = []
    total = Decimal(0)
    avoided_priced = 0
    not_priced = []
    for value, label in OffenceCategory.choices:
        unit = costs.get(value)
        b, a = before.get(value, 0), after.get(value, 0)
        avoided = b - a
        if unit is None:
            if b or a:
                not_priced.append(label)
                rows.append([label, NOT_PRICED, b, a, avoided, None])
            continue
        pounds = avoided * unit.cost
        total += pounds
        avoided_priced += avoided
        rows.append([label, int(unit.cost), b, a, avoided, int(pounds)])
    rows.append(["Total", None, None, None, avoided_priced, int(total)])
    sources = sorted({unit.source for unit in costs.values()})
    note = (
        f"Unit costs in {price_year} prices: " + "; ".join(sources) + "."
        if sources
        else f"No unit costs are configured for {price_year}."
    )
    if not_priced:
        note += (
            f" Not priced in {price_year}, so not in the total: {', '.join(not_priced)}. "
            "An administrator can add a unit cost under Unit costs, or choose another price "
            "year under Report configuration."
        )
    return Table(
        key="cost-avoided",
        title=f"Cost of crime avoided ({price_year} prices)",
        columns=[
            "Offence category",
            f"Unit cost (£, {price_year})",
            "Year before",
            "Year after",
            "Offences avoided",
            "Cost avoided (£)",
        ],
        rows=rows,
        chart={"kind": "bar", "series": [5]},
        note=note,
        summary={"price_year": price_year, "total": int(total), "not_priced": not_priced},
    )


def proven_reoffending(end: datetime.date) -> Table:
    """MoJ proven reoffending of the cohort members whose first start (release from custody,
    conviction or caution) fell in the 12 months ending 18 months before ``end``: an offence
    committed within a year of the start and proven within that year or six months more."""
    window_end = end - YEAR - datetime.timedelta(days=WAITING_DAYS)
    window_start = window_end - YEAR + DAY
    starts: dict[int, datetime.date] = {}
    for nominal_id, day in CustodyPeriod.objects.filter(
        ended_on__gte=window_start, ended_on__lte=window_end
    ).values_list("nominal_id", "ended_on"):
        if day is not None:  # the filter leaves only periods that ended
            starts[nominal_id] = min(day, starts.get(nominal_id, day))
    for nominal_id, day in (
        proven_offences()
        .filter(sanction_date__gte=window_start, sanction_date__lte=window_end)
        .values_list("nominal_id", "sanction_date")
    ):
        starts[nominal_id] = min(day, starts.get(nominal_id, day))
    memberships = defaultdict(list)
    for nominal_id, entered_on, exited_on in (
        CohortMembership.objects.filter(entered_on__lte=window_end)
        .exclude(exited_on__lt=window_start)
        .values_list("nominal_id", "entered_on", "exited_on")
    ):
        memberships[nominal_id].append((entered_on, exited_on))
    cohort = {
        nominal_id: start
        for nominal_id, start in starts.items()
        if any(e <= start and (x is None or x > start) for e, x in memberships[nominal_id])
    }
    reoffences: defaultdict[int, int] = defaultdict(int)
    for nominal_id, committed_on, sanction_date in (
        proven_offences()
        .filter(
            nominal_id__in=list(cohort),
            committed_on__gt=window_start,
            committed_on__lte=window_end + YEAR,
        )
        .values_list("nominal_id", "committed_on", "sanction_date")
    ):
        start = cohort[nominal_id]
        proven_by = start + YEAR + datetime.timedelta(days=WAITING_DAYS)
        if start < committed_on <= start + YEAR and sanction_date <= proven_by:
            reoffences[nominal_id] += 1
    offenders = len(cohort)
    reoffenders = sum(1 for n in reoffences.values() if n)
    total = sum(reoffences.values())
    rate = round(100 * reoffenders / offenders, 1) if offenders else None
    per_offender = round(total / offenders, 2) if offenders else None
    per_reoffender = round(total / reoffenders, 2) if reoffenders else None
    return Table(
        key="reoffending",
        title=(
            f"Proven reoffending of members who started between {long_date(window_start)} "
            f"and {long_date(window_end)}"
        ),
        columns=["Measure", "Value"],
        rows=[
            ["Offenders in the cohort", offenders],
            ["Reoffenders", reoffenders],
            ["Proven reoffences", total],
            ["Binary reoffending rate (%)", rate],
            ["Reoffences per offender", per_offender],
            ["Reoffences per reoffender", per_reoffender],
        ],
        note="Start: release from custody, conviction or caution. A reoffence is committed "
        "within a year of the start and proven within that year or the six months after.",
        summary={"window_start": window_start.isoformat(), "window_end": window_end.isoformat()},
    )
