"""The demo area's plans: the drug worker has overdue reviews, and a second run adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from iom.models import User
from pathways import dates, queries
from pathways.models import PathwayAction, PathwayPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_area():
    call_command("seed_demo", stdout=io.StringIO())


def test_the_demo_drug_worker_has_overdue_reviews_on_my_work(demo_area):
    worker = User.objects.get(username="drugs.worker")
    groups = {g.key: g for g in queries.my_work(worker, timezone.localdate())}
    overdue = groups[dates.OVERDUE].reviews
    assert overdue
    assert {pathway.pathway for pathway in overdue} == {"drugs-alcohol"}


def test_demo_actions_are_by_agencies_that_deliver_the_pathway_or_lead_the_case(demo_area):
    drug_actions = PathwayAction.objects.filter(plan_pathway__pathway="drugs-alcohol")
    kinds = set(drug_actions.values_list("agency__kind", flat=True))
    assert kinds <= {"drugs", "police", "nps", "crc"}
    assert "drugs" in kinds


def test_a_second_seed_adds_no_plans(demo_area):
    plans = PathwayPlan.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert PathwayPlan.objects.count() == plans
