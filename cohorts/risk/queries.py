"""Read paths of the risk pages and API, filtered to what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
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
    IntelligenceSubmission,
    RankingRun,
    ResidencePeriod,
    RiskAssessment,
    RiskModelVersion,
    RiskOverride,
    RunStatus,
    SubmissionStatus,
)
from .parameters import ModelParameters

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
    # Newest first; the first two read whole, the rest with what the history shows.
    assessments: list[RiskAssessment]
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
    # The chart and the table read four fields of each past assessment; only the latest two
    # (explained, and compared) are read whole, with their run and model version. Reading
    # every row whole decoded the model's parameters sixty times: 6.7 ms against 1.1 ms.
    ordering = ("-assessed_on", "-id")
    history = list(
        RiskAssessment.objects.filter(nominal=nominal)
        .only("nominal_id", "assessed_on", "score", "band", "rank")
        .order_by(*ordering)[:HISTORY_LENGTH]
    )
    latest = list(
        RiskAssessment.objects.filter(pk__in=[a.pk for a in history[:2]])
        .select_related("model_version", "run")
        .order_by(*ordering)
    )
    assessments = latest + history[len(latest) :]
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
    detections: Page | list
    arrests: Page | list
    intelligence: Page | list
    custody: list
    residence: list
    dynamic_factors: list
    # What the user's sharing agreements cover (the IOM unit: everything).
    shows_arrests: bool = True
    shows_intelligence: bool = True
    shows_risk_inputs: bool = True
    # Partners' submissions: those waiting to be graded (the IOM unit), or the user's own
    # agency's (a partner).
    submissions: Page | list = field(default_factory=list)
    # One list paged in full (?show=arrests), or None: the first page of each.
    shown: str | None = None


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


# The Offending section's lists: the newest of each, then a page of one list at a time.
HISTORY_PAGE = 20
PAGED_LISTS = ("detections", "arrests", "intelligence", "submissions")


def _page(queryset, number, *, size: int = HISTORY_PAGE) -> Page:
    return Paginator(queryset, size).get_page(number)


def offending_history(nominal, user, *, show: str | None = None, page=None) -> OffendingHistory:
    """The person's history as the user may see it, in a fixed number of queries (none for a
    part the user's agreements do not cover). Detections, arrests, intelligence and
    submissions are paged: the first page of each, or (``show``) page ``page`` of one."""
    terms = sharing.terms_for(user)
    shows_arrests = terms.covers(sharing.ARRESTS)
    shows_intelligence = terms.covers(sharing.INTELLIGENCE)
    shows_risk_inputs = terms.covers(sharing.RISK)
    show = show if show in PAGED_LISTS else None
    intelligence = shared_intelligence(IntelligenceReport.objects.filter(nominal=nominal), user)
    lists = {
        "detections": DetectedOffence.objects.filter(nominal=nominal),
        "arrests": Arrest.objects.filter(nominal=nominal) if shows_arrests else None,
        "intelligence": intelligence if shows_intelligence else None,
    }
    pages: dict[str, Any] = {}
    for name, queryset in lists.items():
        if queryset is None or show not in (None, name):
            pages[name] = []
        else:
            rows = queryset.select_related("offence_type", "recorded_by")
            pages[name] = _page(rows, page if show == name else 1)
    submissions = submissions_for(user, nominal) if show in (None, "submissions") else None
    return OffendingHistory(
        detections=pages["detections"],
        arrests=pages["arrests"],
        intelligence=pages["intelligence"],
        submissions=_page(submissions, page if show == "submissions" else 1)
        if submissions is not None
        else [],
        shown=show,
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


def submissions_for(user, nominal=None) -> QuerySet[IntelligenceSubmission]:
    """Partners' submissions the user may see: the IOM unit, all of them; a partner, those of
    their own agency about people they may still see; nobody else, none. Newest first."""
    queryset = IntelligenceSubmission.objects.select_related(
        "agency", "submitted_by", "decided_by", "offence_type", "report", "nominal"
    )
    if nominal is not None:
        queryset = queryset.filter(nominal=nominal)
    terms = sharing.terms_for(user)
    if terms.is_iom_unit:
        return queryset.order_by("-submitted_at", "-id")
    if not terms.sees_records or getattr(user, "agency_id", None) is None:
        return queryset.none()
    return restrict_by_nominal(queryset.filter(agency_id=user.agency_id), user).order_by(
        "-submitted_at", "-id"
    )


def waiting_submissions(user) -> QuerySet[IntelligenceSubmission]:
    """Submissions waiting for the IOM unit to grade them, oldest first (the IOM unit only)."""
    if not sharing.terms_for(user).is_iom_unit:
        return IntelligenceSubmission.objects.none()
    return (
        IntelligenceSubmission.objects.filter(status=SubmissionStatus.SUBMITTED)
        .select_related("agency", "submitted_by", "nominal", "offence_type")
        .order_by("submitted_at", "id")
    )


@dataclass
class SinceLastRun:
    """Arrests and detections recorded since the last ranking started: they count from the
    next run. ``run`` is None when nobody has been ranked yet."""

    run: RankingRun | None
    detections: list
    arrests: list
    shows_arrests: bool

    def __bool__(self) -> bool:
        return bool(self.detections or self.arrests)


SINCE_LAST_RUN_SHOWN = 10


def since_last_run(nominal, user, run: RankingRun | None) -> SinceLastRun:
    """What was recorded about the person after ``run`` started (two queries at most)."""
    terms = sharing.terms_for(user)
    shows_arrests = terms.covers(sharing.ARRESTS)
    lists = {}
    for name, model, shown in (
        ("detections", DetectedOffence, terms.covers(sharing.OFFENDING)),
        ("arrests", Arrest, shows_arrests),
    ):
        queryset = model.objects.filter(nominal=nominal)
        if run is not None and run.started_at is not None:
            queryset = queryset.filter(created_at__gt=run.started_at)
        lists[name] = (
            list(
                queryset.select_related("offence_type").order_by("-created_at", "-id")[
                    :SINCE_LAST_RUN_SHOWN
                ]
            )
            if shown
            else []
        )
    return SinceLastRun(run=run, shows_arrests=shows_arrests, **lists)


def latest_run() -> RankingRun | None:
    return (
        RankingRun.objects.filter(status=RunStatus.SUCCEEDED)
        .select_related("model_version")
        .defer("model_version__parameters", "model_version__notes")  # shown: its number
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
    """Annotate each person's latest band, score and rank (``CurrentRisk``, one join) and any
    override in force (one join on the open override: at most one per person);
    ``risk_effective_band`` is what officers work to."""
    queryset = queryset.annotate(
        risk_override=FilteredRelation(
            "risk_overrides",
            condition=Q(
                risk_overrides__ended_at__isnull=True,
                risk_overrides__expires_on__gte=timezone.localdate(),
            ),
        ),
    ).annotate(
        risk_band=F("current_risk__band"),
        risk_rank=F("current_risk__rank"),
        risk_score=F("current_risk__score"),
        risk_override_band=F("risk_override__band"),
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
