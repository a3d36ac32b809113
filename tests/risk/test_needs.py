"""Needs assessed on the pathways count in the score, through the provider registry."""

import datetime
from decimal import Decimal

import pytest

from cohorts.risk import providers, services
from cohorts.risk.models import RiskAssessment, RiskModelVersion
from cohorts.risk.parameters import ModelParameters
from tests import factories
from tests.risk import factories as risk
from tests.risk.needs import assess_need

RUN_DATE = datetime.date(2026, 7, 1)


def _scores() -> dict:
    services.rerank(RUN_DATE)
    return {a.nominal_id: a for a in RiskAssessment.objects.filter(assessed_on=RUN_DATE)}


@pytest.fixture
def two_alike(db):
    """Two members with the same offending."""
    people = factories.members(2)
    for nominal in people:
        risk.DetectedOffenceFactory(nominal=nominal, committed_on=datetime.date(2026, 6, 1))
    return people


def _points(factor: str, level: str) -> Decimal:
    params = ModelParameters.from_json(RiskModelVersion.current().parameters)
    return Decimal(repr(params.need_points[factor][level])).quantize(Decimal("0.01"))


def test_a_high_accommodation_need_raises_the_score_by_its_configured_points(two_alike, officer):
    housed, homeless = two_alike
    assess_need(homeless, "accommodation", "high", datetime.date(2026, 6, 10), officer)
    scores = _scores()
    difference = scores[homeless.pk].score - scores[housed.pk].score
    assert difference == _points("accommodation_need", "high") == Decimal("8.00")
    assert {
        "key": "need:accommodation_need", "kind": "need", "factor": "accommodation_need:high",
        "count": 1, "since": None, "points": 8.0,
    } in scores[homeless.pk].contributions  # fmt: skip


def test_a_drug_need_counts_at_the_points_of_its_level(two_alike, officer):
    clean, using = two_alike
    assess_need(using, "drugs-alcohol", "medium", datetime.date(2026, 6, 10), officer)
    scores = _scores()
    assert scores[using.pk].score - scores[clean.pk].score == _points("drug_need", "medium")


def test_without_a_need_on_the_pathways_nothing_is_added(two_alike, officer):
    first, second = two_alike
    assess_need(first, "accommodation", "none", datetime.date(2026, 6, 10), officer)
    scores = _scores()
    assert scores[first.pk].score == scores[second.pk].score
    for nominal in two_alike:
        assert [c["kind"] for c in scores[nominal.pk].contributions] == ["detection"]


def test_a_need_assessed_after_the_run_date_does_not_count(two_alike, officer):
    first, second = two_alike
    assess_need(first, "accommodation", "high", datetime.date(2026, 7, 2), officer)
    scores = _scores()
    assert scores[first.pk].score == scores[second.pk].score


def test_a_model_version_without_need_points_counts_no_needs(two_alike, officer):
    first, second = two_alike
    assess_need(first, "accommodation", "high", datetime.date(2026, 6, 10), officer)
    RiskModelVersion.objects.create(
        number=RiskModelVersion.current().number + 1,
        parameters=RiskModelVersion.objects.get(number=1).parameters,
    )
    scores = _scores()
    assert scores[first.pk].score == scores[second.pk].score


def _listed_needs(day):
    return listed_needs


listed_needs: list = []


def test_a_provider_may_return_plain_rows_instead_of_a_queryset(two_alike):
    first, second = two_alike
    listed_needs[:] = [(first.pk, "drug_need", "high")]
    providers.register_need_provider(_listed_needs, labels={"drug_need": "Listed"})
    try:
        scores = _scores()
    finally:
        providers.unregister_need_provider(_listed_needs)
    assert scores[first.pk].score - scores[second.pk].score == _points("drug_need", "high")


def test_the_pathways_app_registers_its_needs(db):
    from pathways.queries import risk_need_factors

    assert risk_need_factors in providers.need_providers()
    assert providers.pathway_label("accommodation_need") == "Accommodation"
