"""The cohort over time and its make-up on a day, in aggregate SQL: a fixed number of queries
whatever the size of the cohort."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import pairwise

from django.apps import apps
from django.db.models import Case, CharField, Count, OuterRef, Q, QuerySet, Subquery, Value, When

from cohorts.controls.models import OPEN_RECALL_STATUSES, Recall
from cohorts.models import (
    CohortMembership,
    CohortStream,
    Engagement,
    EngagementStatus,
    ExitReason,
)
from cohorts.risk.models import Band, RiskAssessment
from iom.formatting import in_sentence, long_date
from pathways.models import LIVE_STATUSES, NeedAssessment, NeedLevel, PathwayKind, PlanPathway

from .periods import Period, months_up_to
from .sql import Counted, counted
from .tables import Table

NOT_RECORDED = "Not recorded"


def members_on(day: datetime.date):
    """Memberships open at the end of ``day``: entered on or before it, not exited by it."""
    return CohortMembership.objects.filter(entered_on__lte=day).filter(
        Q(exited_on__isnull=True) | Q(exited_on__gt=day)
    )


def band_on(day: datetime.date, field: str = "nominal"):
    """The band of a person's latest assessment on or before ``day``."""
    return Subquery(
        RiskAssessment.objects.filter(nominal=OuterRef(field), assessed_on__lte=day)
        .order_by("-assessed_on", "-id")
        .values("band")[:1]
    )


def cohort_by_month(end: datetime.date) -> Table:
    """Cohort size at each month's end, entries and exits by reason: one aggregate query,
    each figure a conditional count."""
    months = months_up_to(end)
    reasons = ExitReason.choices
    counts: dict = {}
    for index, month in enumerate(months):
        within = (month.start, month.end)
        counts[f"size{index}"] = Count(
            "nominal",
            distinct=True,
            filter=Q(entered_on__lte=month.end)
            & (Q(exited_on__isnull=True) | Q(exited_on__gt=month.end)),
        )
        counts[f"entries{index}"] = Count("id", filter=Q(entered_on__range=within))
        for number, (value, _) in enumerate(reasons):
            counts[f"exits{index}_{number}"] = Count(
                "id", filter=Q(exited_on__range=within, exit_reason=value)
            )
    figures = CohortMembership.objects.aggregate(**counts)
    rows = []
    for index, month in enumerate(months):
        by_reason = [figures[f"exits{index}_{number}"] for number in range(len(reasons))]
        rows.append(
            [
                f"{month.start:%b %Y}",
                figures[f"size{index}"],
                figures[f"entries{index}"],
                sum(by_reason),
                *by_reason,
            ]
        )
    return Table(
        key="cohort-by-month",
        title="Cohort size, entries and exits by month",
        columns=["Month", "Cohort at month end", "Entries", "Exits"]
        + [f"Exits: {in_sentence(label)}" for _, label in reasons],
        rows=rows,
        chart={"kind": "line", "series": [1, 2, 3]},
    )


@dataclass(frozen=True)
class _Split:
    """One table of the cohort's make-up: its members counted by one value."""

    key: str
    title: str
    column: str
    queryset: QuerySet
    field: str
    labels: dict

    def counted(self) -> Counted:
        return Counted(self.key, self.queryset, (self.field,))

    def table(self, counts: dict[tuple, int]) -> Table:
        remaining = {value: n for (value,), n in counts.items()}
        rows = [[label, remaining.pop(value, 0)] for value, label in self.labels.items()]
        for value, n in sorted(remaining.items(), key=lambda item: str(item[0])):
            rows.append([str(value) if value not in (None, "") else NOT_RECORDED, n])
        rows = [row for row in rows if row[1] or row[0] != NOT_RECORDED]
        rows.append(["Total", sum(row[1] for row in rows)])
        return Table(
            self.key,
            self.title,
            [self.column, "People"],
            rows,
            chart={"kind": "bar", "series": [1]},
        )


def make_up(period: Period, age_bands: list[int]) -> list[Table]:
    """The cohort at the period's end split by lead agency, stream, band, OGRS3 band, area,
    age, engagement and housing need, then its RAG movements over the period: one GROUP BY
    each, all sent as one statement."""
    parts = _splits(period.end, age_bands)
    movements = _rag_movements_counted(period)
    counts = counted(*(part.counted() for part in parts), movements)
    return [part.table(counts[part.key]) for part in parts] + [
        _rag_movements_table(period, counts[movements.key])
    ]


def _splits(day: datetime.date, age_bands: list[int]) -> list[_Split]:
    """The make-up tables in their order on the page (OGRS3 only where that app is in use)."""
    members = members_on(day).order_by()
    ogrs3 = _ogrs3_split(members, day)
    return [
        *_recorded_splits(members, day),
        *([ogrs3] if ogrs3 is not None else []),
        _area_split(members),
        _age_split(members, day, age_bands),
        _engagement_split(members, day),
        _housing_split(members, day),
    ]


def _recorded_splits(members: QuerySet, day: datetime.date) -> list[_Split]:
    """By what the membership and the latest assessment record: lead agency, stream, band."""
    return [
        _Split(
            "lead-agency", "Cohort by lead agency", "Lead agency", members, "lead_agency__name", {}
        ),
        _Split(
            "stream", "Cohort by stream", "Stream", members, "stream", dict(CohortStream.choices)
        ),
        _Split(
            "rag-band",
            "Cohort by RAG band",
            "Band",
            members.annotate(band=band_on(day)),
            "band",
            dict(Band.choices) | {None: "Not ranked"},
        ),
    ]


def _area_split(members: QuerySet) -> _Split:
    """By the area of the person's neighbourhood: City or County."""
    return _Split(
        "area",
        "Cohort by City and County",
        "Area",
        members.annotate(
            place=Case(
                When(nominal__neighbourhood__area="city", then=Value("City")),
                When(nominal__neighbourhood__area="county", then=Value("County")),
                default=Value(NOT_RECORDED),
                output_field=CharField(),
            )
        ),
        "place",
        {"City": "City", "County": "County"},
    )


def _age_split(members: QuerySet, day: datetime.date, age_bands: list[int]) -> _Split:
    return _Split(
        "age-band",
        "Cohort by age band",
        "Age band",
        members.annotate(age_band=_age_band(day, age_bands)),
        "age_band",
        {label: label for label in age_band_labels(age_bands)},
    )


def _engagement_split(members: QuerySet, day: datetime.date) -> _Split:
    """By the engagement status last recorded on or before ``day``."""
    return _Split(
        "engagement",
        "Cohort by engagement",
        "Engagement",
        members.annotate(
            engagement=Subquery(
                Engagement.objects.filter(nominal=OuterRef("nominal"), on__lte=day)
                .order_by("-on", "-id")
                .values("status")[:1]
            )
        ),
        "engagement",
        dict(EngagementStatus.choices) | {None: NOT_RECORDED},
    )


def _housing_split(members: QuerySet, day: datetime.date) -> _Split:
    """By the Accommodation pathway's need, as last assessed on or before ``day``."""
    return _Split(
        "housing-need",
        "Cohort by housing need (Accommodation pathway)",
        "Accommodation need",
        members.annotate(
            housing=Subquery(
                NeedAssessment.objects.filter(
                    nominal=OuterRef("nominal"),
                    pathway=PathwayKind.ACCOMMODATION,
                    assessed_on__lte=day,
                )
                .order_by("-assessed_on", "-id")
                .values("need")[:1]
            )
        ),
        "housing",
        dict(NeedLevel.choices) | {None: "Not assessed"},
    )


def age_band_labels(bands: list[int]) -> list[str]:
    labels = [f"Under {bands[0]}"]
    labels += [f"{low}–{high - 1}" for low, high in pairwise(bands)]
    labels.append(f"{bands[-1]} and over")
    return labels


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_band(day: datetime.date, bands: list[int]):
    """Age on ``day`` as a band, in SQL: born after the date ``n`` years before is under ``n``."""
    labels = age_band_labels(bands)
    whens = [
        When(nominal__date_of_birth__gt=_years_before(day, age), then=Value(label))
        for age, label in zip(bands, labels, strict=False)
    ]
    return Case(*whens, default=Value(labels[-1]), output_field=CharField())


def _ogrs3_model():
    """The risk app's stored OGRS3 results, if it has any (not every installation does)."""
    for model in apps.get_app_config("risk").get_models():
        names = {field.name for field in model._meta.get_fields()}
        if "ogrs3" in model.__name__.lower() and {"nominal", "band"} <= names:
            return model
    return None


def _ogrs3_split(members, day: datetime.date) -> _Split | None:
    model = _ogrs3_model()
    if model is None:
        return None
    date_field = next(
        (f.name for f in model._meta.get_fields() if f.get_internal_type() == "DateField"), None
    )
    latest = model.objects.filter(nominal=OuterRef("nominal"))
    if date_field:
        latest = latest.filter(**{f"{date_field}__lte": day}).order_by(f"-{date_field}", "-pk")
    else:
        latest = latest.order_by("-pk")
    choices = dict(getattr(model._meta.get_field("band"), "choices", None) or [])
    return _Split(
        "ogrs3-band",
        "Cohort by OGRS3 band",
        "OGRS3 band",
        members.annotate(ogrs3=Subquery(latest.values("band")[:1])),
        "ogrs3",
        choices | {"": "Not scored (an input is missing)", None: "Not scored"},
    )


def _rag_movements_counted(period: Period) -> Counted:
    """Members at the period's end by their band at its start and at its end."""
    before = period.start - datetime.timedelta(days=1)
    members = (
        members_on(period.end).order_by().annotate(was=band_on(before), now=band_on(period.end))
    )
    return Counted("rag-movements", members, ("was", "now"))


def _rag_movements_table(period: Period, movements: dict[tuple, int]) -> Table:
    before = period.start - datetime.timedelta(days=1)
    counts = dict(movements)
    order = [Band.RED, Band.AMBER, Band.GREEN, None]
    label = dict(Band.choices) | {None: "Not ranked"}
    rows = []
    for was in order:
        row = [label[was], *(counts.get((was, now), 0) for now in order)]
        rows.append([*row, sum(row[1:])])
    up = sum(counts.get((a, b), 0) for a in order[:3] for b in order[:3] if _rank(b) < _rank(a))
    down = sum(counts.get((a, b), 0) for a in order[:3] for b in order[:3] if _rank(b) > _rank(a))
    return Table(
        key="rag-movements",
        title=f"RAG movements: band on {long_date(before)} (rows) against {long_date(period.end)}",
        columns=["Band before"] + [f"Now {label[b]}" for b in order] + ["Total"],
        rows=rows,
        chart={"kind": "stacked", "series": [1, 2, 3, 4]},
        note=f"{up} moved to a higher-risk band, {down} to a lower-risk band.",
        summary={"moved_up": up, "moved_down": down},
    )


def _rank(band) -> int:
    return {Band.RED: 1, Band.AMBER: 2, Band.GREEN: 3}[band]


def attention(day: datetime.date) -> Table:
    """Overdue pathway reviews of members and recalls in progress at the end of ``day``."""
    end_of_day = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC
    )
    members = members_on(day).values("nominal")
    overdue = PlanPathway.objects.filter(
        nominal__in=members, status__in=LIVE_STATUSES, review_date__lt=day
    )
    recalls = Recall.objects.filter(started_at__lt=end_of_day).filter(
        Q(status__in=OPEN_RECALL_STATUSES) | Q(returned_to_custody_at__gte=end_of_day)
    )
    counts = counted(
        Counted("reviews", overdue),
        Counted("people", overdue, count=Count("nominal", distinct=True)),
        Counted("recalls", recalls),
    )
    figures = {key: by_value.get((), 0) for key, by_value in counts.items()}
    return Table(
        key="attention",
        title=f"Needing attention on {long_date(day)}",
        columns=["Measure", "Number"],
        rows=[
            ["Overdue pathway reviews", figures["reviews"]],
            ["People with an overdue review", figures["people"]],
            ["Recalls in progress", figures["recalls"]],
        ],
        chart={"kind": "bar", "series": [1]},
    )
