"""A page costs the same number of SQL queries whatever the number of rows behind it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.services import set_offender_managers
from tests import factories


def _queries_for(client, url) -> int:
    """Queries of one request. On SQLite the audit log's bulk INSERTs are left out: SQLite caps
    the parameters of one statement, so a long export's audit rows go in several batches
    there; PostgreSQL writes them in one, so there they count like any other query."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    if connection.vendor == "postgresql":
        return len(captured)
    audit_inserts = [q for q in captured if q["sql"].startswith('INSERT INTO "iom_auditevent"')]
    return len(captured) - len(audit_inserts)


def _cohort_of(size: int, officer) -> list:
    nominals = factories.members(size)
    for nominal in nominals[:: max(1, size // 10)]:
        set_offender_managers(nominal, users=[officer], by=officer)
        factories.AliasFactory(nominal=nominal)
    return nominals


@pytest.mark.parametrize("url_name", ["cohorts:list", "cohorts:export", "nominal-list"])
def test_cohort_listings_cost_the_same_with_10_and_200_nominals(client, officer, url_name):
    client.force_login(officer)
    _cohort_of(10, officer)
    small = _queries_for(client, reverse(url_name))
    _cohort_of(190, officer)
    large = _queries_for(client, reverse(url_name))
    assert small == large


def test_cohort_search_costs_the_same_with_10_and_200_nominals(client, officer):
    client.force_login(officer)
    _cohort_of(10, officer)
    small = _queries_for(client, reverse("cohorts:list") + "?q=Fictional&sort=-dob")
    _cohort_of(190, officer)
    large = _queries_for(client, reverse("cohorts:list") + "?q=Fictional&sort=-dob")
    assert small == large


@pytest.mark.parametrize("url_name", ["cohorts:nominal", "cohorts:edit", "cohorts:audit"])
def test_nominal_pages_cost_the_same_with_10_and_200_nominals(client, manager, url_name):
    client.force_login(manager)
    first = _cohort_of(10, manager)[0]
    small = _queries_for(client, reverse(url_name, kwargs={"pk": first.pk}))
    _cohort_of(190, manager)
    large = _queries_for(client, reverse(url_name, kwargs={"pk": first.pk}))
    assert small == large
