"""The cohort over time and its make-up on a day: each figure one aggregate SQL query."""

from __future__ import annotations

import datetime
from itertools import pairwise

from django.apps import apps
from django.db.models import Case, CharField, Count, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import TruncMonth

from cohorts.controls.models import Recall, RecallStatus
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
    """Cohort size at each month's end, entries and exits by reason: three queries."""
    months = months_up_to(end)
    first = months[0].start
    sizes = CohortMembership.objects.aggregate(
        **{
            f"m{index}": Count(
                "nominal",
                distinct=True,
                filter=Q(entered_on__lte=month.end)
                & (Q(exited_on__isnull=True) | Q(exited_on__gt=month.end)),
            )
            for index, month in enumerate(months)
        }
    )
    entries = {
        row["month"]: row["n"]
        for row in CohortMembership.objects.filter(entered_on__gte=first, entered_on__lte=end)
        .annotate(month=TruncMonth("entered_on"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    }
    exits: dict = {}
    for row in (
        CohortMembership.objects.filter(exited_on__gte=first, exited_on__lte=end)
        .annotate(month=TruncMonth("exited_on"))
        .values("month", "exit_reason")
        .annotate(n=Count("id"))
        .order_by()
    ):
        exits[(_as_date(row["month"]), row["exit_reason"])] = row["n"]
    entries = {_as_date(month): n for month, n in entries.items()}
    reasons = ExitReason.choices
    rows = []
    for index, month in enumerate(months):
        by_reason = [exits.get((month.start, value), 0) for value, _ in reasons]
        rows.append(
            [
                f"{month.start:%b %Y}",
                sizes[f"m{index}"],
                entries.get(month.start, 0),
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


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _split(key: str, title: str, column: str, queryset, field: str, labels: dict) -> Table:
    counts = {row[field]: row["n"] for row in queryset.values(field).annotate(n=Count("id"))}
    rows = [[label, counts.pop(value, 0)] for value, label in labels.items()]
    for value, n in sorted(counts.items(), key=lambda item: str(item[0])):
        rows.append([str(value) if value not in (None, "") else NOT_RECORDED, n])
    rows = [row for row in rows if row[1] or row[0] != NOT_RECORDED]
    rows.append(["Total", sum(row[1] for row in rows)])
    return Table(key, title, [column, "People"], rows, chart={"kind": "bar", "series": [1]})


def splits(day: datetime.date, age_bands: list[int]) -> list[Table]:
    """The cohort on ``day`` split by lead agency, stream, band, area, age, engagement and
    housing need: one GROUP BY query each."""
    members = members_on(day).order_by()
    tables = [
        _split(
            "lead-agency",
            "Cohort by lead agency",
            "Lead agency",
            members,
            "lead_agency__name",
            {},
        ),
        _split(
            "stream", "Cohort by stream", "Stream", members, "stream", dict(CohortStream.choices)
        ),
        _split(
            "rag-band",
            "Cohort by RAG band",
            "Band",
            members.annotate(band=band_on(day)),
            "band",
            dict(Band.choices) | {None: "Not ranked"},
        ),
    ]
    ogrs3 = _ogrs3_split(members, day)
    if ogrs3 is not None:
        tables.append(ogrs3)
    tables += [
        _split(
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
        ),
        _split(
            "age-band",
            "Cohort by age band",
            "Age band",
            members.annotate(age_band=_age_band(day, age_bands)),
            "age_band",
            {label: label for label in age_band_labels(age_bands)},
        ),
        _split(
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
        ),
        _split(
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
        ),
    ]
    return tables


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


def _ogrs3_split(members, day: datetime.date) -> Table | None:
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
    return _split(
        "ogrs3-band",
        "Cohort by OGRS3 band",
        "OGRS3 band",
        members.annotate(ogrs3=Subquery(latest.values("band")[:1])),
        "ogrs3",
        choices | {"": "Not scored (an input is missing)", None: "Not scored"},
    )


def rag_movements(period: Period) -> Table:
    """Members at the period's end by their band at its start and at its end: one query."""
    before = period.start - datetime.timedelta(days=1)
    counts = {
        (row["was"], row["now"]): row["n"]
        for row in members_on(period.end)
        .order_by()
        .annotate(was=band_on(before), now=band_on(period.end))
        .values("was", "now")
        .annotate(n=Count("id"))
    }
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
    ).aggregate(reviews=Count("id"), people=Count("nominal", distinct=True))
    recalls = Recall.objects.filter(started_at__lt=end_of_day).filter(
        Q(status=RecallStatus.IN_PROGRESS) | Q(returned_to_custody_at__gte=end_of_day)
    )
    in_progress = recalls.aggregate(n=Count("id"))["n"]
    return Table(
        key="attention",
        title=f"Needing attention on {long_date(day)}",
        columns=["Measure", "Number"],
        rows=[
            ["Overdue pathway reviews", overdue["reviews"]],
            ["People with an overdue review", overdue["people"]],
            ["Recalls in progress", in_progress],
        ],
        chart={"kind": "bar", "series": [1]},
    )
