"""Measures of success about offending: before and after joining the cohort, proven
reoffending (MoJ) and the cost of crime avoided. Definitions and worked examples:
docs/measures.md.

Each measure is a fixed number of aggregate queries whatever the size of the cohort: the
per-person date windows (a year before and after entry, the year after a start) are worked
out in SQL, with dates as day numbers, and only the totals come back.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Count, DateField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, Greatest, Least

from cohorts.models import CohortMembership
from cohorts.risk.models import CustodyPeriod, DetectedOffence, OffenceCategory, SanctionKind
from iom.formatting import long_date

from ..models import UnitCost
from .periods import WAITING_DAYS, YEAR_DAYS
from .sql import DayNumber
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


def _liberty_days(cutoff: datetime.date) -> dict[str, int]:
    """For the memberships entered on or before ``cutoff``: how many, and their days at
    liberty in the year before and the year after entry (the custody days inside each window,
    at most a year, taken out). One aggregate query over the memberships joined to their
    person's custody periods, in day numbers."""
    entry = DayNumber("entered_on")
    started = DayNumber("nominal__custody_periods__started_on")
    ended = DayNumber("nominal__custody_periods__ended_on")

    def inside(start, stop):
        # overlap_days in SQL: the custody [started, ended) inside [start, stop).
        overlap = Greatest(Least(Coalesce(ended, stop), stop) - Greatest(started, start), Value(0))
        return Coalesce(Sum(overlap, filter=Q(nominal__custody_periods__isnull=False)), Value(0))

    year = Value(YEAR_DAYS)
    figures = (
        CohortMembership.objects.filter(entered_on__lte=cutoff)
        .order_by()
        .annotate(
            inside_before=inside(entry - year, entry), inside_after=inside(entry, entry + year)
        )
        .aggregate(
            memberships=Count("id"),
            before=Sum(year - Least(F("inside_before"), year)),
            after=Sum(year - Least(F("inside_after"), year)),
        )
    )
    return {
        "memberships": figures["memberships"],
        "before": figures["before"] or 0,
        "after": figures["after"] or 0,
    }


def before_and_after(end: datetime.date) -> Table:
    """Proven offences in the year before each entry to the cohort against the year after,
    for every membership whose year after ended on or before ``end``; with offences per
    person-year at liberty (custody time inside each window taken out). Two queries."""
    cutoff = end - YEAR + DAY
    liberty = _liberty_days(cutoff)
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
            f"{liberty['memberships']} cohort entries with a full year after entry by "
            f"{long_date(end)}; "
            f"{liberty['before'] / YEAR_DAYS:.2f} person-years at liberty before, "
            f"{liberty['after'] / YEAR_DAYS:.2f} after."
        ),
        summary={
            "memberships": liberty["memberships"],
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


def _sql(queryset) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def _reoffending_counts(
    window_start: datetime.date, window_end: datetime.date
) -> tuple[int, int, int]:
    """Offenders, reoffenders and proven reoffences of the MoJ measure, in one statement:
    each person's first start in the window (the earlier of a release and a proven
    sanction), kept if a membership was open that day, joined to the offences committed in
    the year after it and proven within that year and the waiting time. Dates are day
    numbers, so the windows are integer arithmetic on every database."""
    releases = (
        CustodyPeriod.objects.filter(ended_on__gte=window_start, ended_on__lte=window_end)
        .order_by()
        .values(person=F("nominal_id"), first_day=DayNumber("ended_on"))
    )
    sanctions = (
        proven_offences()
        .filter(sanction_date__gte=window_start, sanction_date__lte=window_end)
        .order_by()
        .values(person=F("nominal_id"), first_day=DayNumber("sanction_date"))
    )
    memberships = (
        CohortMembership.objects.filter(entered_on__lte=window_end)
        .exclude(exited_on__lt=window_start)
        .order_by()
        .values(
            person=F("nominal_id"),
            entered=DayNumber("entered_on"),
            exited=DayNumber("exited_on"),
        )
    )
    offences = (
        proven_offences()
        .filter(committed_on__gt=window_start, committed_on__lte=window_end + YEAR)
        .order_by()
        .values(
            person=F("nominal_id"),
            committed=DayNumber("committed_on"),
            proven=DayNumber("sanction_date"),
        )
    )
    releases_sql, releases_params = _sql(releases)
    sanctions_sql, sanctions_params = _sql(sanctions)
    memberships_sql, memberships_params = _sql(memberships)
    offences_sql, offences_params = _sql(offences)
    statement = f"""
        WITH firsts AS ({releases_sql} UNION ALL {sanctions_sql}),
        starts AS (SELECT person, MIN(first_day) AS start_day FROM firsts GROUP BY person),
        cohort AS (
            SELECT starts.person, starts.start_day FROM starts
            WHERE EXISTS (
                SELECT 1 FROM ({memberships_sql}) AS membership
                WHERE membership.person = starts.person
                AND membership.entered <= starts.start_day
                AND (membership.exited IS NULL OR membership.exited > starts.start_day)
            )
        ),
        reoffences AS (
            SELECT cohort.person, COUNT(*) AS reoffence_count FROM cohort
            JOIN ({offences_sql}) AS offence ON offence.person = cohort.person
            WHERE offence.committed > cohort.start_day
            AND offence.committed <= cohort.start_day + %s
            AND offence.proven <= cohort.start_day + %s
            GROUP BY cohort.person
        )
        SELECT
            (SELECT COUNT(*) FROM cohort),
            (SELECT COUNT(*) FROM reoffences),
            (SELECT COALESCE(SUM(reoffence_count), 0) FROM reoffences)
    """
    params = (
        releases_params
        + sanctions_params
        + memberships_params
        + offences_params
        + (YEAR_DAYS, YEAR_DAYS + WAITING_DAYS)
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        offenders, reoffenders, total = cursor.fetchone()
    return int(offenders), int(reoffenders), int(total)


def proven_reoffending(end: datetime.date) -> Table:
    """MoJ proven reoffending of the cohort members whose first start (release from custody,
    conviction or caution) fell in the 12 months ending 18 months before ``end``: an offence
    committed within a year of the start and proven within that year or six months more."""
    window_end = end - YEAR - datetime.timedelta(days=WAITING_DAYS)
    window_start = window_end - YEAR + DAY
    offenders, reoffenders, total = _reoffending_counts(window_start, window_end)
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
