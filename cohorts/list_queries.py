"""The cohort list's read path: its filters, the search by name or identifier, each
person's membership and engagement, and the count and pages of the list, for the page, its
CSV and the people API. Already filtered to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from . import listing
from .identifiers import normalise_identifier
from .models import Alias, CohortMembership, Engagement, EngagementStatus, MembershipStatus, Nominal
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
    # Exactly this PNC ID or CRN (the API's look-ups).
    pnc_id: str = ""
    crn: str = ""
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
        return bool(self.query or self.pnc_id or self.crn)

    @property
    def searched_for(self) -> str:
        """What was looked up, for the audit trail."""
        terms = [repr(self.query)] if self.query else []
        if self.pnc_id:
            terms.append(f"PNC ID {self.pnc_id!r}")
        if self.crn:
            terms.append(f"CRN {self.crn!r}")
        return ", ".join(terms)

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.is_search
            or self.lead_agency
            or self.area
            or self.neighbourhood
            or self.stream
            or self.engagement
            or self.offender_manager
            or self.membership != CURRENT_MEMBERS
            or any(value not in (None, "") for value in self.extra.values())
        )


# People annotated for the cohort list (membership, engagement, the columns of the apps
# above): the type checker cannot see annotations, so their filters are not checked.
Listed = QuerySet[Any]


def _like(word: str) -> str:
    """``word`` as a LIKE pattern matching it anywhere (its own % and _ taken literally)."""
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# On PostgreSQL each word's people are found through the trigram indexes on the names and the
# aliases' names (cohorts migration 0010): one UNION per word, INTERSECTed, UNIONed with the
# people whose identifier it is. Every branch is an index scan, so a search costs the same
# with 1,000 or 100,000 people on the system. One column a branch: with both names in one
# OR, PostgreSQL estimates the two index scans at about the cost of reading the table, and
# reads the table (about 100 ms at 100,000 people, against 8 ms for each index).
_NAME_IDS = """(SELECT id FROM cohorts_nominal WHERE surname ILIKE %s
    UNION SELECT id FROM cohorts_nominal WHERE first_names ILIKE %s
    UNION SELECT nominal_id FROM cohorts_alias WHERE surname ILIKE %s
    UNION SELECT nominal_id FROM cohorts_alias WHERE first_names ILIKE %s)"""
_IDENTIFIER_IDS = """SELECT id FROM cohorts_nominal
    WHERE pnc_id = %s OR cro_number = %s OR crn = %s OR prison_number = %s"""


# Up to this many people found by a search are passed to the list as ids.
_FEW = 2000


def _search_ids_sql(identifier: str | None, words: list[str]) -> tuple[str, list]:
    sql, params = _IDENTIFIER_IDS, [identifier] * 4
    if words:
        sql += " UNION (" + " INTERSECT ".join([_NAME_IDS] * len(words)) + ")"
        for word in words:
            params += [_like(word)] * 4
    return sql, params


def search_nominals(queryset: QuerySet[Nominal], text: str) -> QuerySet[Nominal]:
    """Match a name (also an alias) by any part, or any identifier. Every word of a name must
    match."""
    text = text.strip()
    if not text:
        return queryset
    identifier = normalise_identifier(text)
    words = text.replace(",", " ").split()
    if connection.vendor == "postgresql":
        sql, params = _search_ids_sql(identifier, words)
        # The matches are found once: a page and its count would otherwise each repeat the
        # search. A search that matches very many people stays a subquery.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM ({sql}) AS matches LIMIT %s", [*params, _FEW + 1])
            ids = [row[0] for row in cursor.fetchall()]
        if len(ids) <= _FEW:
            # One array, not a placeholder for each of up to 2,000 ids in every statement.
            return queryset.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (ids,)))
        return queryset.filter(pk__in=RawSQL(sql, params))
    by_identifier = (
        Q(pnc_id=identifier)
        | Q(cro_number=identifier)
        | Q(crn=identifier)
        | Q(prison_number=identifier)
    )
    by_name: Any = Q()  # Q & Exists is a Q, which the stubs call Combinable
    for word in words:
        alias_match = Alias.objects.filter(nominal=OuterRef("pk")).filter(
            Q(surname__icontains=word) | Q(first_names__icontains=word)
        )
        by_name &= Q(surname__icontains=word) | Q(first_names__icontains=word) | Exists(alias_match)
    return queryset.filter(by_identifier | by_name)


def with_open_membership(queryset: QuerySet[Nominal]) -> Listed:
    """Annotate each person's open membership (``open_membership_id``, ``open_status``,
    ``open_stream``: None for someone with none).

    A person has at most one open membership (a partial unique index): it is joined, so the
    list of current members is an indexed join, not a subquery per person.
    """
    if "open_membership_id" in queryset.query.annotations:
        return queryset
    return queryset.annotate(
        open_membership=FilteredRelation(
            "memberships", condition=~Q(memberships__status=MembershipStatus.EXITED)
        ),
    ).annotate(
        # The open membership's columns, named: a filter on them reads the join above. A
        # filter through ``open_membership__`` would join the memberships a second time (each
        # filter on a relation to many gets its own join), and that second join tripled the
        # time PostgreSQL took to plan the list.
        open_membership_id=F("open_membership__id"),
        open_status=F("open_membership__status"),
        open_stream=F("open_membership__stream"),
    )


def with_cohort_status(queryset: QuerySet[Nominal]) -> Listed:
    """Annotate each person's open membership (``with_open_membership``), their current or
    latest membership (status, stream, entry) and latest engagement.

    Only someone with no open membership (an exited or never member, in a search) has their
    latest membership looked up, for the rows shown.
    """
    latest_membership = CohortMembership.objects.filter(nominal=OuterRef("pk")).order_by(
        "-entered_on", "-id"
    )
    latest_engagement = Engagement.objects.filter(nominal=OuterRef("pk")).order_by("-on", "-id")
    return with_open_membership(queryset).annotate(
        membership_status=Coalesce(
            F("open_membership__status"), Subquery(latest_membership.values("status")[:1])
        ),
        membership_stream=Coalesce(
            F("open_membership__stream"), Subquery(latest_membership.values("stream")[:1])
        ),
        membership_entered_on=Coalesce(
            F("open_membership__entered_on"),
            Subquery(latest_membership.values("entered_on")[:1]),
        ),
        engagement_status=Subquery(latest_engagement.values("status")[:1]),
    )


def _filter_membership(queryset: Listed, membership: str) -> Listed:
    any_membership = Exists(CohortMembership.objects.filter(nominal=OuterRef("pk")))
    if membership == CURRENT_MEMBERS:
        return queryset.filter(open_membership_id__isnull=False)
    if membership == NEVER_MEMBERS:
        return queryset.filter(~any_membership)
    if membership == ANYONE or not membership:
        return queryset
    if membership == MembershipStatus.EXITED:
        return queryset.filter(any_membership, open_membership_id__isnull=True)
    return queryset.filter(open_status=membership)


def _filter_stream(queryset: Listed, filters: CohortFilters) -> Listed:
    """A stream of the current membership when only current members are listed (the join);
    of the latest membership otherwise."""
    if filters.membership in (*OPEN_STATUSES, CURRENT_MEMBERS):
        return queryset.filter(open_stream=filters.stream)
    return queryset.filter(membership_stream=filters.stream)


def _needs_cohort_status(filters: CohortFilters) -> bool:
    return filters.membership not in (ANYONE, "") or bool(filters.stream or filters.engagement)


def _needs_latest_status(filters: CohortFilters) -> bool:
    """Whether the filters read the latest membership or engagement, not only the open
    membership (``_filter_membership``, ``_filter_stream``)."""
    open_only = filters.membership in (*OPEN_STATUSES, CURRENT_MEMBERS)
    return bool(filters.engagement or (filters.stream and not open_only))


def _filtered(user, filters: CohortFilters, searched: QuerySet[Nominal], *, lean: bool) -> Listed:
    """The people ``filters`` ask for, of those ``searched`` (already searched for
    ``filters.query``): annotated for the list, or (``lean``) with only what the filters in
    force read."""
    queryset: Listed = searched
    if not lean or _needs_latest_status(filters):
        queryset = with_cohort_status(queryset)
    elif _needs_cohort_status(filters):
        # Building the latest membership's and engagement's subqueries, only to leave them
        # out of the count, cost the list more than the count itself.
        queryset = with_open_membership(queryset)
    if not lean or _needs_cohort_status(filters):
        queryset = _filter_membership(queryset, filters.membership)
    if filters.pnc_id:
        queryset = queryset.filter(pnc_id=filters.pnc_id)
    if filters.crn:
        queryset = queryset.filter(crn=filters.crn)
    if filters.stream:
        queryset = _filter_stream(queryset, filters)
    if filters.engagement == EngagementStatus.NOT_APPROACHED:
        queryset = queryset.filter(
            Q(engagement_status=filters.engagement) | Q(engagement_status__isnull=True)
        )
    elif filters.engagement:
        queryset = queryset.filter(engagement_status=filters.engagement)
    if filters.offender_manager:
        queryset = queryset.filter(offender_managers=filters.offender_manager)
    for column in listing.columns(user):
        value = filters.extra.get(column.key)
        apply_filter = column.apply_filter if value not in (None, "") else None
        if apply_filter is not None or not lean:
            queryset = column.annotate(queryset)
        if apply_filter is not None:
            queryset = apply_filter(queryset, value)
    if filters.lead_agency:
        queryset = queryset.filter(lead_agency_id=filters.lead_agency)
    if filters.area:
        queryset = queryset.filter(neighbourhood__area=filters.area)
    if filters.neighbourhood:
        queryset = queryset.filter(neighbourhood_id=filters.neighbourhood)
    return queryset


def _visible(user, base: QuerySet[Nominal] | None) -> QuerySet[Nominal]:
    return base if base is not None else Nominal.objects.visible_to(user, "view")


def _sort_keys(user, sort: str) -> tuple[str, ...]:
    return {**SORTS, **listing.extra_sorts(user)}.get(sort, SORTS[DEFAULT_SORT])


def _annotated(
    user, filters: CohortFilters, searched: QuerySet[Nominal], *, managers: bool = True
) -> Listed:
    """Every column, sorted; ``managers``: with the offender managers prefetched."""
    queryset = _filtered(user, filters, searched, lean=False).select_related(
        "lead_agency", "neighbourhood"
    )
    if managers:
        queryset = queryset.prefetch_related("offender_managers")
    return queryset.order_by(*_sort_keys(user, filters.sort))


def cohort_list(user, filters: CohortFilters, base: QuerySet[Nominal] | None = None) -> Listed:
    """The cohort list: visible nominals (or those of ``base``, already restricted to them),
    searched, filtered and sorted, every column annotated (the CSV export). A page of it is
    read with ``CohortPage``.

    Related rows are joined or prefetched so that a page costs the same number of queries
    whatever its length.
    """
    return _annotated(user, filters, search_nominals(_visible(user, base), filters.query))


def _for_sort(user, queryset: Listed, sort: str) -> Listed:
    """``queryset`` with what the sort's keys read: the membership's entry date, or the
    columns that give the sort."""
    if (
        sort in ("entered", "-entered")
        and "membership_entered_on" not in queryset.query.annotations
    ):
        queryset = with_cohort_status(queryset)
    for column in listing.columns(user):
        if sort in column.sorts:
            queryset = column.annotate(queryset)
    return queryset


class CohortPage:
    """The cohort list for a ``Paginator``, read at the cost of one page (page and API).

    The search is run once. The count, and which people are on a page, are read with only the
    joins and subqueries that the filters in force and the sort read; the columns are then
    read for the people of the page alone. Reading every column of every person before
    sorting and skipping to a page cost about 30 ms of the list sorted by risk, and counting
    everyone through the columns' joins 31 ms of the people API's 60, at 100,000 people.
    """

    ordered = True

    def __init__(
        self,
        user,
        filters: CohortFilters,
        base: QuerySet[Nominal] | None = None,
        *,
        rows: QuerySet[Nominal] | None = None,
    ):
        self.user, self.filters = user, filters
        self._searched = search_nominals(_visible(user, base), filters.query)
        # What the rows of a page are read from (the API adds what its serializer reads).
        self._rows = rows if rows is not None else Nominal.objects.all()
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            lean = _filtered(self.user, self.filters, self._searched, lean=True)
            self._count = lean.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Nominal]:
        lean = _filtered(self.user, self.filters, self._searched, lean=True)
        keys = _sort_keys(self.user, self.filters.sort)
        ids = _for_sort(self.user, lean, self.filters.sort).order_by(*keys).values("pk")[window]
        shown = CohortFilters(membership=ANYONE, sort=self.filters.sort)
        rows = list(_annotated(self.user, shown, self._rows.filter(pk__in=ids), managers=False))
        with_manager_names(rows)
        return rows


def with_manager_names(nominals: list[Nominal]) -> list[Nominal]:
    """Set ``manager_names`` on each person: their offender managers as ``str(user)`` shows
    them, by surname. One query of four columns; prefetching the users as models cost 6 ms
    of a page of fifty people, most of it the prefetch's own machinery."""
    names: dict[int, list[str]] = {nominal.pk: [] for nominal in nominals}
    if names:
        rows = Nominal.offender_managers.through.objects.filter(nominal_id__in=list(names))
        for nominal_id, first, last, username in rows.order_by(
            "user__last_name", "user__first_name", "user_id"
        ).values_list("nominal_id", "user__first_name", "user__last_name", "user__username"):
            names[nominal_id].append(f"{first} {last}".strip() or username)
    for nominal in nominals:
        nominal.manager_names = names[nominal.pk]
    return nominals
