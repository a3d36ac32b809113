"""The pages officers live in cost at most 15 SQL queries, the same with 10 and with 200 rows
behind them: the cohort list (plain, searched, filtered, sorted by risk, a late page), My work,
the dashboard, each section of a person's record and the people API."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.risk import services as risk_services
from cohorts.services import set_offender_managers
from iom import audit
from iom.models import AuditAction
from pathways import services as pathway_services
from tests import factories
from tests.risk import factories as risk

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15
TODAY = datetime.date.today()


def _queries_for(client, url) -> int:
    """Queries of one request. On SQLite the audit log's bulk INSERTs are left out: SQLite caps
    the parameters of one statement, so a long page's audit rows go in several batches there
    (on PostgreSQL they are one INSERT, counted)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    # Savepoints (around the session's save) are transaction control, not queries of data.
    queries = [q for q in captured if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    if connection.vendor == "postgresql":
        return len(queries)
    return len([q for q in queries if not q["sql"].startswith('INSERT INTO "iom_auditevent"')])


def _people(count: int, officer) -> list:
    """``count`` members, each with an alias, an offence, a plan with an action due to the
    officer and offender manager ``officer``; then a ranking."""
    nominals = factories.members(count)
    for n, nominal in enumerate(nominals):
        factories.AliasFactory(nominal=nominal)
        risk.DetectedOffenceFactory(nominal=nominal, committed_on=TODAY)
        set_offender_managers(nominal, users=[officer], by=officer)
        pathway_services.ensure_plan(nominal)
        pathway_services.add_action(
            nominal,
            by=None,
            pathway="ete",
            description="Training course",
            agency=officer.agency,
            assigned_to=officer,
            due_on=TODAY + datetime.timedelta(days=n % 30 - 10),
        )
    risk_services.rerank(TODAY)
    return nominals


def _audit_rows(nominal, count: int) -> None:
    actor = audit.as_actor(None)
    for _ in range(count):
        audit.record(actor, AuditAction.CONSULTATION, nominal, nominal=nominal, description="x")


LIST_URLS = {
    "plain": "",
    "search": "?q=Fictional",
    "filter": "?stream=sac&membership=current",
    "sort by risk": "?sort=rank",
    "filter by band": "?risk=green&sort=-rank",
    "late page": "?page=8",
}


def _costs(client, urls: dict[str, str]) -> dict[str, int]:
    """The queries of each page (by name), each asked twice and the second counted: the first
    fills the process's caches (content types, the navigation's counts)."""
    for url in urls.values():
        _queries_for(client, url)
    return {name: _queries_for(client, url) for name, url in urls.items()}


def _assert_constant_and_capped(small: dict[str, int], large: dict[str, int]) -> None:
    assert large == small, "Pages whose queries grow with their rows"
    too_many = {name: count for name, count in large.items() if count > MAX_QUERIES}
    assert not too_many, f"Pages over {MAX_QUERIES} queries: {too_many}"


# Each test measures all its pages with 10 rows, adds 190 and measures them again: building
# 200 people is most of its time, so it is done once for every page of a kind.


def test_the_cohort_list_costs_the_same_with_10_and_200_people(client, manager):
    client.force_login(manager)
    urls = {name: reverse("cohorts:list") + query for name, query in LIST_URLS.items()}
    _people(10, manager)
    small = _costs(client, urls)
    _people(190, manager)
    _assert_constant_and_capped(small, _costs(client, urls))


def test_caseload_pages_cost_the_same_with_10_and_200_people(client, manager):
    client.force_login(manager)
    urls = {name: reverse(name) for name in ("reports:my-work", "reports:index", "nominal-list")}
    _people(10, manager)
    small = _costs(client, urls)
    _people(190, manager)
    _assert_constant_and_capped(small, _costs(client, urls))


SECTIONS = ["cohorts:nominal", "cohorts:risk", "pathways:plan", "cohorts:controls", "cohorts:audit"]


def test_a_persons_sections_cost_the_same_with_10_and_200_rows(client, manager):
    client.force_login(manager)
    first = _people(10, manager)[0]
    _audit_rows(first, 10)
    urls = {name: reverse(name, kwargs={"pk": first.pk}) for name in SECTIONS}
    small = _costs(client, urls)
    _people(190, manager)
    _audit_rows(first, 190)
    for day in range(1, 12):
        risk_services.rerank(TODAY - datetime.timedelta(days=day))
    _assert_constant_and_capped(small, _costs(client, urls))


def test_a_deep_page_of_a_persons_audit_costs_the_same(client, manager):
    client.force_login(manager)
    first = _people(10, manager)[0]
    _audit_rows(first, 200)
    url = reverse("cohorts:audit", kwargs={"pk": first.pk})
    small = _queries_for(client, url)
    response = client.get(url)
    assert response.status_code == 200
    later = url + response.context["next_url"]
    assert response.context["next_url"]
    assert _queries_for(client, later) == small
