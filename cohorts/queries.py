"""Read paths for nominals, already filtered to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from iom import sharing
from iom.access import groups_with_access

from . import listing
from .identifiers import normalise_identifier
from .models import Alias, CohortMembership, Engagement, EngagementStatus, Nominal, RecordShare
from .models.membership import OPEN_STATUSES

SORTS = {
    "name": ("surname", "first_names", "id"),
    "-name": ("-surname", "-first_names", "-id"),
    "dob": ("date_of_birth", "id"),
    "-dob": ("-date_of_birth", "-id"),
    "lead": ("lead_agency__name", "surname", "id"),
    "-lead": ("-lead_agency__name", "surname", "id"),
    "area": ("neighbourhood__area", "neighbourhood__name", "surname", "id"),
    "-area": ("-neighbourhood__area", "-neighbourhood__name", "surname", "id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
    "entered": ("membership_entered_on", "surname", "id"),
    "-entered": ("-membership_entered_on", "surname", "id"),
}

# Membership filter values besides the statuses themselves.
CURRENT_MEMBERS = "current"
NEVER_MEMBERS = "never"
ANYONE = "any"
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class CohortFilters:
    query: str = ""
    lead_agency: int | None = None
    area: str = ""
    neighbourhood: int | None = None
    stream: str = ""
    membership: str = CURRENT_MEMBERS
    engagement: str = ""
    offender_manager: int | None = None
    sort: str = DEFAULT_SORT
    # Filters of columns other apps register (cohorts.listing): {column key: cleaned value}.
    extra: dict = field(default_factory=dict)

    @property
    def is_search(self) -> bool:
        return bool(self.query)

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.query
            or self.lead_agency
            or self.area
            or self.neighbourhood
            or self.stream
            or self.engagement
            or self.offender_manager
            or self.membership != CURRENT_MEMBERS
            or any(value not in (None, "") for value in self.extra.values())
        )


def visible_nominals(user, action: str = "view") -> QuerySet[Nominal]:
    return Nominal.objects.visible_to(user, action)


def search_nominals(queryset: QuerySet[Nominal], text: str) -> QuerySet[Nominal]:
    """Match a name (also an alias) or any identifier. Every word of a name must match."""
    text = text.strip()
    if not text:
        return queryset
    identifier = normalise_identifier(text)
    by_identifier = (
        Q(pnc_id=identifier)
        | Q(cro_number=identifier)
        | Q(crn=identifier)
        | Q(prison_number=identifier)
    )
    by_name = Q()
    for word in text.replace(",", " ").split():
        alias_match = Alias.objects.filter(nominal=OuterRef("pk")).filter(
            Q(surname__icontains=word) | Q(first_names__icontains=word)
        )
        by_name &= Q(surname__icontains=word) | Q(first_names__icontains=word) | Exists(alias_match)
    return queryset.filter(by_identifier | by_name)


def with_cohort_status(queryset: QuerySet[Nominal]) -> QuerySet[Nominal]:
    """Annotate each person's latest membership (stream, status, entry) and engagement.

    Correlated subqueries keep this one SQL statement however many people are listed.
    """
    latest_membership = CohortMembership.objects.filter(nominal=OuterRef("pk")).order_by(
        "-entered_on", "-id"
    )
    latest_engagement = Engagement.objects.filter(nominal=OuterRef("pk")).order_by("-on", "-id")
    return queryset.annotate(
        membership_status=Subquery(latest_membership.values("status")[:1]),
        membership_stream=Subquery(latest_membership.values("stream")[:1]),
        membership_entered_on=Subquery(latest_membership.values("entered_on")[:1]),
        engagement_status=Subquery(latest_engagement.values("status")[:1]),
    )


def _filter_membership(queryset: QuerySet[Nominal], membership: str) -> QuerySet[Nominal]:
    if membership == CURRENT_MEMBERS:
        return queryset.filter(membership_status__in=OPEN_STATUSES)
    if membership == NEVER_MEMBERS:
        return queryset.filter(membership_status__isnull=True)
    if membership == ANYONE or not membership:
        return queryset
    return queryset.filter(membership_status=membership)


def cohort_list(user, filters: CohortFilters) -> QuerySet[Nominal]:
    """The cohort list: visible nominals, searched, filtered and sorted, ready to page.

    Related rows are joined or prefetched so that a page costs the same number of queries
    whatever its length.
    """
    queryset = with_cohort_status(search_nominals(visible_nominals(user), filters.query))
    queryset = _filter_membership(queryset, filters.membership)
    if filters.stream:
        queryset = queryset.filter(membership_stream=filters.stream)
    if filters.engagement == EngagementStatus.NOT_APPROACHED:
        queryset = queryset.filter(
            Q(engagement_status=filters.engagement) | Q(engagement_status__isnull=True)
        )
    elif filters.engagement:
        queryset = queryset.filter(engagement_status=filters.engagement)
    if filters.offender_manager:
        queryset = queryset.filter(offender_managers=filters.offender_manager)
    for column in listing.columns(user):
        queryset = column.annotate(queryset)
        value = filters.extra.get(column.key)
        if column.apply_filter and value not in (None, ""):
            queryset = column.apply_filter(queryset, value)
    sorts = {**SORTS, **listing.extra_sorts(user)}
    if filters.lead_agency:
        queryset = queryset.filter(lead_agency_id=filters.lead_agency)
    if filters.area:
        queryset = queryset.filter(neighbourhood__area=filters.area)
    if filters.neighbourhood:
        queryset = queryset.filter(neighbourhood_id=filters.neighbourhood)
    return (
        queryset.select_related("lead_agency", "neighbourhood")
        .prefetch_related("offender_managers")
        .order_by(*sorts.get(filters.sort, SORTS[DEFAULT_SORT]))
    )


def nominal_for(user, pk: int, action: str = "view", *, section: str | None = None) -> Nominal:
    """One nominal the user may see, with what its page header needs; 404 otherwise.

    A nominal the user may not see is reported as not found, not forbidden, so that the
    response does not even confirm that the person is on the system. A ``section`` of the
    record the user's sharing agreements do not cover is forbidden, saying so.
    """
    queryset = visible_nominals(user, action).select_related("lead_agency", "neighbourhood")
    nominal = get_object_or_404(queryset, pk=pk)
    if section is not None:
        require_section(user, section)
    return nominal


def require_section(user, section: str) -> None:
    if not sharing.covers(user, section):
        raise PermissionDenied(
            "Your agency's information-sharing agreement does not cover the "
            f"{sharing.SECTION_NAMES[section]} of a person's record."
        )


def nominal_summary(user, pk: int) -> Nominal:
    return get_object_or_404(
        visible_nominals(user)
        .select_related("lead_agency", "neighbourhood")
        .prefetch_related(
            "aliases",
            "offender_managers__agency",
            Prefetch(
                "memberships",
                queryset=CohortMembership.objects.select_related("lead_agency").order_by(
                    "-entered_on", "-id"
                ),
            ),
            Prefetch(
                "engagements",
                queryset=Engagement.objects.select_related("recorded_by").order_by("-on", "-id"),
            ),
        ),
        pk=pk,
    )


def sharing_of(nominal: Nominal):
    return groups_with_access(nominal)


def shares_of(nominal: Nominal):
    """Every share of the record, the current ones first, with who made and ended each."""
    return (
        RecordShare.objects.filter(nominal=nominal)
        .select_related("team__agency", "shared_by", "ended_by")
        .order_by(F("ended_at").desc(nulls_first=True), "team__agency__name", "team__name")
    )


def person_names(pks: set[int]) -> dict[int, str]:
    """The names of these people, for the audit trail; an erased person is simply absent."""
    return {
        pk: f"{first_names} {surname}"
        for pk, first_names, surname in Nominal.objects.filter(pk__in=pks).values_list(
            "pk", "first_names", "surname"
        )
    }
