"""The cohort list's Release column: a countdown for each person due out of custody within
28 days, and a filter for them."""

import datetime

from django import forms
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from cohorts import listing
from iom import sharing

from .cells import release_cell
from .custody import DUE_OUT_DAYS, countdown
from .models import CustodyPeriod

DUE_OUT = "due-out"


def with_release_due(queryset):
    """``custody_due_out_on``: the expected release of the open custody period, when it falls
    within the next 28 days (one subquery)."""
    today = timezone.localdate()
    due = CustodyPeriod.objects.filter(
        nominal=OuterRef("pk"),
        ended_on__isnull=True,
        expected_release_on__gte=today,
        expected_release_on__lte=today + datetime.timedelta(days=DUE_OUT_DAYS),
    ).order_by("expected_release_on")
    return queryset.annotate(custody_due_out_on=Subquery(due.values("expected_release_on")[:1]))


def _filter_field() -> forms.Field:
    return forms.ChoiceField(
        label="Release",
        choices=[("", "Any"), (DUE_OUT, f"Due out within {DUE_OUT_DAYS} days")],
        required=False,
    )


def _apply_filter(queryset, value):
    if value == DUE_OUT:
        return queryset.filter(custody_due_out_on__isnull=False)
    return queryset


def _csv(nominal) -> str:
    day = nominal.custody_due_out_on
    return countdown((day - timezone.localdate()).days) if day else ""


def register() -> None:
    listing.register(
        listing.CohortListColumn(
            key="release",
            section=sharing.OFFENDING,
            header="Release",
            cell=release_cell,
            annotate=with_release_due,
            filter_field=_filter_field,
            apply_filter=_apply_filter,
            csv_value=_csv,
        )
    )
