"""Read paths of the risk pages and API, filtered to what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from cohorts import queries as cohort_queries
from iom.access import restrict_by_nominal

from .models import (
    BAND_ORDER,
    Arrest,
    Band,
    CustodyPeriod,
    DetectedOffence,
    DynamicFactor,
    ImportJob,
    IntelligenceReport,
    RankingRun,
    ResidencePeriod,
    RiskAssessment,
    RiskModelVersion,
    RiskOverride,
    RunStatus,
)
from .scoring import ModelParameters

# How many past assessments the history chart and table show.
HISTORY_LENGTH = 60


def override_in_force(nominal, day: datetime.date | None = None) -> RiskOverride | None:
    day = day or timezone.localdate()
    return (
        RiskOverride.objects.filter(nominal=nominal, ended_at__isnull=True, expires_on__gte=day)
        .select_related("set_by")
        .first()
    )


@dataclass
class RiskSection:
    assessments: list[RiskAssessment]  # newest first
    override: RiskOverride | None
    past_overrides: list[RiskOverride]
    thresholds: dict[str, float]

    @property
    def current(self) -> RiskAssessment | None:
        return self.assessments[0] if self.assessments else None

    @property
    def previous(self) -> RiskAssessment | None:
        return self.assessments[1] if len(self.assessments) > 1 else None


def risk_section(nominal) -> RiskSection:
    """What the Risk section shows; a fixed number of queries however long the history."""
    assessments = list(
        RiskAssessment.objects.filter(nominal=nominal)
        .select_related("model_version", "run")
        .order_by("-assessed_on", "-id")[:HISTORY_LENGTH]
    )
    overrides = list(
        RiskOverride.objects.filter(nominal=nominal)
        .select_related("set_by", "ended_by")
        .order_by("-set_at", "-id")[:10]
    )
    today = timezone.localdate()
    in_force = next((o for o in overrides if o.is_in_force_on(today)), None)
    version = assessments[0].model_version if assessments else RiskModelVersion.current()
    thresholds = ModelParameters.from_json(version.parameters).thresholds
    return RiskSection(
        assessments=assessments,
        override=in_force,
        past_overrides=[o for o in overrides if o is not in_force],
        thresholds=thresholds,
    )


@dataclass
class OffendingHistory:
    detections: list
    arrests: list
    intelligence: list
    custody: list
    residence: list
    dynamic_factors: list


def offending_history(nominal) -> OffendingHistory:
    """Every row of the person's history, each list in one query."""
    return OffendingHistory(
        detections=list(
            DetectedOffence.objects.filter(nominal=nominal).select_related("offence_type")
        ),
        arrests=list(Arrest.objects.filter(nominal=nominal).select_related("offence_type")),
        intelligence=list(
            IntelligenceReport.objects.filter(nominal=nominal).select_related("offence_type")
        ),
        custody=list(CustodyPeriod.objects.filter(nominal=nominal)),
        residence=list(ResidencePeriod.objects.filter(nominal=nominal)),
        dynamic_factors=list(
            DynamicFactor.objects.filter(nominal=nominal).select_related("recorded_by")
        ),
    )


def latest_run() -> RankingRun | None:
    return (
        RankingRun.objects.filter(status=RunStatus.SUCCEEDED)
        .select_related("model_version")
        .order_by("-run_date", "-finished_at", "-id")
        .first()
    )


def emerging_threats(user, run: RankingRun | None) -> QuerySet[RiskAssessment]:
    """People not on the cohort whose score reached Amber or Red in ``run``, highest first."""
    if run is None:
        return RiskAssessment.objects.none()
    queryset = RiskAssessment.objects.filter(run=run, is_member=False).exclude(band=Band.GREEN)
    return (
        restrict_by_nominal(queryset, user)
        .select_related("nominal", "nominal__neighbourhood")
        .order_by("-score", "nominal__surname", "nominal_id")
    )


def visible_assessments(user) -> QuerySet[RiskAssessment]:
    return restrict_by_nominal(RiskAssessment.objects.all(), user).select_related(
        "nominal", "model_version"
    )


def visible_history(model, user) -> QuerySet:
    queryset = restrict_by_nominal(model.objects.all(), user).select_related("nominal")
    if model in (DetectedOffence, Arrest, IntelligenceReport):
        queryset = queryset.select_related("offence_type")
    return queryset


def runs() -> QuerySet[RankingRun]:
    return RankingRun.objects.select_related("model_version", "requested_by")


def import_jobs() -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("uploaded_by").defer("content")


def nominal_for(user, pk: int, action: str = "view"):
    return cohort_queries.nominal_for(user, pk, action)


# --- The cohort list's Risk column ------------------------------------------------------------


def with_risk(queryset: QuerySet) -> QuerySet:
    """Annotate each person's latest band, score and rank and any override in force, with a
    constant number of subqueries; ``risk_effective_band`` is what officers work to."""
    latest = RiskAssessment.objects.filter(nominal=OuterRef("pk")).order_by("-assessed_on", "-id")
    override = RiskOverride.objects.filter(
        nominal=OuterRef("pk"), ended_at__isnull=True, expires_on__gte=timezone.localdate()
    ).order_by("-set_at")
    queryset = queryset.annotate(
        risk_band=Subquery(latest.values("band")[:1]),
        risk_rank=Subquery(latest.values("rank")[:1]),
        risk_score=Subquery(latest.values("score")[:1]),
        risk_override_band=Subquery(override.values("band")[:1]),
    )
    return queryset.annotate(
        risk_effective_band=Case(
            When(risk_override_band__isnull=False, then="risk_override_band"),
            default="risk_band",
        ),
        risk_rank_missing=Case(
            When(risk_rank__isnull=True, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        risk_band_order=Case(
            *[
                When(risk_effective_band=band, then=Value(order))
                for band, order in BAND_ORDER.items()
            ],
            default=Value(len(BAND_ORDER) + 1),
            output_field=IntegerField(),
        ),
    )


def filter_by_band(queryset: QuerySet, band: str) -> QuerySet:
    if band == "none":
        return queryset.filter(Q(risk_effective_band__isnull=True))
    return queryset.filter(risk_effective_band=band)
