"""Read paths of the pathways, already filtered to what the user may see.

Every function that reaches a user filters through iom.access (the people they may see) and
then through the information-sharing terms of their agency (``pathways.permissions``): the
contact, aims, actions and reviews of a pathway a partner may see only in summary are never
loaded. Queries take ``today`` (or ``as_of``) as an argument instead of reading the clock.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.shortcuts import get_object_or_404

from cohorts.models import Nominal
from iom import sharing
from iom.access import restrict, restrict_by_nominal

from . import dates
from .models import (
    LIVE_STATUSES,
    NeedAssessment,
    PathwayAction,
    PathwayConfiguration,
    PathwayKind,
    PathwayReview,
    PlanPathway,
)
from .permissions import AgencyTerms, PlanAccess, agency_terms, changeable_nominal_ids, plan_access

# --- Filters shared by pages and the API ---------------------------------------------------


def detail_visible(user, terms: AgencyTerms, *, prefix: str = "") -> Q:
    """Rows (pathways, or rows hanging from one through ``prefix``) the user may see in full:
    pathways their agency delivers, everything when its agreement shares in full, and every
    pathway of the people whose whole plan they may act on."""
    if terms.full_sharing or user.sees_whole_cohort:
        return Q()
    return Q(**{f"{prefix}pathway__in": sorted(terms.delivers)}) | Q(
        **{f"{prefix}nominal__in": changeable_nominal_ids(user)}
    )


def overdue_review_exists(today: datetime.date) -> Exists:
    """Whether the person (the outer row) has a live pathway whose review date has passed."""
    return Exists(
        PlanPathway.objects.filter(
            nominal=OuterRef("pk"), status__in=LIVE_STATUSES, review_date__lt=today
        )
    )


# --- The plan page -------------------------------------------------------------------------


@dataclass
class PathwayCard:
    pathway: PlanPathway
    sees_detail: bool
    may_act: bool
    is_review_overdue: bool
    actions: list[PathwayAction] = field(default_factory=list)


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # "action" or "review"
    on: datetime.date
    recorded_at: datetime.datetime
    pathway_label: str
    item: PathwayAction | PathwayReview


@dataclass
class PlanView:
    rights: PlanAccess
    has_plan: bool
    cards: list[PathwayCard]
    timeline: list[TimelineEntry]

    @property
    def overdue(self) -> list[PathwayCard]:
        return [card for card in self.cards if card.is_review_overdue]

    @property
    def hidden_pathways(self) -> int:
        return sum(1 for card in self.cards if not card.sees_detail)


def plan_view(user, nominal: Nominal, today: datetime.date) -> PlanView:
    """The person's plan as the user may see it: eight cards and a timeline, newest first.

    A fixed number of queries: the rights (two), the pathways, their actions and reviews.
    """
    rights = plan_access(user, nominal)
    detailed = [kind for kind in PathwayKind.values if rights.sees_detail(kind)]
    actions = PathwayAction.objects.filter(plan_pathway__pathway__in=detailed).select_related(
        "agency", "assigned_to"
    )
    reviews = PathwayReview.objects.filter(plan_pathway__pathway__in=detailed).select_related(
        "reviewed_by"
    )
    pathways = sorted(
        PlanPathway.objects.filter(nominal=nominal)
        .select_related("contact_agency", "contact_worker")
        .prefetch_related(
            Prefetch("actions", queryset=actions.order_by("done_on", "due_on", "id")),
            Prefetch("reviews", queryset=reviews),
        ),
        key=lambda p: p.order,
    )
    cards: list[Any] = []
    timeline: list[Any] = []
    for pathway in pathways:
        sees = rights.sees_detail(pathway.pathway)
        card = PathwayCard(
            pathway=pathway,
            sees_detail=sees,
            may_act=rights.may_act(pathway.pathway),
            is_review_overdue=bool(
                pathway.is_live and pathway.review_date and pathway.review_date < today
            ),
        )
        if sees:
            card.actions = list(pathway.actions.all())
            label = pathway.get_pathway_display()
            timeline.extend(
                TimelineEntry("action", a.done_on or a.created_at.date(), a.created_at, label, a)
                for a in card.actions
            )
            timeline.extend(
                TimelineEntry("review", r.reviewed_on, r.created_at, label, r)
                for r in pathway.reviews.all()
            )
        cards.append(card)
    timeline.sort(key=lambda entry: (entry.on, entry.recorded_at), reverse=True)
    return PlanView(rights=rights, has_plan=bool(pathways), cards=cards, timeline=timeline)


def plan_pathway_for(user, nominal: Nominal, pathway: str) -> PlanPathway:
    """One pathway of the person's plan (the caller has checked the person is visible)."""
    return get_object_or_404(
        PlanPathway.objects.select_related("contact_agency", "contact_worker"),
        nominal=nominal,
        pathway=pathway,
    )


def action_for(user, nominal: Nominal, action_id: int) -> PathwayAction:
    return get_object_or_404(
        PathwayAction.objects.select_related("plan_pathway", "agency", "assigned_to"),
        nominal=nominal,
        pk=action_id,
    )


# --- My work -------------------------------------------------------------------------------


@dataclass
class WorkGroup:
    key: str
    label: str
    actions: list[PathwayAction] = field(default_factory=list)
    reviews: list[PlanPathway] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.actions) + len(self.reviews)


def _bucket_case(date_field: str, today: datetime.date) -> Case:
    return Case(
        When(**{f"{date_field}__lt": today}, then=Value(dates.OVERDUE)),
        When(**{f"{date_field}__lte": dates.end_of_week(today)}, then=Value(dates.THIS_WEEK)),
        default=Value(dates.LATER),
        output_field=CharField(),
    )


def my_actions(user, today: datetime.date, horizon: datetime.date) -> QuerySet[PathwayAction]:
    """Open actions the user is to do: assigned to them, or to their agency with no one named,
    on people they may see, due by ``horizon`` (overdue ones however old)."""
    mine = Q(assigned_to=user)
    if user.agency_id:
        mine |= Q(assigned_to__isnull=True, agency_id=user.agency_id)
    return (
        restrict_by_nominal(PathwayAction.objects.all(), user, section=sharing.PATHWAYS)
        .filter(mine, done_on__isnull=True, due_on__lte=horizon)
        .annotate(bucket=_bucket_case("due_on", today))
        .select_related("nominal", "plan_pathway", "agency")
        .order_by("due_on", "nominal__surname", "id")
    )


def my_reviews(user, today: datetime.date, horizon: datetime.date) -> QuerySet[PlanPathway]:
    """Live pathways with a review due by ``horizon`` that are the user's to review: they are
    the named contact; or their agency is the contact, delivers the pathway and no worker is
    named; or they are the person's named offender manager."""
    terms = agency_terms(user)
    mine = Q(contact_worker=user) | Q(nominal__offender_managers=user)
    if user.agency_id and terms.delivers:
        mine |= Q(
            contact_worker__isnull=True,
            contact_agency_id=user.agency_id,
            pathway__in=sorted(terms.delivers),
        )
    ids = PlanPathway.objects.filter(mine).values("pk")
    return (
        restrict_by_nominal(PlanPathway.objects.all(), user, section=sharing.PATHWAYS)
        .filter(pk__in=ids, status__in=LIVE_STATUSES, review_date__lte=horizon)
        .annotate(bucket=_bucket_case("review_date", today))
        .select_related("nominal", "contact_agency", "contact_worker")
        .order_by("review_date", "nominal__surname", "id")
    )


def my_work_horizon(today: datetime.date) -> datetime.date:
    """How far ahead My work lists actions and reviews: the configured number of days, and
    at least to the end of this week (one query, the configuration)."""
    days = PathwayConfiguration.current().my_work_horizon_days
    return max(today + datetime.timedelta(days=days), dates.end_of_week(today))


def my_work(user, today: datetime.date) -> list[WorkGroup]:
    """The user's actions and reviews in three groups: overdue, due this week, later."""
    horizon = my_work_horizon(today)
    groups = {key: WorkGroup(key, label) for key, label in dates.BUCKET_LABELS.items()}
    # ``bucket`` is annotated by the queries (overdue, this week, later).
    for action in my_actions(user, today, horizon):
        groups[getattr(action, "bucket")].actions.append(action)  # noqa: B009
    for pathway in my_reviews(user, today, horizon):
        groups[getattr(pathway, "bucket")].reviews.append(pathway)  # noqa: B009
    return list(groups.values())


# --- The API -------------------------------------------------------------------------------


def people_with_plans(user) -> QuerySet[Nominal]:
    """The people the user may see who have a plan, each with their pathways (and, where the
    user may see them in full, the actions), for the API."""
    terms = agency_terms(user)
    actions = PathwayAction.objects.filter(
        detail_visible(user, terms, prefix="plan_pathway__")
    ).select_related("agency", "assigned_to", "plan_pathway")
    people = restrict(Nominal.objects.all(), user)
    if not sharing.covers(user, sharing.PATHWAYS):
        people = people.none()
    return (
        people.filter(pathway_plan__isnull=False)
        .annotate(
            acts_on_all=Exists(changeable_nominal_ids(user).filter(pk=OuterRef("pk"))),
        )
        .prefetch_related(
            Prefetch(
                "plan_pathways",
                queryset=PlanPathway.objects.select_related("contact_agency", "contact_worker"),
            ),
            Prefetch("pathway_actions", queryset=actions.order_by("due_on", "id")),
        )
        .order_by("surname", "first_names", "id")
    )


def visible_actions(user) -> QuerySet[PathwayAction]:
    """Actions of people the user may see, on pathways they may see in full (every pathway
    for the IOM unit, whose agency's pathways need not be read)."""
    queryset = restrict_by_nominal(PathwayAction.objects.all(), user, section=sharing.PATHWAYS)
    if not getattr(user, "sees_whole_cohort", False):
        queryset = queryset.filter(
            detail_visible(user, agency_terms(user), prefix="plan_pathway__")
        )
    return queryset.select_related("nominal", "plan_pathway", "agency", "assigned_to")


# --- The risk model ------------------------------------------------------------------------

# The pathways whose needs are dynamic factors of the risk model, and the factor each gives.
RISK_FACTORS = {
    PathwayKind.ACCOMMODATION: "accommodation_need",
    PathwayKind.DRUGS_ALCOHOL: "drug_need",
}


def risk_need_factors(as_of: datetime.date) -> QuerySet:
    """(nominal_id, factor, level) of every person's latest assessed Accommodation and Drugs &
    Alcohol need on or before ``as_of``; one SQL statement, whatever the cohort's size.

    ``factor`` is "accommodation_need" or "drug_need"; ``level`` is "none", "low", "medium"
    or "high". A person whose need was never assessed has no row (the risk model treats the
    factor as missing, not as "none").
    """
    latest = NeedAssessment.objects.filter(
        nominal=OuterRef("nominal_id"),
        pathway=OuterRef("pathway"),
        assessed_on__lte=as_of,
    ).order_by("-assessed_on", "-id")
    return (
        PlanPathway.objects.filter(pathway__in=list(RISK_FACTORS))
        .annotate(
            level=Subquery(latest.values("need")[:1]),
            factor=Case(
                *[When(pathway=kind, then=Value(name)) for kind, name in RISK_FACTORS.items()],
                output_field=CharField(),
            ),
        )
        .filter(level__isnull=False)
        .order_by("nominal_id", "factor")
        .values("nominal_id", "factor", "level")
    )
