"""The two ways of storing a run's OGRS3 results (one INSERT ... SELECT on PostgreSQL, Python
scoring and bulk_create on any database) store the same rows."""

import datetime

import pytest
from django.db import connection

from cohorts.risk import assessing
from cohorts.risk.models import (
    OffenceType,
    Ogrs3Correction,
    Ogrs3Result,
    RankingRun,
    RiskAssessment,
    RiskModelVersion,
)
from cohorts.risk.ogrs3 import run as ogrs3_run
from cohorts.risk.parameters import ModelParameters
from tests import factories
from tests.risk import factories as risk
from tests.risk.ogrs3_factories import sanction

DAY = datetime.date(2026, 7, 1)
DAYS = datetime.timedelta(days=1)
FIELDS = [f.attname for f in Ogrs3Result._meta.concrete_fields if f.attname not in ("id", "run_id")]
CATEGORY_CODES = ["46", "45", "28A", "34B", "8N", "92E", "54", "58A", "9A", "48"]


def _person(born=datetime.date(1990, 5, 17), gender="male"):
    return factories.members(1, nominal__date_of_birth=born, nominal__gender=gender)[0]


def _correct(nominal, officer, field, value):
    Ogrs3Correction.objects.create(
        nominal=nominal, field=field, value=value, reason=f"Checked {field}", recorded_by=officer
    )


@pytest.fixture
def everyone(db, officer):
    """People scored at every age band and many offences, and one stopped by each check."""
    for n in range(24):  # scored: ages 12 to 81 at follow-up, both sexes, several histories
        born = datetime.date(1945 + 3 * n, 1 + n % 12, 1 + (7 * n) % 28)
        nominal = _person(born, "male" if n % 3 else "female")
        first = max(born + 12 * 366 * DAYS, DAY - (400 + 300 * n) * DAYS)
        for k in range(n % 5):
            sanction(nominal, first + 40 * k * DAYS, code=CATEGORY_CODES[(n + k) % 10])
        kind = "caution" if n % 4 == 0 else "conviction"
        sanction(nominal, DAY - (5 + n) * DAYS, code=CATEGORY_CODES[n % 10], kind=kind)
    prolific = _person(datetime.date(2003, 1, 1))  # four sanctions in a year: High
    for k in range(5):
        sanction(prolific, datetime.date(2025, 1, 1) + 70 * k * DAYS, code="46")
    released = _person()
    sanction(released, DAY - 400 * DAYS, code="28A")
    risk.CustodyPeriodFactory(
        nominal=released, started_on=DAY - 400 * DAYS, ended_on=DAY - 9 * DAYS
    )
    inside = _person()
    sanction(inside, DAY - 60 * DAYS, code="45")
    risk.CustodyPeriodFactory(nominal=inside, started_on=DAY - 60 * DAYS)
    leap = _person(datetime.date(1992, 2, 29))  # ages on 1 March
    sanction(leap, datetime.date(2005, 2, 28), code="46")
    sanction(leap, datetime.date(2024, 3, 1), code="46")
    long_record = _person(datetime.date(1960, 1, 1))  # more than 50 previous sanctions
    for k in range(55):
        sanction(long_record, datetime.date(1980, 1, 1) + 90 * k * DAYS, code="46")
    _person(gender="other")
    _person(gender="unknown")
    risk.DetectedOffenceFactory(nominal=_person(), committed_on=DAY)  # charged, no sanction
    unclassified = OffenceType.objects.create(
        code="ZZ9", name="Unclassified offence", category="other", gravity=1, ogrs3_category=""
    )
    no_category = _person()
    sanction(no_category, DAY - 20 * DAYS, code="46")
    uncorrected = _person()
    sanction(uncorrected, DAY - 20 * DAYS, code="46")
    for nominal in (no_category, uncorrected):
        nominal.detected_offences.update(offence_type=unclassified)
    born_after = _person(datetime.date(2001, 1, 1))  # the date of birth is after a sanction
    sanction(born_after, datetime.date(2000, 6, 1))
    sanction(born_after, DAY - 20 * DAYS)
    too_young = _person(datetime.date(2010, 1, 1))  # 8 at the first sanction: to check
    sanction(too_young, datetime.date(2018, 1, 1))
    sanction(too_young, DAY - 20 * DAYS)
    child = _person(datetime.date(2017, 1, 1))  # followed up at 9: no figures for the age
    sanction(child, datetime.date(2025, 1, 1))
    sanction(child, DAY - 20 * DAYS)
    # Officers' corrections: some score, some stop the score, one where the record has none.
    corrected = _person()
    sanction(corrected, DAY - 900 * DAYS, code="28A")
    sanction(corrected, DAY - 30 * DAYS, code="45")
    _correct(corrected, officer, "previous_sanctions", "7")
    _correct(corrected, officer, "first_sanction_date", "2010-03-04")
    _correct(corrected, officer, "offence_category", "robbery")
    custody_release = _person()
    sanction(custody_release, DAY - 60 * DAYS, code="45")
    risk.CustodyPeriodFactory(nominal=custody_release, started_on=DAY - 60 * DAYS)
    _correct(custody_release, officer, "follow_up_start", (DAY - 3 * DAYS).isoformat())
    _correct(no_category, officer, "offence_category", "other")
    zero_before = _person()
    sanction(zero_before, DAY - 500 * DAYS)
    sanction(zero_before, DAY - 50 * DAYS)
    _correct(zero_before, officer, "previous_sanctions", "0")
    early_release = _person()
    sanction(early_release, DAY - 50 * DAYS)
    _correct(early_release, officer, "follow_up_start", (DAY - 80 * DAYS).isoformat())
    future = _person()
    sanction(future, DAY - 50 * DAYS)
    _correct(future, officer, "conviction_date", (DAY + 10 * DAYS).isoformat())
    no_record = _person()
    _correct(no_record, officer, "conviction_date", (DAY - 10 * DAYS).isoformat())
    _correct(no_record, officer, "previous_sanctions", "2")
    _correct(no_record, officer, "offence_category", "robbery")  # stops at the first sanction


def _stored(writer) -> list:
    # One assessment per person per date: each way replaces the date's, as a run does.
    RiskAssessment.objects.filter(assessed_on=DAY).delete()
    run = RankingRun.objects.create(kind="on-demand", run_date=DAY)
    version = RiskModelVersion.current()
    assessing.write_in_python(run, version, ModelParameters.from_json(version.parameters))
    written = writer(run)
    rows = Ogrs3Result.objects.filter(run=run).order_by("nominal_id").values_list(*FIELDS)
    assert written == len(rows)
    return list(rows)


def test_the_sql_and_the_python_way_store_the_same_ogrs3_results(everyone):
    if connection.vendor != "postgresql":
        pytest.skip("The INSERT ... SELECT way runs on PostgreSQL only.")
    in_sql = _stored(ogrs3_run.write_in_sql)
    in_python = _stored(ogrs3_run.write_in_python)
    assert in_sql == in_python
    column = {name: [row[FIELDS.index(name)] for row in in_sql] for name in FIELDS}
    assert set(column["band"]) == {"", "low", "medium", "high", "very_high"}
    assert set(column["unscored_input"]) == {
        "", "sex", "date_of_birth", "conviction_date", "offence_category",
        "previous_sanctions", "first_sanction_date", "follow_up_start",
    }  # fmt: skip
    reasons = " | ".join(column["unscored_reason"])
    assert reasons.count("is not possible") == 5 and "(in custody since " in reasons
    assert "(Unclassified offence): set it on the offence type" in reasons
    assert any(column["released"]) and sum(bool(c) for c in column["corrections"]) == 7
    assert max(p for p in column["previous_sanctions"] if p is not None) > 50
    assert [reason for reason in column["check_reason"] if reason] == [
        "the first sanction (1 January 2018) is dated when the person was 8, under the age of "
        "criminal responsibility (10): check the date of birth and the date of the first "
        "sanction"
    ]


def test_a_second_sql_write_of_a_run_replaces_its_results(everyone):
    if connection.vendor != "postgresql":
        pytest.skip("The INSERT ... SELECT way runs on PostgreSQL only.")
    run = RankingRun.objects.create(kind="on-demand", run_date=DAY)
    version = RiskModelVersion.current()
    assessing.write_in_python(run, version, ModelParameters.from_json(version.parameters))
    first = ogrs3_run.write_in_sql(run)
    assert ogrs3_run.write_in_sql(run) == first == Ogrs3Result.objects.filter(run=run).count()


def test_a_run_on_this_database_takes_its_own_way(everyone, monkeypatch):
    expected = "write_in_sql" if connection.vendor == "postgresql" else "write_in_python"
    taken = []
    monkeypatch.setattr(ogrs3_run, expected, lambda run: taken.append(expected))
    ogrs3_run.score_run(RankingRun.objects.create(kind="on-demand", run_date=DAY))
    assert taken == [expected]
