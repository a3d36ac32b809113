"""The plan page, My work and the pathway API cost the same number of queries however many
actions, reviews and people lie behind them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pathways import services
from tests.pathways import factories as pf

pytestmark = pytest.mark.django_db


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    # The audit log's bulk INSERT goes in batches on SQLite (its parameter cap).
    return len([q for q in captured if not q["sql"].startswith('INSERT INTO "iom_auditevent"')])


def _add_work(nominal, agency, worker, count: int) -> None:
    for n in range(count):
        kind = ("drugs-alcohol", "accommodation", "ete")[n % 3]
        pf.action_on(
            nominal, kind, agency, assigned_to=worker if kind == "drugs-alcohol" else None,
            due_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
            description=f"Action {n}",
        )  # fmt: skip
        pathway = pf.pathway_of(nominal, kind)
        services.record_review(
            pathway.pk, by=None, version=pathway.version, reviewed_on=datetime.date(2026, 1, 2),
            notes=f"Review {n}", next_review_date=datetime.date(2026, 2, 1),
        )  # fmt: skip


@pytest.mark.parametrize("who", ["officer", "drug worker"])
def test_the_plan_page_costs_the_same_with_3_and_30_actions(client, officer, drug_worker, who):
    drugs = drug_worker.agency
    nominal = pf.member_shared_with(drugs)
    client.force_login(officer if who == "officer" else drug_worker)
    url = reverse("pathways:plan", kwargs={"pk": nominal.pk})
    _add_work(nominal, drugs, drug_worker, 3)
    small = _queries_for(client, url)
    _add_work(nominal, drugs, drug_worker, 27)
    assert _queries_for(client, url) == small


def _people_with_work(drugs, worker, count: int) -> None:
    for _ in range(count):
        nominal = pf.member_shared_with(drugs)
        _add_work(nominal, drugs, worker, 1)
        pathway = pf.pathway_of(nominal, "drugs-alcohol")
        pathway.contact_agency, pathway.contact_worker = drugs, worker
        pathway.review_date = datetime.date(2020, 6, 1)
        pathway.save()


@pytest.mark.parametrize("url_name", ["reports:my-work", "pathway-person-list"])
def test_my_work_and_the_api_cost_the_same_with_3_and_30_people(client, drug_worker, url_name):
    client.force_login(drug_worker)
    _people_with_work(drug_worker.agency, drug_worker, 3)
    _queries_for(client, reverse(url_name))  # fills the process's caches (content types)
    small = _queries_for(client, reverse(url_name))
    _people_with_work(drug_worker.agency, drug_worker, 27)
    assert _queries_for(client, reverse(url_name)) == small


def test_the_cohort_list_with_the_reviews_column_costs_the_same(client, officer, drug_worker):
    client.force_login(officer)
    _people_with_work(drug_worker.agency, drug_worker, 3)
    small = _queries_for(client, reverse("cohorts:list"))
    _people_with_work(drug_worker.agency, drug_worker, 27)
    assert _queries_for(client, reverse("cohorts:list")) == small
