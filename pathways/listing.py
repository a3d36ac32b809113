"""The "Reviews" column of the cohort list: an "Overdue" tag, and a filter for overdue reviews
only. One correlated EXISTS subquery, whatever the length of the list."""

from django import forms
from django.utils import timezone

from cohorts import listing
from iom import components, sharing

from .queries import overdue_review_exists

OVERDUE_ONLY = "overdue"
OVERDUE_TAG = components.tag("Overdue", "red")


def _annotate(queryset):
    return queryset.annotate(has_overdue_review=overdue_review_exists(timezone.localdate()))


def _filter_field() -> forms.Field:
    return forms.ChoiceField(
        label="Reviews",
        choices=[("", "Any"), (OVERDUE_ONLY, "Overdue reviews only")],
        required=False,
    )


def _apply_filter(queryset, value):
    return queryset.filter(has_overdue_review=True) if value == OVERDUE_ONLY else queryset


def register_columns() -> None:
    listing.register(
        listing.CohortListColumn(
            key="reviews",
            section=sharing.PATHWAYS,
            header="Reviews",
            cell=lambda nominal: OVERDUE_TAG if nominal.has_overdue_review else "",
            shown_from="tablet",
            annotate=_annotate,
            filter_field=_filter_field,
            apply_filter=_apply_filter,
            csv_value=lambda nominal: "Overdue" if nominal.has_overdue_review else "",
        )
    )
