"""The cohort list's Risk column: the band officers work to, filterable and sortable by rank."""

from django import forms

from cohorts import listing
from iom import sharing

from . import cells, queries
from .models import Band


def _band_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Risk band",
        choices=[("", "Any band"), *Band.choices, ("none", "Not ranked")],
        required=False,
    )


def register() -> None:
    listing.register(
        listing.CohortListColumn(
            key="risk",
            section=sharing.RISK,
            header="Risk",
            cell=cells.risk_cell,
            shown_from="phone",
            annotate=queries.with_risk,
            filter_field=_band_field,
            apply_filter=queries.filter_by_band,
            sorts={
                "rank": ("risk_rank_missing", "risk_rank", "risk_band_order", "surname", "id"),
                "-rank": ("risk_rank_missing", "-risk_rank", "-risk_band_order", "surname", "id"),
            },
            sort_key="rank",
            csv_value=lambda nominal: (
                f"{nominal.risk_effective_band or ''}"
                f"{' (overridden)' if nominal.risk_override_band else ''}"
            ),
        )
    )
