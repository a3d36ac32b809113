"""The cohort list's OGRS3 column: each member's latest OGRS3 band and 2-year figure,
filterable by band and sortable by the 2-year percentage."""

from django import forms

from cohorts import listing
from iom import sharing

from ..cells import ogrs3_cell
from . import queries


def _band_field() -> forms.ChoiceField:
    return forms.ChoiceField(label="OGRS3 band", choices=queries.band_choices(), required=False)


def _csv(nominal) -> str:
    if nominal.ogrs3_band:
        figure = f"{queries.BAND_LABELS[nominal.ogrs3_band]} ({nominal.ogrs3_two_year}%)"
        return f"{figure}, check the inputs" if nominal.ogrs3_check else figure
    return "Cannot score" if nominal.ogrs3_unscored else ""


def register() -> None:
    listing.register(
        listing.CohortListColumn(
            key="ogrs3",
            section=sharing.RISK,
            header="OGRS3",
            cell=ogrs3_cell,
            annotate=queries.with_ogrs3,
            filter_field=_band_field,
            apply_filter=queries.filter_by_ogrs3_band,
            sorts={key: (*fields, "surname", "id") for key, fields in queries.SORTS.items()},
            sort_key="ogrs3",
            csv_value=_csv,
        )
    )
