"""The RFG score: the documented worked example, and what raises and lowers a score."""

import datetime
from decimal import Decimal

import pytest

from cohorts.risk import services
from cohorts.risk.explain import reasons
from cohorts.risk.models import RiskAssessment
from tests import factories
from tests.risk import factories as risk
from tests.risk.needs import assess_need

RUN_DATE = datetime.date(2026, 7, 1)


def _score(nominal, day=RUN_DATE) -> RiskAssessment:
    services.rerank(day)
    return RiskAssessment.objects.get(nominal=nominal, assessed_on=day)


@pytest.fixture
def worked_example(db):
    """The person of the worked example in docs/risk-model.md."""
    nominal = factories.members(1)[0]
    risk.DetectedOffenceFactory(
        nominal=nominal, committed_on=datetime.date(2026, 4, 2),
        offence_type=risk.offence_type("28A"), outcome="charged",
    )  # fmt: skip
    risk.DetectedOffenceFactory(
        nominal=nominal, committed_on=datetime.date(2026, 1, 2),
        offence_type=risk.offence_type("45"), outcome="convicted",
        sanction="conviction", sanction_date=datetime.date(2026, 3, 1),
    )  # fmt: skip
    risk.ArrestFactory(
        nominal=nominal, arrested_on=datetime.date(2026, 6, 1),
        offence_type=risk.offence_type("28A"), grounds="suspicion",
    )  # fmt: skip
    risk.DynamicFactorFactory(
        nominal=nominal, factor="class-a-use", started_on=datetime.date(2026, 3, 1)
    )
    return nominal


def test_the_worked_example_scores_as_documented_before_moving_away(worked_example):
    assessment = _score(worked_example)
    assert assessment.score == Decimal("25.09")
    assert assessment.band == "amber"
    points = {c["key"]: c["points"] for c in assessment.contributions}
    assert points == {
        "dynamic:class-a-use": 10.0,
        "detection:burglary-dwelling": 8.49,
        "detection:theft-from-vehicle": 3.75,
        "arrest:burglary-dwelling": 2.86,
    }


def test_the_worked_example_scores_as_documented_once_out_of_the_area(worked_example):
    risk.ResidencePeriodFactory(
        nominal=worked_example, in_area=False, started_on=datetime.date(2026, 6, 15)
    )
    assessment = _score(worked_example)
    assert assessment.score == Decimal("12.55")
    assert assessment.band == "green"
    assert [c["key"] for c in assessment.contributions] == [
        "out-of-area",
        "dynamic:class-a-use",
        "detection:burglary-dwelling",
        "detection:theft-from-vehicle",
        "arrest:burglary-dwelling",
    ]
    assert assessment.contributions[0]["points"] == -12.55


def test_the_worked_example_scores_as_documented_with_a_high_accommodation_need(
    worked_example, officer
):
    assess_need(worked_example, "accommodation", "high", datetime.date(2026, 6, 20), officer)
    assessment = _score(worked_example)
    assert assessment.score == Decimal("33.09")
    assert assessment.band == "amber"
    assert [(r.words, r.points) for r in reasons(assessment)] == [
        ("Class A drug use recorded since 1 March 2026", "+10.00"),
        ("1 burglary (dwelling) detected in the last 3 months", "+8.49"),
        ("Accommodation need assessed high on the Accommodation pathway", "+8.00"),
        ("1 theft from a vehicle detected in the last 6 months", "+3.75"),
        ("1 arrest for burglary (dwelling) in the last month", "+2.86"),
    ]


def test_being_in_custody_lowers_the_score(db):
    free, inside = factories.members(2)
    for nominal in (free, inside):
        risk.DetectedOffenceFactory(nominal=nominal, committed_on=datetime.date(2026, 6, 1))
    risk.CustodyPeriodFactory(nominal=inside, started_on=datetime.date(2026, 6, 10))
    services.rerank(RUN_DATE)
    scores = dict(RiskAssessment.objects.values_list("nominal_id", "score"))
    assert scores[inside.pk] < scores[free.pk]


def test_a_custody_period_that_has_ended_no_longer_lowers_the_score(db):
    nominal = factories.members(1)[0]
    risk.DetectedOffenceFactory(nominal=nominal, committed_on=datetime.date(2026, 6, 1))
    before = _score(nominal).score
    risk.CustodyPeriodFactory(
        nominal=nominal,
        started_on=datetime.date(2025, 1, 1),
        ended_on=datetime.date(2025, 12, 31),
    )
    assert _score(nominal, RUN_DATE).score == before


def test_living_out_of_the_area_lowers_the_score(db):
    here, away = factories.members(2)
    for nominal in (here, away):
        risk.DetectedOffenceFactory(nominal=nominal, committed_on=datetime.date(2026, 6, 1))
    risk.ResidencePeriodFactory(nominal=away, in_area=False, started_on=datetime.date(2026, 6, 5))
    risk.ResidencePeriodFactory(nominal=here, in_area=True, started_on=datetime.date(2026, 6, 5))
    services.rerank(RUN_DATE)
    scores = dict(RiskAssessment.objects.values_list("nominal_id", "score"))
    assert scores[away.pk] < scores[here.pk]


def test_a_recent_detection_raises_the_score_more_than_an_old_one(db):
    recent, old = factories.members(2)
    risk.DetectedOffenceFactory(nominal=recent, committed_on=datetime.date(2026, 6, 20))
    risk.DetectedOffenceFactory(nominal=old, committed_on=datetime.date(2025, 7, 20))
    services.rerank(RUN_DATE)
    scores = dict(RiskAssessment.objects.values_list("nominal_id", "score"))
    assert scores[recent.pk] > scores[old.pk] > 0


def test_another_detection_raises_the_score(db):
    nominal = factories.members(1)[0]
    risk.DetectedOffenceFactory(nominal=nominal, committed_on=datetime.date(2026, 5, 1))
    before = _score(nominal).score
    risk.DetectedOffenceFactory(nominal=nominal, committed_on=datetime.date(2026, 6, 25))
    assert _score(nominal, datetime.date(2026, 7, 2)).score > before


def test_events_after_the_run_date_or_before_the_lookback_do_not_count(db):
    nominal = factories.members(1)[0]
    risk.DetectedOffenceFactory(nominal=nominal, committed_on=datetime.date(2026, 7, 2))
    risk.DetectedOffenceFactory(nominal=nominal, committed_on=datetime.date(2020, 1, 1))
    assessment = _score(nominal)
    assert assessment.score == 0
    assert assessment.contributions == []


def test_non_members_are_scored_only_with_activity_in_the_last_year(db):
    active = risk.DetectedOffenceFactory(committed_on=datetime.date(2026, 3, 1)).nominal
    quiet = risk.DetectedOffenceFactory(committed_on=datetime.date(2025, 3, 1)).nominal
    services.rerank(RUN_DATE)
    assessed = set(RiskAssessment.objects.values_list("nominal_id", flat=True))
    assert active.pk in assessed
    assert quiet.pk not in assessed


def test_members_are_ranked_by_score_and_non_members_are_not(db):
    low, high = factories.members(2)
    outsider = factories.NominalFactory()
    risk.DetectedOffenceFactory(nominal=low, committed_on=datetime.date(2026, 1, 1))
    risk.DetectedOffenceFactory(nominal=high, committed_on=datetime.date(2026, 6, 1))
    risk.DetectedOffenceFactory(nominal=outsider, committed_on=datetime.date(2026, 6, 30))
    services.rerank(RUN_DATE)
    ranks = dict(RiskAssessment.objects.values_list("nominal_id", "rank"))
    assert ranks == {high.pk: 1, low.pk: 2, outsider.pk: None}
