"""The cohort list: searched, filtered, sorted and paged for the user, and its CSV export."""

import csv

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from iom import audit, sharing
from iom.exports import safe_row

from . import list_queries, listing
from .filtersets import CohortFilterSet


def _filters(request) -> tuple[CohortFilterSet, list_queries.CohortFilters]:
    filterset = CohortFilterSet.for_user(request.GET or None, request)
    return filterset, filterset.cohort_filters()


def _selected_filters(request, form: forms.Form) -> list[dict]:
    """The filters in force, each as a tag that removes it (MoJ filter component): the
    field's label, the value chosen, and the list's address without that filter."""
    if not form.is_bound or not form.is_valid():
        return []
    selected = []
    for name, field in form.fields.items():
        value = request.GET.get(name, "")
        if name == "sort" or not value:
            continue
        cleaned = form.cleaned_data.get(name)
        if cleaned in (None, "", [], False):
            continue
        if isinstance(field, forms.ModelChoiceField):
            shown = str(cleaned)
        elif isinstance(field, forms.ChoiceField):
            shown = str(dict(field.choices).get(value, value))
        else:
            shown = str(cleaned)
        remaining = request.GET.copy()
        remaining.pop(name, None)
        remaining.pop("page", None)
        selected.append({"label": field.label, "value": shown, "href": f"?{remaining.urlencode()}"})
    return selected


@login_required
def cohort_list(request):
    filterset, filters = _filters(request)
    form = filterset.form
    nominals = list_queries.CohortPage(request.user, filters)
    page = Paginator(nominals, settings.IOM_COHORT_PAGE_SIZE).get_page(request.GET.get("page"))
    # Names and identifiers on a list are a consultation of each person shown, written with
    # the search, if any, in one INSERT.
    audit.record_consultations(
        audit.actor_from_request(request),
        [nominal.pk for nominal in page],
        description="Listed on the cohort list",
        search=f"Searched the cohort for {filters.searched_for}" if filters.is_search else None,
    )
    return render(
        request,
        "cohorts/cohort_list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "agreement_warnings": sharing.agreement_warnings()
            if request.user.is_iom_manager
            else [],
            "sort": filters.sort,
            "columns": listing.columns(request.user),
            "selected_filters": _selected_filters(request, form),
            "column_filters": [form[key] for key in filterset.column_keys()],
        },
    )


class _Echo:
    def write(self, value):
        return value


@login_required
def cohort_export(request):
    """The filtered cohort list as CSV. Each person in it is logged as a disclosure."""
    _, filters = _filters(request)
    nominals = list(list_queries.cohort_list(request.user, filters))
    audit.record_disclosures(
        audit.actor_from_request(request),
        nominals,
        disclosure_format="csv",
        recipient=f"{request.user} ({request.user.agency or 'no agency'})",
        description="Exported in the cohort list (CSV)",
    )
    writer = csv.writer(_Echo())
    csv_columns = [column for column in listing.columns(request.user) if column.csv_value]
    header = [
        "Surname", "First names", "Date of birth", "PNC ID", "CRO number", "CRN",
        "Prison number", "Lead agency", "Area", "Neighbourhood policing area",
        "Offender managers",
        *[column.header for column in csv_columns],
    ]  # fmt: skip
    rows = (
        [
            n.surname,
            n.first_names,
            n.date_of_birth.isoformat(),
            n.pnc_id or "",
            n.cro_number or "",
            n.crn or "",
            n.prison_number or "",
            n.lead_agency.name if n.lead_agency else "",
            n.area,
            n.neighbourhood.name if n.neighbourhood else "",
            "; ".join(str(m) for m in n.offender_managers.all()),
            *[column.csv_value(n) for column in csv_columns],
        ]
        for n in nominals
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        (writer.writerow(safe_row(row)) for row in [header, *rows]), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="cohort-{stamp}.csv"'
    return response
