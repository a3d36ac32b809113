"""The managers' dashboard: every chart with its table, figures set-based."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.risk.models import RankingRun, RiskAssessment, RiskModelVersion
from reports.measures.periods import last_month
from tests.controls import factories as controls
from tests.pathways import factories as pathways

from .cohort_factories import custody, member, proven


@pytest.fixture
def period():
    return last_month(timezone.localdate())


def _cohort(size: int, period):
    for index in range(size):
        nominal = member(period.start - datetime.timedelta(days=380 + index))
        proven(nominal, period.start - datetime.timedelta(days=500 + index))
        proven(nominal, period.start - datetime.timedelta(days=100), "robbery-personal")
        custody(nominal, period.start - datetime.timedelta(days=90), period.start)


def _queries(client, period) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("reports:index"), {"month": f"{period.start:%Y-%m}"})
    assert response.status_code == 200
    return len(context.captured_queries)


def test_dashboard_query_count_does_not_grow_with_the_cohort(client, manager, period):
    client.force_login(manager)
    _cohort(3, period)
    small = _queries(client, period)
    _cohort(30, period)
    assert _queries(client, period) == small


def test_every_chart_has_a_table_beside_it(client, manager, period):
    _cohort(2, period)
    client.force_login(manager)
    page = client.get(reverse("reports:index")).content.decode()
    assert page.count('role="img"') > 5
    assert page.count('role="img"') <= page.count('<table class="govuk-table')
    assert "style=" not in page.split("<main", 1)[-1]


def test_dashboard_shows_the_cohort_split_by_lead_agency_stream_band_area_age_and_needs(
    client, manager, period
):
    _cohort(2, period)
    client.force_login(manager)
    keys = [
        table["key"] for table in client.get(reverse("reports:index")).context["figures"]["tables"]
    ]
    for key in ("cohort-by-month", "lead-agency", "stream", "rag-band", "area", "age-band",
                "engagement", "housing-need", "rag-movements", "attention", "before-after",
                "reoffending", "cost-avoided", "pathway-outcomes", "controls"):  # fmt: skip
        assert key in keys


def test_the_ogrs3_split_is_left_out_gracefully_without_stored_ogrs3_results(
    client, manager, period, monkeypatch
):
    from reports.measures import cohort

    _cohort(1, period)
    client.force_login(manager)
    with_ogrs3 = client.get(reverse("reports:index")).context["figures"]["tables"]
    monkeypatch.setattr(cohort, "_ogrs3_model", lambda: None)
    without = client.get(reverse("reports:index")).context["figures"]["tables"]
    assert "ogrs3-band" in [table["key"] for table in with_ogrs3]
    assert "ogrs3-band" not in [table["key"] for table in without]


def test_rag_movements_compare_the_band_before_the_month_with_the_band_at_its_end(
    client, manager, period
):
    nominal = member(period.start - datetime.timedelta(days=100))
    version = RiskModelVersion.current()
    for day, band, order in (
        (period.start - datetime.timedelta(days=1), "green", 3),
        (period.end, "red", 1),
    ):
        run = RankingRun.objects.create(kind="on-demand", run_date=day, status="succeeded")
        RiskAssessment.objects.create(
            run=run, nominal=nominal, model_version=version, assessed_on=day, score=1,
            band=band, band_order=order, is_member=True,
        )  # fmt: skip
    client.force_login(manager)
    tables = client.get(reverse("reports:index")).context["figures"]["tables"]
    movements = next(table for table in tables if table["key"] == "rag-movements")
    assert movements["summary"] == {"moved_up": 1, "moved_down": 0}
    assert movements["rows"][2][:2] == ["Green", 1]


def test_dashboard_counts_overdue_reviews_and_recalls_in_progress(client, manager, period):
    recall = controls.RecallFactory()
    nominal = pathways.member_shared_with(entered_on=period.start - datetime.timedelta(days=30))
    pathway = pathways.pathway_of(nominal, "accommodation")
    pathway.review_date = period.end - datetime.timedelta(days=5)
    pathway.save()
    recall.started_at = timezone.make_aware(
        datetime.datetime.combine(period.start, datetime.time(9))
    )
    recall.save()
    client.force_login(manager)
    tables = client.get(reverse("reports:index")).context["figures"]["tables"]
    attention = dict(next(table for table in tables if table["key"] == "attention")["rows"])
    assert attention["Overdue pathway reviews"] == 1
    assert attention["Recalls in progress"] == 1
