"""The dashboard's figures are kept for IOM_DASHBOARD_SECONDS in the database, for every server
process (every manager sees the same aggregates); the scheduler works last month's out again
before they go stale, and a change of what prices or bands them shows on the next page."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from iom.services import save_configuration
from reports import dashboard_figures
from reports.measures.periods import last_month
from reports.models import DashboardFigures, ReportConfiguration, UnitCost
from reports.tasks import refresh_dashboard

from .cohort_factories import member, proven

pytestmark = pytest.mark.django_db


def _dashboard(client, period) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("reports:index"), {"month": f"{period.start:%Y-%m}"})
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in captured]


def _tables(page: str) -> list[str]:
    return re.findall(r"<table.*?</table>", page, flags=re.DOTALL)


def _works_out_figures(queries: list[str]) -> bool:
    return any("risk_detectedoffence" in sql for sql in queries)


@pytest.fixture
def period():
    return last_month(timezone.localdate())


@pytest.fixture
def kept(settings):
    settings.IOM_DASHBOARD_SECONDS = 300


def test_the_next_page_shows_the_figures_already_worked_out(client, manager, period, kept):
    nominal = member(period.start - datetime.timedelta(days=400))
    proven(nominal, period.start - datetime.timedelta(days=100), "robbery-personal")
    client.force_login(manager)
    first, queries = _dashboard(client, period)
    assert _works_out_figures(queries)
    assert "Worked out " in first

    second, queries = _dashboard(client, period)
    assert not _works_out_figures(queries)
    assert len(_tables(first)) > 5
    assert _tables(second) == _tables(first)


def test_another_month_is_worked_out_for_itself(client, manager, period, kept):
    client.force_login(manager)
    _dashboard(client, period)
    earlier = last_month(period.start)
    _, queries = _dashboard(client, earlier)
    assert _works_out_figures(queries)


def test_a_change_of_unit_costs_or_of_the_price_year_shows_at_once(client, manager, period, kept):
    client.force_login(manager)
    _dashboard(client, period)

    price_year = ReportConfiguration.current().unit_cost_price_year
    cost = UnitCost.objects.filter(price_year=price_year).exclude(category="").first()
    cost.cost += 1
    save_configuration(cost, by=manager, changed=["cost"])
    _, queries = _dashboard(client, period)
    assert _works_out_figures(queries)

    configuration = ReportConfiguration.current()
    configuration.unit_cost_price_year = UnitCost.objects.exclude(
        price_year=configuration.unit_cost_price_year
    ).values_list("price_year", flat=True)[0]
    save_configuration(configuration, by=manager, changed=["unit_cost_price_year"])
    page, queries = _dashboard(client, period)
    assert _works_out_figures(queries)
    assert f"in {configuration.unit_cost_price_year} prices" in page


def test_with_no_seconds_the_figures_are_worked_out_on_every_page(client, manager, period):
    client.force_login(manager)
    _dashboard(client, period)
    _, queries = _dashboard(client, period)
    assert _works_out_figures(queries)


def test_figures_kept_too_long_are_worked_out_again(client, manager, period, kept):
    client.force_login(manager)
    _dashboard(client, period)
    DashboardFigures.objects.update(worked_out_at=timezone.now() - datetime.timedelta(seconds=301))
    _, queries = _dashboard(client, period)
    assert _works_out_figures(queries)
    assert DashboardFigures.objects.get().worked_out_at > timezone.now() - datetime.timedelta(
        seconds=60
    )


def test_the_scheduler_works_out_last_month_before_any_manager_asks(client, manager, period, kept):
    old = DashboardFigures.objects.create(
        key="dashboard:a month nobody reads",
        figures={},
        worked_out_at=timezone.now() - datetime.timedelta(days=3),
    )
    refresh_dashboard()
    assert not DashboardFigures.objects.filter(pk=old.pk).exists()
    client.force_login(manager)
    page, queries = _dashboard(client, period)
    assert not _works_out_figures(queries)
    assert "Worked out " in page


def test_the_api_reads_the_figures_the_page_keeps(client, manager, period, kept):
    client.force_login(manager)
    _dashboard(client, period)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/report-figures/", {"month": f"{period.start:%Y-%m}"})
    assert response.status_code == 200
    assert not _works_out_figures([query["sql"] for query in captured])
    assert response.json()["generated_at"] == DashboardFigures.objects.get().figures["generated_at"]


def test_only_one_page_works_out_stale_figures_the_others_show_the_kept_ones(
    client, manager, period, kept
):
    client.force_login(manager)
    first, _ = _dashboard(client, period)
    stale = timezone.now() - datetime.timedelta(seconds=301)
    DashboardFigures.objects.update(worked_out_at=stale)
    key = DashboardFigures.objects.get().key
    assert dashboard_figures.claim(key, stale, timezone.now())
    # Another page, which saw the same stale figures, loses the claim...
    assert not dashboard_figures.claim(key, stale, timezone.now())
    # ...and a page that comes while the winner works them out is shown the kept figures.
    page, queries = _dashboard(client, period)
    assert not _works_out_figures(queries)
    assert _tables(page) == _tables(first)
