"""Overdue, due this week and later, around month and year ends, with ``today`` passed in."""

import datetime

import pytest

from pathways import dates, queries
from tests.pathways import factories as pf

D = datetime.date


@pytest.mark.parametrize(
    ("due", "today", "expected"),
    [
        # Wednesday 30 December 2026: the week runs to Sunday 3 January 2027.
        (D(2026, 12, 29), D(2026, 12, 30), dates.OVERDUE),
        (D(2026, 12, 30), D(2026, 12, 30), dates.THIS_WEEK),
        (D(2027, 1, 3), D(2026, 12, 30), dates.THIS_WEEK),
        (D(2027, 1, 4), D(2026, 12, 30), dates.LATER),
        # Thursday 1 January 2026: the day before is overdue, across the year end.
        (D(2025, 12, 31), D(2026, 1, 1), dates.OVERDUE),
        (D(2026, 1, 4), D(2026, 1, 1), dates.THIS_WEEK),
        # Friday 27 February 2026 to Sunday 1 March (not a leap year).
        (D(2026, 3, 1), D(2026, 2, 27), dates.THIS_WEEK),
        (D(2026, 3, 2), D(2026, 2, 27), dates.LATER),
        # Leap year: Thursday 29 February 2024, the week ends Sunday 3 March.
        (D(2024, 2, 28), D(2024, 2, 29), dates.OVERDUE),
        (D(2024, 3, 3), D(2024, 2, 29), dates.THIS_WEEK),
        # Saturday 31 October 2026: only the weekend is left of this week.
        (D(2026, 11, 1), D(2026, 10, 31), dates.THIS_WEEK),
        (D(2026, 11, 2), D(2026, 10, 31), dates.LATER),
        # A Sunday is the last day of its week.
        (D(2026, 11, 30), D(2026, 11, 29), dates.LATER),
        # A Monday starts a new week.
        (D(2026, 12, 6), D(2026, 11, 30), dates.THIS_WEEK),
    ],
)
def test_bucket_of_a_due_date(due, today, expected):
    assert dates.bucket(due, today) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "review", "expected"),
    [
        (D(2026, 12, 30), D(2026, 12, 29), dates.OVERDUE),
        (D(2026, 12, 30), D(2027, 1, 3), dates.THIS_WEEK),
        (D(2026, 12, 30), D(2027, 1, 4), dates.LATER),
        (D(2026, 1, 31), D(2026, 1, 30), dates.OVERDUE),
        (D(2026, 1, 31), D(2026, 2, 1), dates.THIS_WEEK),
        (D(2026, 1, 31), D(2026, 2, 2), dates.LATER),
    ],
)
def test_the_database_puts_reviews_in_the_same_groups(drug_worker, drugs, today, review, expected):
    nominal = pf.member_shared_with(drugs)
    pathway = pf.pathway_of(nominal, "drugs-alcohol")
    pathway.contact_agency, pathway.review_date = drugs, review
    pathway.save()
    groups = {group.key: group for group in queries.my_work(drug_worker, today)}
    assert [p.pk for p in groups[expected].reviews] == [pathway.pk]
    assert dates.bucket(review, today) == expected


@pytest.mark.django_db
def test_an_action_due_at_the_year_end_is_overdue_on_new_years_day(drug_worker, drugs):
    nominal = pf.member_shared_with(drugs)
    action = pf.action_on(
        nominal, "drugs-alcohol", drugs, assigned_to=drug_worker, due_on=D(2026, 12, 31)
    )
    groups = {group.key: group for group in queries.my_work(drug_worker, D(2027, 1, 1))}
    assert groups[dates.OVERDUE].actions == [action]
