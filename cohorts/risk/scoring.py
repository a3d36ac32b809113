"""The RFG score (recency, frequency, gravity) of everyone scored on a date, in one SQL statement.

The statement returns, for each person scored, one row per factor: each (kind of event,
offence category) with its count and points, each dynamic factor in force, and the custody and
out-of-area modifiers. ``assessments_from_rows`` folds those rows (already ordered by person)
into scores, bands and contributions. The model is written down in docs/risk-model.md, whose
worked example a test reproduces.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from cohorts.models.membership import MembershipStatus

from .models import (
    BAND_ORDER,
    Band,
    OffenceCategory,
)
from .parameters import EVENT_KINDS, ModelParameters
from .providers import need_rows

# Scores and points are stored with two decimal places (RiskAssessment.score).
STORED_PLACES = Decimal("0.01")


def to_stored(value: float) -> Decimal:
    """Round half up to two places, reading the float to 15 significant digits first, as
    PostgreSQL's float8-to-numeric cast does: both ways of running give the same figure, and
    float noise (2.6749999999999998) does not decide a rounding."""
    return Decimal(f"{value:.15g}").quantize(STORED_PLACES, rounding=ROUND_HALF_UP)


# --- The statement ---------------------------------------------------------------------------


# A parameter as a double precision float on both databases (SQLite reads the type as REAL).
FLOAT = "CAST(%s AS DOUBLE PRECISION)"


def _case(column: str, mapping: dict, params: list) -> str:
    """``CASE column WHEN %s THEN %s ... ELSE 0 END`` with the values as parameters, read as
    floats (FLOAT): a decimal literal would make PostgreSQL compute in numeric, many times
    slower than the floats the rest of the arithmetic (and SQLite) uses."""
    whens = []
    for key, value in mapping.items():
        whens.append(f"WHEN %s THEN {FLOAT}")
        params.extend([key, value])
    return f"(CASE {column} {' '.join(whens)} ELSE 0 END)"


def _days_between(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"({later}::date - {earlier})"
    return f"(julianday({later}) - julianday({earlier}))"


def _needs_sql(params: ModelParameters, day: datetime.date) -> tuple[str, list]:
    """The needs the registered providers assess on ``day`` as one more branch of the factor
    rows: (nominal_id, 'need', 'factor:level', 1, points, NULL). A queryset is read as a
    subquery, so the needs never pass through Python. Empty when nothing would count."""
    weights = [
        (factor, level, points)
        for factor, levels in params.need_points.items()
        for level, points in levels.items()
        if points
    ]
    if not weights:
        return "", []
    sources: list[str] = []
    args: list[Any] = []
    for rows in need_rows(day):
        if hasattr(rows, "query"):
            sql, rows_args = rows.query.sql_with_params()
            sources.append(f"SELECT q.nominal_id, q.factor, q.level FROM ({sql}) q")
            args.extend(rows_args)
        else:
            for nominal_id, factor, level in rows:
                sources.append("SELECT %s AS nominal_id, %s AS factor, %s AS level")
                args.extend([nominal_id, factor, level])
    if not sources:
        return "", []
    row = f"SELECT %s AS factor, %s AS level, {FLOAT} AS points"
    table = " UNION ALL ".join(row for _ in weights)
    weight_args = [value for weight in weights for value in weight]
    concat = "n.factor || ':' || n.level"
    sql = f"""
            UNION ALL
            SELECT n.nominal_id, 'need', {concat}, 1, w.points, NULL
                FROM ({" UNION ALL ".join(sources)}) n
                JOIN ({table}) w ON w.factor = n.factor AND w.level = n.level"""
    return sql, [*args, *weight_args]


def scoring_sql(
    params: ModelParameters, day: datetime.date, *, ordered: bool = True
) -> tuple[str, list]:
    """The statement and its parameters. Rows: (nominal_id, kind, key, count, points, since,
    is_member), ordered by nominal_id (unless ``ordered`` is false); every person scored has
    at least one row, with kind NULL when nothing counts."""
    args: list = []
    day_text = day.isoformat()
    lookback_start = (day - datetime.timedelta(days=params.lookback_days)).isoformat()
    activity_start = (day - datetime.timedelta(days=params.activity_window_days)).isoformat()
    member_on_day = "entered_on <= %s AND (exited_on IS NULL OR exited_on > %s)"
    # A membership's "in custody" status is what is known now, not when it began: it counts
    # for a ranking of today (or later); a past date counts the custody periods of that date.
    status_is_current = day >= timezone.localdate()

    # Who is scored: every member on the day, and anyone with an event in the activity window
    # (UNION ALL: the GROUP BY below removes the repeats, in one hash rather than a sort too).
    # A member on the day entered on or before it and had not left by it (exited_on is the
    # first day off the cohort), so a ranking of a past date sees the cohort of that date.
    scored = f"""
        SELECT nominal_id, 1 AS is_member FROM cohorts_cohortmembership
            WHERE {member_on_day}
        UNION ALL SELECT nominal_id, 0 FROM risk_detectedoffence
            WHERE committed_on > %s AND committed_on <= %s
        UNION ALL SELECT nominal_id, 0 FROM risk_arrest
            WHERE arrested_on > %s AND arrested_on <= %s
        UNION ALL SELECT nominal_id, 0 FROM risk_intelligencereport
            WHERE reported_on > %s AND reported_on <= %s"""
    args.extend([day_text, day_text, *[activity_start, day_text] * 3])

    events = """
        SELECT d.nominal_id, 'detection' AS kind, d.outcome AS subtype, t.category,
               t.gravity, d.committed_on AS happened_on
            FROM risk_detectedoffence d JOIN risk_offencetype t ON t.id = d.offence_type_id
            WHERE d.committed_on > %s AND d.committed_on <= %s
        UNION ALL
        SELECT a.nominal_id, 'arrest', a.grounds, t.category, t.gravity, a.arrested_on
            FROM risk_arrest a JOIN risk_offencetype t ON t.id = a.offence_type_id
            WHERE a.arrested_on > %s AND a.arrested_on <= %s
        UNION ALL
        SELECT i.nominal_id, 'intelligence', i.intelligence_source,
               COALESCE(t.category, %s), COALESCE(t.gravity, %s), i.reported_on
            FROM risk_intelligencereport i LEFT JOIN risk_offencetype t
                ON t.id = i.offence_type_id
            WHERE i.reported_on > %s AND i.reported_on <= %s"""
    args.extend([lookback_start, day_text, lookback_start, day_text])
    args.extend([OffenceCategory.OTHER, params.unknown_gravity, lookback_start, day_text])

    weight_args: list = []
    weight = " ".join(
        f"WHEN e.kind = %s AND e.subtype = %s THEN {FLOAT}"
        for kind in EVENT_KINDS
        for _ in params.event_weight[kind]
    )
    for kind in EVENT_KINDS:
        for subtype, value in params.event_weight[kind].items():
            weight_args.extend([kind, subtype, value])
    decay_args: list = []
    decay = " ".join(f"WHEN %s THEN {FLOAT}" for _ in EVENT_KINDS)
    for kind in EVENT_KINDS:
        decay_args.extend([kind, params.decay_per_day(kind)])
    gravity_args: list = []
    gravity = _case(
        "e.gravity", {int(k): v for k, v in params.gravity_points.items()}, gravity_args
    )
    category_args: list = []
    category = _case("e.category", params.category_weight, category_args)
    points = (
        f"(CASE {weight} ELSE 0 END) * {gravity} * {category}"
        f" * EXP(-(CASE e.kind {decay} ELSE 0 END) * {_days_between('%s', 'e.happened_on')})"
    )
    points_args = [*weight_args, *gravity_args, *category_args, *decay_args, day_text]

    factor_args: list = []
    factor_points = _case("f.factor", params.dynamic_factor_points, factor_args)
    in_force = "started_on <= %s AND (ended_on IS NULL OR ended_on >= %s)"
    # A custody period's end is the release date: the person is at liberty from that day
    # (the reports count it the same way: docs/risk-model.md, "The release day").
    inside = "started_on <= %s AND (ended_on IS NULL OR ended_on > %s)"
    needs, needs_args = _needs_sql(params, day)
    current = "1 = 1" if status_is_current else "1 = 0"

    sql = f"""
        WITH scored_any AS ({scored}),
        scored AS (SELECT nominal_id, MAX(is_member) AS is_member FROM scored_any
                   GROUP BY nominal_id),
        events AS ({events})
        SELECT s.nominal_id, x.kind, x.factor_key, x.number, x.points, x.since, s.is_member
        FROM scored s LEFT JOIN (
            SELECT e.nominal_id, e.kind, e.category AS factor_key, COUNT(*) AS number,
                   SUM({points}) AS points, MIN(e.happened_on) AS since
                FROM events e GROUP BY e.nominal_id, e.kind, e.category
            UNION ALL
            SELECT f.nominal_id, 'dynamic', f.factor, COUNT(*), {factor_points},
                   MIN(f.started_on)
                FROM risk_dynamicfactor f WHERE {in_force}
                GROUP BY f.nominal_id, f.factor
            UNION ALL
            SELECT c.nominal_id, 'custody', '', COUNT(*), 0, MIN(c.started_on)
                FROM risk_custodyperiod c WHERE {inside} GROUP BY c.nominal_id
            UNION ALL
            SELECT m.nominal_id, 'custody', '', COUNT(*), 0, MIN(m.entered_on)
                FROM cohorts_cohortmembership m WHERE m.status = %s AND {current}
                GROUP BY m.nominal_id
            UNION ALL
            SELECT r.nominal_id, 'out-of-area', '', COUNT(*), 0, MIN(r.started_on)
                FROM risk_residenceperiod r WHERE r.in_area = %s AND {in_force}
                GROUP BY r.nominal_id{needs}
        ) x ON x.nominal_id = s.nominal_id"""
    if ordered:
        sql += "\n        ORDER BY s.nominal_id"
    all_args = [
        *args,
        *points_args,
        *factor_args,
        day_text,
        day_text,
        day_text,
        day_text,
        MembershipStatus.IN_CUSTODY,
        False,
        day_text,
        day_text,
        *needs_args,
    ]
    return sql, all_args


# --- Folding the rows into assessments --------------------------------------------------------


CONTRIBUTION_FIELDS = ("key", "kind", "factor", "count", "since", "points")


@dataclass(slots=True)
class Scored:
    """One person's result before it is stored. Contributions are kept as tuples (in the order
    of CONTRIBUTION_FIELDS) until written: a run holds every person's result at once."""

    nominal_id: int
    score: Decimal
    band: str
    is_member: bool
    in_custody: bool
    out_of_area: bool
    contributions: list[tuple]
    rank: int | None = None

    @property
    def band_order(self) -> int:
        return BAND_ORDER[Band(self.band)]

    def contribution_dicts(self) -> list[dict]:
        return [dict(zip(CONTRIBUTION_FIELDS, c, strict=True)) for c in self.contributions]


def _as_date(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _fold(nominal_id: int, rows: list, params: ModelParameters) -> Scored:
    is_member = bool(rows[0][6])
    factors: list[dict] = []
    raw = 0.0
    in_custody = out_of_area = False
    custody_since = away_since = None
    for _, kind, key, number, points, since, _member in rows:
        if kind is None:
            continue
        since = _as_date(since)
        if kind == "custody":
            in_custody = True
            custody_since = min(filter(None, [custody_since, since]), default=None)
        elif kind == "out-of-area":
            out_of_area, away_since = True, since
        elif kind == "need":
            raw += float(points)
            factors.append(
                {"key": f"need:{key.split(':')[0]}", "kind": kind, "factor": key, "count": 1,
                 "since": None, "points": float(points)}
            )  # fmt: skip
        else:
            raw += float(points)
            factors.append(
                {"key": f"{kind}:{key}", "kind": kind, "factor": key, "count": int(number),
                 "since": since.isoformat() if since else None, "points": float(points)}
            )  # fmt: skip
    total = raw
    if in_custody:
        reduced = total * params.custody_multiplier
        factors.append(_modifier("custody", custody_since, reduced - total))
        total = reduced
    if out_of_area:
        reduced = total * params.out_of_area_multiplier
        factors.append(_modifier("out-of-area", away_since, reduced - total))
        total = reduced
    score = to_stored(total)
    rounded = [
        (f["key"], f["kind"], f["factor"], f["count"], f["since"], float(to_stored(f["points"])))
        for f in factors
    ]
    rounded.sort(key=lambda f: (-abs(f[5]), f[0]))
    return Scored(
        nominal_id=nominal_id,
        score=score,
        band=params.band_for(score),
        is_member=is_member,
        in_custody=in_custody,
        out_of_area=out_of_area,
        contributions=rounded,
    )


def _modifier(kind: str, since, points: float) -> dict:
    return {
        "key": kind,
        "kind": kind,
        "factor": "",
        "count": 1,
        "since": since.isoformat() if since else None,
        "points": points,
    }


def score_everyone(params: ModelParameters, day: datetime.date) -> Iterator[Scored]:
    """Run the statement and yield one ``Scored`` per person, streaming the rows."""
    sql, args = scoring_sql(params, day)
    # A server-side cursor on PostgreSQL (inside the run's transaction): rows arrive in chunks
    # instead of the whole result set at once.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, args)
        current: list = []
        while True:
            batch = cursor.fetchmany(5000)
            if not batch:
                break
            for row in batch:
                if current and row[0] != current[0][0]:
                    yield _fold(current[0][0], current, params)
                    current = []
                current.append(row)
        if current:
            yield _fold(current[0][0], current, params)


def rank_members(results: list[Scored]) -> None:
    """Standard competition ranking of members by score (equal scores share a rank)."""
    members = sorted((r for r in results if r.is_member), key=lambda r: r.score, reverse=True)
    previous_score, previous_rank = None, 0
    for position, result in enumerate(members, start=1):
        if result.score != previous_score:
            previous_score, previous_rank = result.score, position
        result.rank = previous_rank
