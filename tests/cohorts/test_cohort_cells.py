"""The cohort list's rows are written in Python (cohorts.cells): every value in them is
escaped, as a template would, and what they draw is what the person's pages draw."""

from django.template import Context, Template
from django.urls import reverse
from django.utils.safestring import mark_safe

from cohorts import cells, listing
from iom import components
from tests import factories


def test_names_and_agencies_are_escaped_in_the_rows(client, officer):
    nominal = factories.members(1)[0]
    nominal.surname = "O'Neil<script>alert(1)</script>"
    nominal.first_names = 'Jo "JJ" & co'
    nominal.save()
    client.force_login(officer)
    body = client.get(reverse("cohorts:list")).content.decode()
    assert "<script>alert(1)" not in body
    assert "O&#x27;Neil&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "Jo &quot;JJ&quot; &amp; co" in body
    assert f'href="{reverse("cohorts:nominal", args=[nominal.pk])}"' in body


def test_a_column_cell_that_returns_text_is_escaped_and_safe_html_is_kept():
    column = listing.CohortListColumn(
        key="probe", header="Probe", cell=lambda row: row, annotate=lambda queryset: queryset
    )
    assert cells._column_cell(column, "<b>") == (
        '<td class="govuk-table__cell app-table__cell--wide-only" role="cell">&lt;b&gt;</td>'
    )
    assert "<b>" in cells._column_cell(column, mark_safe("<b>"))


def test_a_column_says_the_smallest_screen_it_is_shown_on():
    phone = listing.CohortListColumn(
        key="probe", header="Probe", cell=str, annotate=lambda q: q, shown_from="phone"
    )
    assert phone.cell_classes == ""
    # On a phone the rows are stacked: the cell carries its header as a label.
    assert 'aria-hidden="true">Probe</span>' in cells._column_cell(phone, "x")
    try:
        listing.CohortListColumn(
            key="probe", header="Probe", cell=str, annotate=lambda q: q, shown_from="watch"
        )
    except ValueError as error:
        assert "shown_from" in str(error)
    else:
        raise AssertionError("an unknown screen was accepted")


def test_the_template_filters_draw_the_same_tags_as_the_rows():
    drawn = Template(
        "{% load cohort_tags risk_tags %}{{ 'custody'|membership_tag }}"
        "{{ 'declined'|engagement_tag }}{{ 'amber'|band_tag }}{{ None|ogrs3_band_tag }}"
    ).render(Context())
    assert drawn == (
        '<strong class="govuk-tag govuk-tag--purple">In custody</strong>'
        '<strong class="govuk-tag govuk-tag--red">Declined</strong>'
        '<strong class="govuk-tag govuk-tag--orange">Amber</strong>'
        '<strong class="govuk-tag govuk-tag--grey">Not scored</strong>'
    )
    assert cells.membership_tag("custody") == components.tag("In custody", "purple")
