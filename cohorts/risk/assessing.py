"""Storing a run's assessments: one ``INSERT ... SELECT`` on PostgreSQL, Python elsewhere.

Both ways start from the same statement (``scoring.scoring_sql``: one row per person and
factor) and give the same assessments, to the stored cent:

* on PostgreSQL the database folds the rows itself: totals, the custody and out-of-area
  modifiers, the contributions as a JSON list (largest first), the band, the rank among
  members (``RANK()``) and the insert, in one statement that returns the run's counts;
* on SQLite (the embedded demo) Python folds the streamed rows (``scoring.score_everyone``),
  ranks the members and writes them with ``bulk_create`` in batches.

Rounding is the same on both (``scoring.to_stored``): the float read to 15 significant digits
(PostgreSQL's float8-to-numeric cast), then half up to two places.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from .models import BAND_ORDER, Band, RankingRun, RiskAssessment, RiskModelVersion
from .parameters import ModelParameters
from .scoring import rank_members, score_everyone, scoring_sql

# Assessments are written in batches of this many rows (bounded memory on a large cohort).
WRITE_BATCH = 2000
SCORING_KINDS = ("detection", "arrest", "intelligence", "dynamic", "need")
# PostgreSQL's work_mem for the run's transaction (settings.RISK_RANKING_WORK_MEM overrides
# it): enough for a large cohort's (person, factor) groups to aggregate mostly in memory, small
# enough that the backend's sorts and hashes together stay well under 300 MB at 100,000
# people (64MB took it past 300 MB; tests/benchmarks/rerank.py measures it).
STATEMENT_WORK_MEM = "32MB"


@dataclass(frozen=True)
class RunCounts:
    people_scored: int
    members_ranked: int
    emerging_threats: int


def write_assessments(
    run: RankingRun, version: RiskModelVersion, params: ModelParameters
) -> RunCounts:
    """Score everyone due on ``run.run_date`` and store one assessment each for ``run``."""
    if connection.vendor == "postgresql":
        return write_in_sql(run, version, params)
    return write_in_python(run, version, params)


def write_in_python(
    run: RankingRun, version: RiskModelVersion, params: ModelParameters
) -> RunCounts:
    results = list(score_everyone(params, run.run_date))
    rank_members(results)
    for start in range(0, len(results), WRITE_BATCH):
        RiskAssessment.objects.bulk_create(
            [
                RiskAssessment(
                    run=run,
                    nominal_id=r.nominal_id,
                    model_version=version,
                    assessed_on=run.run_date,
                    score=r.score,
                    band=r.band,
                    band_order=r.band_order,
                    is_member=r.is_member,
                    rank=r.rank,
                    in_custody=r.in_custody,
                    out_of_area=r.out_of_area,
                    contributions=r.contribution_dicts(),
                )
                for r in results[start : start + WRITE_BATCH]
            ]
        )
    return RunCounts(
        people_scored=len(results),
        members_ranked=sum(1 for r in results if r.is_member),
        emerging_threats=sum(1 for r in results if not r.is_member and r.band != Band.GREEN),
    )


def _contribution(alias: str) -> str:
    return (
        f"json_build_object('key', {alias}.key, 'kind', {alias}.kind, 'factor', {alias}.factor,"
        f" 'count', {alias}.number, 'since', {alias}.since, 'points', {alias}.points)"
    )


def insert_sql(
    run: RankingRun, version: RiskModelVersion, params: ModelParameters
) -> tuple[str, list]:
    """The one statement of the PostgreSQL path and its parameters."""
    rows_sql, rows_args = scoring_sql(params, run.run_date, ordered=False)
    kinds = ", ".join(f"'{kind}'" for kind in SCORING_KINDS)  # constants of this module
    band_order = " ".join("WHEN %s THEN %s" for _ in BAND_ORDER)
    band_order_args = [v for band, order in BAND_ORDER.items() for v in (band.value, order)]
    sql = f"""
        WITH factor_rows AS ({rows_sql}),
        person AS (
            SELECT nominal_id, MAX(is_member) = 1 AS is_member,
                   COALESCE(SUM(points) FILTER (WHERE kind IN ({kinds})), 0)::float8 AS raw,
                   COALESCE(bool_or(kind = 'custody'), FALSE) AS in_custody,
                   MIN(since) FILTER (WHERE kind = 'custody') AS custody_since,
                   COALESCE(bool_or(kind = 'out-of-area'), FALSE) AS out_of_area,
                   MIN(since) FILTER (WHERE kind = 'out-of-area') AS away_since
              FROM factor_rows GROUP BY nominal_id
        ),
        custody AS (
            SELECT p.*, CASE WHEN p.in_custody THEN p.raw * %s::float8
                        ELSE p.raw END AS after_custody
              FROM person p
        ),
        total AS (
            SELECT c.*, CASE WHEN c.out_of_area THEN c.after_custody * %s::float8
                        ELSE c.after_custody END AS total
              FROM custody c
        ),
        contribution AS (
            SELECT r.nominal_id,
                   CASE WHEN r.kind = 'need' THEN 'need:' || split_part(r.factor_key, ':', 1)
                        ELSE r.kind || ':' || r.factor_key END AS key,
                   r.kind, r.factor_key AS factor, r.number, r.since,
                   ROUND(r.points::float8::numeric, 2) AS points
              FROM factor_rows r WHERE r.kind IN ({kinds})
            UNION ALL
            SELECT t.nominal_id, 'custody', 'custody', '', 1, t.custody_since,
                   ROUND((t.after_custody - t.raw)::numeric, 2)
              FROM total t WHERE t.in_custody
            UNION ALL
            SELECT t.nominal_id, 'out-of-area', 'out-of-area', '', 1, t.away_since,
                   ROUND((t.total - t.after_custody)::numeric, 2)
              FROM total t WHERE t.out_of_area
        ),
        listed AS (
            SELECT c.nominal_id,
                   json_agg({_contribution("c")}
                             ORDER BY abs(c.points) DESC, c.key COLLATE "C") AS contributions
              FROM contribution c GROUP BY c.nominal_id
        ),
        scored_people AS (
            SELECT t.nominal_id, t.is_member, t.in_custody, t.out_of_area,
                   ROUND(t.total::numeric, 2) AS score,
                   COALESCE(l.contributions::jsonb, '[]'::jsonb) AS contributions
              FROM total t LEFT JOIN listed l ON l.nominal_id = t.nominal_id
        ),
        banded AS (
            SELECT s.*, CASE WHEN s.score >= %s::numeric THEN %s
                             WHEN s.score >= %s::numeric THEN %s ELSE %s END AS band
              FROM scored_people s
        ),
        ranked AS (
            SELECT t.nominal_id, RANK() OVER (ORDER BY ROUND(t.total::numeric, 2) DESC) AS rank
              FROM total t WHERE t.is_member
        ),
        inserted AS (
            INSERT INTO risk_riskassessment
                (run_id, nominal_id, model_version_id, assessed_on, score, band, band_order,
                 is_member, rank, in_custody, out_of_area, contributions)
            SELECT %s, b.nominal_id, %s, %s, b.score, b.band, CASE b.band {band_order} END,
                   b.is_member, r.rank, b.in_custody, b.out_of_area, b.contributions
              FROM banded b LEFT JOIN ranked r ON r.nominal_id = b.nominal_id
            RETURNING is_member, band
        )
        SELECT COUNT(*), COUNT(*) FILTER (WHERE is_member),
               COUNT(*) FILTER (WHERE NOT is_member AND band <> %s)
          FROM inserted"""
    args = [
        *rows_args,
        params.custody_multiplier,
        params.out_of_area_multiplier,
        repr(params.thresholds["red"]),
        Band.RED.value,
        repr(params.thresholds["amber"]),
        Band.AMBER.value,
        Band.GREEN.value,
        run.pk,
        version.pk,
        run.run_date,
        *band_order_args,
        Band.GREEN.value,
    ]
    return sql, args


def write_in_sql(run: RankingRun, version: RiskModelVersion, params: ModelParameters) -> RunCounts:
    sql, args = insert_sql(run, version, params)
    with connection.cursor() as cursor:
        # For this transaction only (the run's): room to hash the (person, factor) groups in
        # memory, and no JIT compilation, which costs this one long statement seconds.
        cursor.execute(
            "SELECT set_config('work_mem', %s, true), set_config('jit', 'off', true)",
            [getattr(settings, "RISK_RANKING_WORK_MEM", STATEMENT_WORK_MEM)],
        )
        cursor.execute(sql, args)
        people, members, emerging = cursor.fetchone()
    return RunCounts(people_scored=people, members_ranked=members, emerging_threats=emerging)
