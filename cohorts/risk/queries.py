"""Read paths of the risk pages and API, filtered to what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from cohorts import queries as cohort_queries
from iom import sharing
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
    IntelligenceSource,
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
    # What the user's sharing agreements cover (the IOM unit: everything).
    shows_arrests: bool = True
    shows_intelligence: bool = True
    shows_risk_inputs: bool = True


def shared_intelligence(queryset: QuerySet[IntelligenceReport], user) -> QuerySet:
    """The intelligence reports the user may read: all of them in the IOM unit; for a partner
    whose agreement covers intelligence, those whose handling code permits sharing and that
    did not come from an informant; otherwise none."""
    terms = sharing.terms_for(user)
    if terms.is_iom_unit:
        return queryset
    if not terms.covers(sharing.INTELLIGENCE):
        return queryset.none()
    return queryset.filter(handling_code__in=sharing.SHAREABLE_HANDLING_CODES).exclude(
        intelligence_source=IntelligenceSource.INFORMANT
    )


def offending_history(nominal, user) -> OffendingHistory:
    """The person's history as the user may see it, each list in one query (none for a part
    the user's agreements do not cover)."""
    terms = sharing.terms_for(user)
    shows_arrests = terms.covers(sharing.ARRESTS)
    shows_intelligence = terms.covers(sharing.INTELLIGENCE)
    shows_risk_inputs = terms.covers(sharing.RISK)
    intelligence = shared_intelligence(IntelligenceReport.objects.filter(nominal=nominal), user)
    return OffendingHistory(
        detections=list(
            DetectedOffence.objects.filter(nominal=nominal).select_related("offence_type")
        ),
        arrests=list(Arrest.objects.filter(nominal=nominal).select_related("offence_type"))
        if shows_arrests
        else [],
        intelligence=list(intelligence.select_related("offence_type"))
        if shows_intelligence
        else [],
        custody=list(CustodyPeriod.objects.filter(nominal=nominal)),
        residence=list(ResidencePeriod.objects.filter(nominal=nominal))
        if shows_risk_inputs
        else [],
        dynamic_factors=list(
            DynamicFactor.objects.filter(nominal=nominal).select_related("recorded_by")
        )
        if shows_risk_inputs
        else [],
        shows_arrests=shows_arrests,
        shows_intelligence=shows_intelligence,
        shows_risk_inputs=shows_risk_inputs,
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
        restrict_by_nominal(queryset, user, section=sharing.RISK)
        .select_related("nominal", "nominal__neighbourhood")
        .order_by("-score", "nominal__surname", "nominal_id")
    )


def visible_assessments(user) -> QuerySet[RiskAssessment]:
    return restrict_by_nominal(
        RiskAssessment.objects.all(), user, section=sharing.RISK
    ).select_related("nominal", "model_version")


# What of the record each kind of history belongs to, for the sharing agreements.
HISTORY_SECTIONS = {
    DetectedOffence: sharing.OFFENDING,
    Arrest: sharing.ARRESTS,
    IntelligenceReport: sharing.INTELLIGENCE,
    CustodyPeriod: sharing.OFFENDING,
    ResidencePeriod: sharing.RISK,
    DynamicFactor: sharing.RISK,
}


def visible_history(model, user) -> QuerySet:
    queryset = restrict_by_nominal(
        model.objects.all(), user, section=HISTORY_SECTIONS[model]
    ).select_related("nominal")
    if model is IntelligenceReport:
        queryset = shared_intelligence(queryset, user)
    if model in (DetectedOffence, Arrest, IntelligenceReport):
        queryset = queryset.select_related("offence_type")
    return queryset


def runs() -> QuerySet[RankingRun]:
    return RankingRun.objects.select_related("model_version", "requested_by")


def import_jobs() -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("uploaded_by").defer("content")


def nominal_for(user, pk: int, action: str = "view", *, section: str | None = None):
    return cohort_queries.nominal_for(user, pk, action, section=section)


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
