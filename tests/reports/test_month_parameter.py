"""``?month=`` on the dashboard and its API: a month that is not one of those offered is a
field error (page) or a 400 (API), never last month's figures shown instead."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from iom.models import AuditAction, AuditEvent
from reports.measures.periods import add_months, last_month

LAST_MONTH = last_month(timezone.localdate())
BAD_MONTHS = [
    f"{LAST_MONTH.start.year}-13",
    f"{LAST_MONTH.start.year}-00",
    f"{timezone.localdate():%Y-%m}",  # this month: not complete yet
    f"{add_months(LAST_MONTH.start, -24):%Y-%m}",  # older than the 24 offered
    "abc",
    "2026-1-1",
]


@pytest.mark.parametrize("month", BAD_MONTHS)
def test_the_api_answers_a_bad_month_with_a_400_naming_the_field(manager, month):
    api = APIClient()
    api.force_authenticate(manager)
    response = api.get("/api/report-figures/", {"month": month})
    assert response.status_code == 400
    (message,) = response.json()["month"]
    assert message.startswith("Select a month from ")
    assert not AuditEvent.objects.filter(action=AuditAction.DISCLOSURE).exists()


@pytest.mark.parametrize("month", BAD_MONTHS)
def test_the_dashboard_shows_a_bad_month_as_a_field_error_and_no_figures(client, manager, month):
    client.force_login(manager)
    response = client.get(reverse("reports:index"), {"month": month})
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Select a month from" in response.context["form"].errors["month"][0]
    assert f"Cohort dashboard: {LAST_MONTH.label}" not in body
    assert "figures" not in response.context


def test_the_oldest_month_offered_is_shown(client, manager):
    oldest = add_months(LAST_MONTH.start, -23)
    client.force_login(manager)
    response = client.get(reverse("reports:index"), {"month": f"{oldest:%Y-%m}"})
    assert response.status_code == 200
    assert response.context["period"].start == oldest


def test_no_month_shows_last_month(client, manager):
    client.force_login(manager)
    response = client.get(reverse("reports:index"))
    assert response.status_code == 200
    assert response.context["period"] == LAST_MONTH


def test_a_report_period_starting_before_1900_is_refused(client, manager):
    from django.core.exceptions import ValidationError

    from reports import monthly

    with pytest.raises(ValidationError) as refused:
        monthly.request_report(
            start=datetime.date(1, 1, 1), end=datetime.date(2, 12, 1), by=manager
        )
    assert refused.value.message_dict == {"start": ["The start of the period must be after 1900"]}
