"""Exports never hand a spreadsheet a formula: text that would run is written as text."""

import csv
import io

import pytest
from django.urls import reverse

from iom.exports import safe_cell
from tests import factories


@pytest.mark.parametrize("value", ["=1+1", "+44 7700", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"])
def test_text_a_spreadsheet_would_run_is_prefixed_with_a_quote(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Smith", "", "O'Neill", "2009/0000001A", " =1"])
def test_ordinary_text_is_left_as_it_is(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [-3, -2.5, 0, 7, None])
def test_numbers_negative_ones_included_stay_numbers(value):
    assert safe_cell(value) == value


def test_the_cohort_export_writes_a_formula_surname_as_text(client, officer):
    nominal = factories.CohortMembershipFactory(
        nominal__surname='=HYPERLINK("http://example.com","x")', nominal__first_names="@Bad"
    ).nominal
    client.force_login(officer)
    response = client.get(reverse("cohorts:export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    row = next(row for row in rows[1:] if nominal.pnc_id in row)
    assert row[0] == "'" + nominal.surname
    assert row[1] == "'@Bad"
    assert not any(cell.startswith(("=", "+", "-", "@")) for line in rows for cell in line)
