"""The "Controls" column of the cohort list: a tag for a recall in progress, and its filter."""

from django import forms

from cohorts import listing
from iom import components, sharing

from .queries import recall_in_progress_column

RECALL_IN_PROGRESS = "recall"
RECALL_TAG = components.tag("Recall in progress", "red")


def _filter_field() -> forms.Field:
    return forms.ChoiceField(
        label="Controls",
        choices=[("", "Any"), (RECALL_IN_PROGRESS, "Recall in progress")],
        required=False,
    )


def _apply_filter(queryset, value):
    if value == RECALL_IN_PROGRESS:
        return queryset.filter(controls_recall_in_progress=True)
    return queryset


def register_columns() -> None:
    listing.register(
        listing.CohortListColumn(
            key="controls",
            section=sharing.CONTROLS,
            header="Controls",
            cell=lambda nominal: RECALL_TAG if nominal.controls_recall_in_progress else "",
            annotate=recall_in_progress_column,
            filter_field=_filter_field,
            apply_filter=_apply_filter,
            csv_value=lambda nominal: (
                "Recall in progress" if nominal.controls_recall_in_progress else ""
            ),
        )
    )
