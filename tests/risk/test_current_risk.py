"""Each person's current ranking (``CurrentRisk``) is their latest assessment, whatever order
the runs come in: the cohort list joins it instead of looking the latest one up per person."""

import datetime

from cohorts.risk import current, services
from cohorts.risk.models import CurrentRisk, RiskAssessment
from tests import factories
from tests.risk import factories as risk

TODAY = datetime.date.today()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def _latest(nominal) -> RiskAssessment:
    return RiskAssessment.objects.filter(nominal=nominal).order_by("-assessed_on", "-id").first()


def _assert_current(*nominals) -> None:
    for nominal in nominals:
        latest = _latest(nominal)
        row = CurrentRisk.objects.get(nominal=nominal)
        assert (row.assessment_id, row.assessed_on, row.band, row.rank, row.score) == (
            latest.pk, latest.assessed_on, latest.band, latest.rank, latest.score,
        )  # fmt: skip


def test_the_current_ranking_follows_the_latest_run_and_not_a_past_one(db):
    high, low = factories.members(2)
    for _ in range(4):
        risk.DetectedOffenceFactory(nominal=high, committed_on=YESTERDAY)
    services.rerank(YESTERDAY)
    _assert_current(high, low)
    risk.DetectedOffenceFactory(nominal=low, committed_on=TODAY)
    services.rerank(TODAY)
    _assert_current(high, low)
    services.rerank(YESTERDAY)  # a past date again: today's figures stay current
    assert CurrentRisk.objects.get(nominal=high).assessed_on == TODAY
    _assert_current(high, low)


def test_a_run_again_of_the_same_date_replaces_the_current_ranking(db):
    (member,) = factories.members(1)
    services.rerank(TODAY)
    first = CurrentRisk.objects.get(nominal=member).assessment_id
    for _ in range(3):
        risk.DetectedOffenceFactory(nominal=member, committed_on=TODAY)
    services.rerank(TODAY)
    assert CurrentRisk.objects.get(nominal=member).assessment_id != first
    _assert_current(member)


def test_rebuild_gives_what_the_runs_kept(db):
    people = factories.members(3)
    services.rerank(YESTERDAY)
    services.rerank(TODAY)
    kept = sorted(CurrentRisk.objects.values_list("nominal_id", "assessment_id"))
    current.rebuild()
    assert sorted(CurrentRisk.objects.values_list("nominal_id", "assessment_id")) == kept
    _assert_current(*people)
