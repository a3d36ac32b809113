"""Read paths for nominals, already filtered to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from iom.access import groups_with_access

from .identifiers import normalise_identifier
from .models import Alias, Nominal

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
}
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class CohortFilters:
    query: str = ""
    lead_agency: int | None = None
    area: str = ""
    neighbourhood: int | None = None
    sort: str = DEFAULT_SORT

    @property
    def is_search(self) -> bool:
        return bool(self.query)


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


def cohort_list(user, filters: CohortFilters) -> QuerySet[Nominal]:
    """The cohort list: visible nominals, searched, filtered and sorted, ready to page.

    Related rows are joined or prefetched so that a page costs the same number of queries
    whatever its length.
    """
    queryset = search_nominals(visible_nominals(user), filters.query)
    if filters.lead_agency:
        queryset = queryset.filter(lead_agency_id=filters.lead_agency)
    if filters.area:
        queryset = queryset.filter(neighbourhood__area=filters.area)
    if filters.neighbourhood:
        queryset = queryset.filter(neighbourhood_id=filters.neighbourhood)
    return (
        queryset.select_related("lead_agency", "neighbourhood")
        .prefetch_related("offender_managers")
        .order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))
    )


def nominal_for(user, pk: int, action: str = "view") -> Nominal:
    """One nominal the user may see, with what its page header needs; 404 otherwise.

    A nominal the user may not see is reported as not found, not forbidden, so that the
    response does not even confirm that the person is on the system.
    """
    queryset = visible_nominals(user, action).select_related("lead_agency", "neighbourhood")
    return get_object_or_404(queryset, pk=pk)


def nominal_summary(user, pk: int) -> Nominal:
    return get_object_or_404(
        visible_nominals(user)
        .select_related("lead_agency", "neighbourhood")
        .prefetch_related("aliases", "offender_managers__agency"),
        pk=pk,
    )


def sharing_of(nominal: Nominal):
    return groups_with_access(nominal)
