"""A ranking run analyses the tables it reads when they have no statistics (a database just
bulk-loaded), so that its statements are not planned blind (nested loops for minutes)."""

import datetime

import pytest
from django.db import connection

from cohorts.risk import services, table_statistics
from cohorts.risk.models import Ogrs3Result, RiskAssessment
from tests import factories
from tests.risk import factories as risk

DAY = datetime.date(2026, 7, 1)
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's"
)


def _reltuples(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def test_the_run_reads_the_risk_tables_and_the_need_providers_tables(db):
    tables = table_statistics.run_tables(DAY)

    read = {"cohorts_nominal", "cohorts_cohortmembership", "risk_detectedoffence", "risk_arrest"}
    assert read <= set(tables)
    assert len(tables) > len(table_statistics.RUN_MODELS)  # the pathways' needs


@on_postgresql
def test_tables_never_analysed_are_analysed_before_the_run(db):
    nominal = factories.members(1)[0]
    risk.DetectedOffenceFactory(nominal=nominal, committed_on=DAY)
    with connection.cursor() as cursor:
        # As after a bulk load: no statistics at all.
        cursor.execute("UPDATE pg_class SET reltuples = -1 WHERE relname = 'risk_detectedoffence'")
    assert "risk_detectedoffence" in table_statistics.stale_tables(["risk_detectedoffence"])

    services.rerank(DAY)

    assert _reltuples("risk_detectedoffence") >= 1
    assert RiskAssessment.objects.filter(assessed_on=DAY).count() == 1
    assert Ogrs3Result.objects.filter(assessed_on=DAY).count() == 1


@on_postgresql
def test_after_analysing_every_table_of_the_run_has_statistics(db):
    tables = table_statistics.run_tables(DAY)
    table_statistics.analyse_stale_tables(DAY)

    assert all(_reltuples(table) >= 0 for table in tables)
