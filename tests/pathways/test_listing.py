"""The cohort list's Reviews column: an Overdue tag and a filter for overdue reviews only."""

import datetime

import pytest
from django.urls import reverse

from tests.pathways import factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue_and_not(drugs):
    late = pf.member_shared_with(drugs, nominal__surname="Latereview")
    pathway = pf.pathway_of(late, "accommodation")
    pathway.review_date = datetime.date(2020, 1, 6)
    pathway.save()
    closed = pf.pathway_of(late, "victims")
    closed.review_date, closed.status = datetime.date(2020, 1, 6), "achieved"
    closed.save()
    fine = pf.member_shared_with(drugs, nominal__surname="Ontimereview")
    later = pf.pathway_of(fine, "accommodation")
    later.review_date = datetime.date(2099, 1, 5)
    later.save()
    return late, fine


def test_the_cohort_list_tags_overdue_reviews(client, officer, overdue_and_not):
    client.force_login(officer)
    body = client.get(reverse("cohorts:list")).content.decode()
    assert "Reviews" in body
    row = body.split("Latereview")[1].split("</tr>")[0]
    assert "Overdue" in row
    assert "Overdue" not in body.split("Ontimereview")[1].split("</tr>")[0]


def test_the_cohort_list_filters_overdue_reviews_only(client, officer, overdue_and_not):
    client.force_login(officer)
    body = client.get(reverse("cohorts:list"), {"reviews": "overdue"}).content.decode()
    assert "Latereview" in body
    assert "Ontimereview" not in body
