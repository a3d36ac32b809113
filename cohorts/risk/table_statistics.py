"""Planner statistics for the ranking run: its statements must not be planned blind.

A run's statements join 100,000 people to millions of rows; PostgreSQL chooses hash joins
for them only when it knows the tables' sizes. A database just bulk-loaded (a first import,
a restore) has no statistics until autovacuum gets round to it, and a table changed a lot
since its last ANALYZE has stale ones: planned with defaults, a join can become a nested loop
that runs for many minutes instead of seconds. So before its transaction the run analyses
each table it reads that was never analysed, or changed since by more than autovacuum's own
threshold (50 rows and 10%); on a database that autovacuum keeps up with, that is none.
On other databases (SQLite) there is nothing to do.
"""

from __future__ import annotations

import datetime

from django.db import connection

from cohorts.models import CohortMembership, Nominal

from .models import (
    Arrest,
    CustodyPeriod,
    DetectedOffence,
    DynamicFactor,
    IntelligenceReport,
    OffenceType,
    Ogrs3Correction,
    ResidencePeriod,
)
from .providers import need_rows

RUN_MODELS = (
    Nominal,
    CohortMembership,
    DetectedOffence,
    Arrest,
    IntelligenceReport,
    DynamicFactor,
    CustodyPeriod,
    ResidencePeriod,
    OffenceType,
    Ogrs3Correction,
)
# autovacuum_analyze_threshold and autovacuum_analyze_scale_factor's defaults.
STALE_ROWS = 50
STALE_SHARE = 0.1


def run_tables(day: datetime.date) -> list[str]:
    """The tables a run of ``day`` reads: the risk app's and those of the need providers."""
    tables = [model._meta.db_table for model in RUN_MODELS]
    for rows in need_rows(day):
        model = getattr(rows, "model", None)
        if model is not None and model._meta.db_table not in tables:
            tables.append(model._meta.db_table)
    return tables


def stale_tables(tables: list[str]) -> list[str]:
    """Those of ``tables`` with no statistics, or with statistics autovacuum would renew."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname FROM pg_class c
                 JOIN pg_stat_user_tables s ON s.relid = c.oid
                WHERE c.relname = ANY(%s) AND c.relkind = 'r'
                  AND (c.reltuples < 0
                       OR (s.last_analyze IS NULL AND s.last_autoanalyze IS NULL)
                       OR s.n_mod_since_analyze > %s + %s * c.reltuples)
                ORDER BY c.relname""",
            [tables, STALE_ROWS, STALE_SHARE],
        )
        return [row[0] for row in cursor.fetchall()]


def analyse_stale_tables(day: datetime.date) -> list[str]:
    """ANALYZE the run's stale tables (PostgreSQL) and name them; outside the run's
    transaction, so that each holds its lock only while it is analysed."""
    if connection.vendor != "postgresql":
        return []
    stale = stale_tables(run_tables(day))
    if stale:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in stale))
    return stale
