"""Each person's current ranking (``CurrentRisk``): their latest assessment's band, score and
rank, kept in a table of its own so that the cohort list joins it (indexed) instead of
looking up the latest assessment of each of 100,000 people on every request.

``record_run`` is called by the run that wrote the assessments, in its transaction, after the
assessments are stored: set-based statements, whatever the number of people. ``rebuild``
recomputes the whole table from the assessments (the migration that created it, and a run on
SQLite, where the cohort is small).
"""

from __future__ import annotations

from django.db import connection

from .models import RankingRun

COLUMNS = "nominal_id, assessment_id, assessed_on, score, band, band_order, rank"
FROM_ASSESSMENTS = "a.nominal_id, a.id, a.assessed_on, a.score, a.band, a.band_order, a.rank"

# The latest assessment of each person: no later one (by date, then id) exists.
LATEST = f"""
    SELECT {FROM_ASSESSMENTS} FROM risk_riskassessment a
     WHERE NOT EXISTS (
        SELECT 1 FROM risk_riskassessment b
         WHERE b.nominal_id = a.nominal_id
           AND (b.assessed_on > a.assessed_on OR (b.assessed_on = a.assessed_on AND b.id > a.id)))
"""

# PostgreSQL: the run's assessments replace each person's current row unless that row is from
# a later date (a run of a past date does not move anyone back in time).
UPSERT_RUN = f"""
    INSERT INTO risk_currentrisk ({COLUMNS})
    SELECT {FROM_ASSESSMENTS} FROM risk_riskassessment a WHERE a.run_id = %(run)s
    ON CONFLICT (nominal_id) DO UPDATE SET
        assessment_id = EXCLUDED.assessment_id, assessed_on = EXCLUDED.assessed_on,
        score = EXCLUDED.score, band = EXCLUDED.band, band_order = EXCLUDED.band_order,
        rank = EXCLUDED.rank
    WHERE risk_currentrisk.assessed_on <= EXCLUDED.assessed_on
"""

# A run that replaced its date's assessments may have left out someone that date's earlier
# run had scored: their current row pointed at a deleted assessment. Drop those rows ...
DROP_REPLACED = """
    DELETE FROM risk_currentrisk
     WHERE assessed_on = %(day)s
       AND assessment_id NOT IN (SELECT id FROM risk_riskassessment WHERE assessed_on = %(day)s)
    RETURNING nominal_id
"""

# ... and give those people their latest remaining assessment, if any.
REFILL = f"""
    INSERT INTO risk_currentrisk ({COLUMNS})
    SELECT DISTINCT ON (a.nominal_id) {FROM_ASSESSMENTS} FROM risk_riskassessment a
     WHERE a.nominal_id = ANY(%(people)s)
     ORDER BY a.nominal_id, a.assessed_on DESC, a.id DESC
"""


def rebuild() -> None:
    """Recompute every person's current ranking from the assessments."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM risk_currentrisk")
        cursor.execute(f"INSERT INTO risk_currentrisk ({COLUMNS}) {LATEST}")


def record_run(run: RankingRun) -> None:
    """Bring the current rankings up to date with ``run``'s assessments (just written)."""
    if connection.vendor != "postgresql":
        rebuild()
        return
    with connection.cursor() as cursor:
        cursor.execute(DROP_REPLACED, {"day": run.run_date})
        replaced = [row[0] for row in cursor.fetchall()]
        if replaced:
            cursor.execute(REFILL, {"people": replaced})
        cursor.execute(UPSERT_RUN, {"run": run.pk})
