"""The two ways of storing a run (one INSERT ... SELECT on PostgreSQL, Python folding on any
database) give the same assessments."""

import datetime

import pytest
from django.db import connection

from cohorts.models.membership import MembershipStatus
from cohorts.risk import assessing
from cohorts.risk.models import RankingRun, RiskAssessment, RiskModelVersion
from cohorts.risk.parameters import ModelParameters
from cohorts.risk.scoring import to_stored
from tests import factories
from tests.risk import factories as risk
from tests.risk.needs import assess_need

DAY = datetime.date(2026, 7, 1)
FIELDS = (
    "nominal_id", "score", "band", "band_order", "is_member", "rank", "in_custody",
    "out_of_area", "contributions", "assessed_on", "model_version_id",
)  # fmt: skip


@pytest.fixture
def everything(db, officer):
    """Members and non-members with every kind of factor, modifiers, needs and equal scores."""
    members = factories.members(6)
    for n, nominal in enumerate(members):
        for days in range(0, 400, 37 + n):
            risk.DetectedOffenceFactory(
                nominal=nominal, committed_on=DAY - datetime.timedelta(days),
                outcome=["charged", "convicted", "tic"][days % 3],
                offence_type=risk.offence_type(["28A", "45", "8N", "92E"][days % 4]),
            )  # fmt: skip
        risk.ArrestFactory(nominal=nominal, arrested_on=DAY - datetime.timedelta(10 * n))
        risk.IntelligenceReportFactory(
            nominal=nominal, reported_on=DAY - datetime.timedelta(5 * n), offence_type=None
        )
    tied = factories.members(2)  # equal scores share a rank
    for nominal in tied:
        risk.DetectedOffenceFactory(nominal=nominal, committed_on=DAY)
    factories.members(1)  # nothing counts
    risk.DynamicFactorFactory(nominal=members[0], factor="class-a-use", started_on=DAY)
    risk.DynamicFactorFactory(nominal=members[0], factor="class-a-use", started_on=DAY)
    risk.DynamicFactorFactory(nominal=members[1], factor="unemployed", ended_on=DAY)
    risk.CustodyPeriodFactory(nominal=members[2], started_on=DAY - datetime.timedelta(3))
    risk.ResidencePeriodFactory(nominal=members[2], started_on=DAY - datetime.timedelta(9))
    risk.ResidencePeriodFactory(nominal=members[3], started_on=DAY - datetime.timedelta(9))
    members[4].memberships.update(status=MembershipStatus.IN_CUSTODY)
    assess_need(members[1], "accommodation", "high", DAY, officer)
    assess_need(members[1], "drugs-alcohol", "low", DAY, officer)
    assess_need(members[5], "accommodation", "none", DAY, officer)
    for n in range(3):  # emerging threats and a non-member below Amber
        outsider = factories.NominalFactory()
        for _ in range(n * 3):
            risk.DetectedOffenceFactory(nominal=outsider, committed_on=DAY)
        risk.IntelligenceReportFactory(nominal=outsider, reported_on=DAY)
    return members


def _stored(writer) -> tuple[list, assessing.RunCounts]:
    # One assessment per person per date: each way replaces the date's, as a run does.
    RiskAssessment.objects.filter(assessed_on=DAY).delete()
    run = RankingRun.objects.create(kind="on-demand", run_date=DAY)
    version = RiskModelVersion.current()
    counts = writer(run, version, ModelParameters.from_json(version.parameters))
    rows = RiskAssessment.objects.filter(run=run).order_by("nominal_id").values_list(*FIELDS)
    return list(rows), counts


def test_the_sql_and_the_python_way_store_the_same_assessments(everything):
    if connection.vendor != "postgresql":
        pytest.skip("The INSERT ... SELECT way runs on PostgreSQL only.")
    in_sql, sql_counts = _stored(assessing.write_in_sql)
    in_python, python_counts = _stored(assessing.write_in_python)
    assert in_sql == in_python
    assert sql_counts == python_counts
    kinds = {c["kind"] for row in in_sql for c in row[FIELDS.index("contributions")]}
    assert kinds == {"detection", "arrest", "intelligence", "dynamic", "need", "custody",
                     "out-of-area"}  # fmt: skip
    ranks = [row[FIELDS.index("rank")] for row in in_sql if row[FIELDS.index("rank")]]
    assert len(ranks) != len(set(ranks))  # the tie is in the comparison
    assert sql_counts.emerging_threats > 0


def test_a_run_on_this_database_takes_its_own_way(everything, monkeypatch):
    expected = "write_in_sql" if connection.vendor == "postgresql" else "write_in_python"
    taken = []
    monkeypatch.setattr(assessing, expected, lambda *args: taken.append(expected))
    assessing.write_assessments(RankingRun.objects.create(kind="on-demand", run_date=DAY), *[
        RiskModelVersion.current(), ModelParameters.from_json(RiskModelVersion.current().parameters)
    ])  # fmt: skip
    assert taken == [expected]


def test_scores_round_half_up_as_postgresql_reads_a_float():
    assert str(to_stored(2.6749999999999998)) == "2.68"
    assert str(to_stored(-12.546302)) == "-12.55"
    assert str(to_stored(25.092603)) == "25.09"
