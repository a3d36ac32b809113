"""The cohort list's filters: one definition for the page and the people API.

The page (``cohorts:list`` and its CSV export) draws the form of ``CohortFilterSet``; the API
(``/api/nominals/``) reads the same parameters through ``NominalFilterSet``. Both turn what was
asked into one ``list_queries.CohortFilters`` and list it with ``list_queries.CohortPage``, so
a query string gives the same people in both.

The filters of the columns other apps register (``cohorts.listing``) are part of the set, but a
user whose sharing agreements do not cover a column's part of the record has neither its filter
nor its sorts: the parameter is ignored, as if it were not there.
"""

from __future__ import annotations

from typing import cast

from django import forms
from django_filters import CharFilter, ChoiceFilter, Filter, FilterSet, ModelChoiceFilter

from iom.forms import GovukForm
from iom.models import LEAD_AGENCY_KINDS, Agency, User

from . import list_queries, listing
from .list_queries import ANYONE, CURRENT_MEMBERS, NEVER_MEMBERS, SORTS
from .models import (
    AreaKind,
    CohortStream,
    EngagementStatus,
    MembershipStatus,
    NeighbourhoodPolicingArea,
    Nominal,
)

MEMBERSHIP_CHOICES = [
    (CURRENT_MEMBERS, "Current members"),
    (MembershipStatus.ACTIVE, "Active"),
    (MembershipStatus.IN_CUSTODY, "In custody"),
    (MembershipStatus.DEVOLVED, "Devolved to a neighbourhood team"),
    (MembershipStatus.EXITED, "Left the cohort"),
    (NEVER_MEMBERS, "Never on the cohort"),
    (ANYONE, "Everyone"),
]

# The parameters that look people up: using one is a search (audited), and finds the person
# whether or not they are on the cohort now.
SEARCH_PARAMETERS = ("q", "pnc_id", "crn")


def _sort_filter(keys) -> ChoiceFilter:
    return ChoiceFilter(
        label="Sort order",
        field_name="sort",
        choices=[(key, key) for key in keys],
        empty_label=None,
        help_text="A column, or a minus sign and the column for the reverse order",
    )


class ColumnFilter(ChoiceFilter):
    """A registered column's filter: the column's own form field, applied by the column."""

    def __init__(self, column: listing.CohortListColumn):
        assert column.filter_field is not None
        self.make_field = column.filter_field
        field = column.filter_field()
        super().__init__(
            label=field.label,
            choices=list(getattr(field, "choices", [])),
            help_text=field.help_text,
        )

    @property
    def field(self) -> forms.Field:
        if not hasattr(self, "_column_field"):
            self._column_field = self.make_field()
        return self._column_field


# The cohort FilterSet classes made by ``for_columns``, by class and registered columns.
_FOR_COLUMNS: dict[tuple, tuple[tuple, type]] = {}


class CohortFilterSet(FilterSet):
    """The filters of the cohort page. Build one with ``for_user``."""

    q = CharFilter(
        label="Name or identifier",
        max_length=100,
        help_text="A name, alias, PNC ID, CRO number, CRN or prison number",
    )
    pnc_id = CharFilter(label="PNC ID", help_text="Exactly this PNC ID")
    crn = CharFilter(label="CRN", help_text="Exactly this CRN")
    membership = ChoiceFilter(
        label="On the cohort",
        choices=MEMBERSHIP_CHOICES,
        empty_label=None,
        error_messages={"invalid_choice": "Select who is on the cohort from the list"},
    )
    stream = ChoiceFilter(
        label="Stream", choices=[("", "Any stream"), *CohortStream.choices], empty_label=None
    )
    engagement = ChoiceFilter(
        label="Engagement",
        choices=[("", "Any engagement"), *EngagementStatus.choices],
        empty_label=None,
    )
    # Only people who manage someone: a list of every user would be long and useless.
    offender_manager = ModelChoiceFilter(
        field_name="offender_managers",
        label="Offender manager",
        queryset=User.objects.filter(managed_nominals__isnull=False)
        .distinct()
        .order_by("last_name", "first_name"),
        empty_label="Anyone",
    )
    lead_agency = ModelChoiceFilter(
        label="Lead agency",
        queryset=Agency.objects.filter(kind__in=LEAD_AGENCY_KINDS),
        empty_label="Any lead agency",
    )
    area = ChoiceFilter(
        label="Area", choices=[("", "City and County"), *AreaKind.choices], empty_label=None
    )
    neighbourhood = ModelChoiceFilter(
        label="Neighbourhood policing area",
        queryset=NeighbourhoodPolicingArea.objects.all(),
        empty_label="Any neighbourhood",
    )
    sort = _sort_filter(SORTS)

    # Who is listed when no membership is chosen and nobody is looked up: the page opens on
    # the cohort as it is now.
    browsing_membership = CURRENT_MEMBERS

    class Meta:
        model = Nominal
        fields: list[str] = []
        form = GovukForm

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = request.user
        covered = {column.key for column in listing.columns(user)}
        for name, filter_ in list(self.filters.items()):
            if isinstance(filter_, ColumnFilter) and name not in covered:
                del self.filters[name]
        self.filters["sort"] = _sort_filter([*SORTS, *listing.extra_sorts(user)])
        self.filters["sort"].model = Nominal
        self.filters["sort"].parent = self

    @classmethod
    def for_columns(cls) -> type[CohortFilterSet]:
        """This set with a filter for every column registered now (a user's instance keeps
        those their agreements cover) and every sort. Made once for a set of columns: making
        a FilterSet class reads the model's fields, a cost no request should pay."""
        columns = listing.registered()
        key = (cls, tuple(id(column) for column in columns))
        if key not in _FOR_COLUMNS:
            # The columns are kept with the class, so that their ids are not reused.
            _FOR_COLUMNS[key] = (tuple(columns), cls._with_filters_of(columns))
        return _FOR_COLUMNS[key][1]

    @classmethod
    def _with_filters_of(cls, columns) -> type[CohortFilterSet]:
        attrs: dict[str, Filter] = {
            column.key: ColumnFilter(column) for column in columns if column.filter_field
        }
        sorts = [*SORTS, *(key for column in columns for key in column.sorts)]
        attrs["sort"] = _sort_filter(sorts)
        return cast(type[CohortFilterSet], type(cls.__name__, (cls,), attrs))

    @classmethod
    def for_user(cls, data, request) -> CohortFilterSet:
        return cls.for_columns()(data, request=request)

    def column_keys(self) -> list[str]:
        return [name for name, filter_ in self.filters.items() if isinstance(filter_, ColumnFilter)]

    def cohort_filters(self) -> list_queries.CohortFilters:
        """What was asked, as the cohort list's query takes it; the default list if the
        parameters are not valid."""
        if not self.is_valid():
            return list_queries.CohortFilters(membership=self.browsing_membership)
        data = self.form.cleaned_data
        searching = any(data.get(name) for name in SEARCH_PARAMETERS)
        return list_queries.CohortFilters(
            query=data["q"] or "",
            pnc_id=data["pnc_id"] or "",
            crn=data["crn"] or "",
            lead_agency=data["lead_agency"].pk if data["lead_agency"] else None,
            area=data["area"] or "",
            neighbourhood=data["neighbourhood"].pk if data["neighbourhood"] else None,
            stream=data["stream"] or "",
            membership=data["membership"] or (ANYONE if searching else self.browsing_membership),
            engagement=data["engagement"] or "",
            offender_manager=data["offender_manager"].pk if data["offender_manager"] else None,
            sort=data["sort"] or list_queries.DEFAULT_SORT,
            extra={key: data.get(key) for key in self.column_keys()},
        )

    def filter_queryset(self, queryset):
        return list_queries.cohort_list(self.request.user, self.cohort_filters(), queryset)


class NominalFilterSet(CohortFilterSet):
    """The people API's filters: the page's, except that with no membership chosen it lists
    everyone the user may see, as it always has."""

    browsing_membership = ANYONE
