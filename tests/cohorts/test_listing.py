"""Columns other apps add to the cohort list: annotated, filtered, sorted, shown, exported."""

import pytest
from django import forms
from django.db.models import Value
from django.urls import reverse

from cohorts import listing
from tests import factories


@pytest.fixture
def flag_column():
    column = listing.CohortListColumn(
        key="flag",
        header="Test flag",
        cell=lambda nominal: f"flag-{nominal.test_flag}",
        annotate=lambda queryset: queryset.annotate(test_flag=Value("on")),
        filter_field=lambda: forms.ChoiceField(
            label="Flag", choices=[("", "Any"), ("off", "Off")], required=False
        ),
        apply_filter=lambda queryset, value: queryset.filter(test_flag=value),
        csv_value=lambda nominal: nominal.test_flag,
    )
    listing.register(column)
    yield column
    listing._COLUMNS.pop("flag")


def test_a_registered_column_is_shown_filtered_and_exported(client, officer, flag_column):
    nominal = factories.members(1)[0]
    client.force_login(officer)
    body = client.get(reverse("cohorts:list")).content.decode()
    assert "Test flag" in body
    assert "flag-on" in body
    filtered = client.get(reverse("cohorts:list"), {"flag": "off"}).content.decode()
    assert nominal.surname not in filtered
    export = b"".join(client.get(reverse("cohorts:export")).streaming_content).decode()
    assert "Test flag" in export.splitlines()[0]
    assert export.splitlines()[1].endswith("on")
