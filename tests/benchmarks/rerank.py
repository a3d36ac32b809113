"""Benchmark of the nightly re-ranking: ``python -m tests.benchmarks.rerank``.

Creates its own PostgreSQL database (``iom_bench`` by default), migrates it, loads 100,000
nominals and 2,000,000 offending rows (detections, arrests, intelligence) with COPY, then
times, in the same process:

* the floor: one hand-written SQL query that computes the same scores and nothing else (run
  once untimed first, so that both are timed with the data in the cache), and
* the re-rank (``cohorts.risk.services.rerank``: on PostgreSQL one INSERT ... SELECT that
  scores, explains, bands, ranks and stores one assessment per person);

and prints both, their ratio and the peak resident memory of the process. Every stored score
must equal the floor's exactly, for exactly the same people. The data has no needs assessed
on the pathways (the run's need subquery reads empty tables), so the floor leaves needs out.
The database is dropped at the end (``--keep`` keeps it). Targets: re-rank under 60 s, within
3x the floor, peak RSS under 500 MB. Not collected by pytest.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m tests.benchmarks.rerank
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import random
import resource
import sys
import time
from urllib.parse import urlsplit, urlunsplit

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
RUN_DATE = datetime.date(2026, 7, 1)
HISTORY_DAYS = 3 * 365
SHARES = {"detection": 0.5, "arrest": 0.3, "intelligence": 0.2}


def _database_url(server: str, name: str) -> str:
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


def _admin_execute(server: str, sql: str) -> None:
    import psycopg2

    connection = psycopg2.connect(server)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    # Measure what production runs: with DEBUG on, Django keeps (and formats) every query.
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iom.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


class _RowStream:
    """A file-like object that COPY reads, producing rows on demand (bounded memory)."""

    def __init__(self, rows):
        self.rows = iter(rows)
        self.buffer = ""

    def read(self, size: int = 65536) -> str:
        while len(self.buffer) < size:
            row = next(self.rows, None)
            if row is None:
                break
            self.buffer += "\t".join(_text(value) for value in row) + "\n"
        chunk, self.buffer = self.buffer[:size], self.buffer[size:]
        return chunk

    readline = read


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", _RowStream(rows))


def load(nominals: int, offending_rows: int, members: int, seed: int) -> None:
    """Generate the data with COPY, streaming (no list of millions of rows in memory)."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.utils import timezone

    from cohorts.risk.models import OffenceType
    from iom.models import Agency, AgencyKind

    rng = random.Random(seed)
    now = timezone.now()
    group = Group.objects.create(name="Agency: Bench Police")
    agency = Agency.objects.create(name="Bench Police", kind=AgencyKind.POLICE, group=group)
    offence_ids = list(OffenceType.objects.values_list("pk", flat=True))
    start = RUN_DATE - datetime.timedelta(days=HISTORY_DAYS)
    connection.ensure_connection()
    raw = connection.connection  # the psycopg connection under Django's
    with raw.cursor() as cursor:
        _copy(
            cursor,
            "cohorts_nominal",
            ["id", "first_names", "surname", "date_of_birth", "gender", "address_line_1",
             "address_line_2", "town", "postcode", "version", "created_at", "updated_at"],
            ((i, f"Bench{i}", f"Person{i}", datetime.date(1990, 1, 1), "male", "", "", "",
              "", 1, now, now) for i in range(1, nominals + 1)),
        )  # fmt: skip
        _copy(
            cursor,
            "cohorts_cohortmembership",
            ["nominal_id", "stream", "national_category", "lead_agency_id", "entered_on",
             "status", "exit_reason", "exit_details", "cap_override_reason", "version",
             "created_at"],
            ((i, "sac", "", agency.pk, start, "active", "", "", "", 1, now)
             for i in range(1, members + 1)),
        )  # fmt: skip

        def events(kind: str, count: int):
            for n in range(count):
                # A skewed spread: a small number of people commit most offences.
                nominal = 1 + int(nominals * rng.random() ** 2)
                day = start + datetime.timedelta(days=rng.randrange(HISTORY_DAYS))
                yield n, nominal, day

        common = ["source", "external_ref", "created_at", "nominal_id"]
        counts = {kind: int(offending_rows * share) for kind, share in SHARES.items()}
        counts["intelligence"] = offending_rows - counts["detection"] - counts["arrest"]
        outcomes, grounds = ["charged", "convicted", "tic"], ["evidence", "suspicion", "forensic"]
        sources = ["police", "informant", "partner", "forensic"]
        _copy(
            cursor,
            "risk_detectedoffence",
            [*common, "committed_on", "offence_type_id", "outcome", "location", "sanction"],
            (("bench", f"D{n}", now, who, day, rng.choice(offence_ids), rng.choice(outcomes),
              "", "") for n, who, day in events("detection", counts["detection"])),
        )  # fmt: skip
        _copy(
            cursor,
            "risk_arrest",
            [*common, "arrested_on", "offence_type_id", "grounds", "location"],
            (("bench", f"A{n}", now, who, day, rng.choice(offence_ids), rng.choice(grounds), "")
             for n, who, day in events("arrest", counts["arrest"])),
        )  # fmt: skip
        _copy(
            cursor,
            "risk_intelligencereport",
            [*common, "reported_on", "intelligence_source", "offence_type_id", "grading",
             "location", "handling_code", "handling_conditions"],
            (("bench", f"I{n}", now, who, day, rng.choice(sources),
              rng.choice(offence_ids) if rng.random() < 0.7 else None, "B2", "", "", "")
             for n, who, day in events("intelligence", counts["intelligence"])),
        )  # fmt: skip
        factor_count = nominals // 10
        _copy(
            cursor,
            "risk_dynamicfactor",
            [*common, "started_on", "factor", "note", "version"],
            (("bench", f"F{n}", now, 1 + rng.randrange(nominals), start, rng.choice(
                ["class-a-use", "no-accommodation", "unemployed"]), "", 1)
             for n in range(factor_count)),
        )  # fmt: skip
        _copy(
            cursor,
            "risk_custodyperiod",
            [*common, "started_on", "establishment"],
            (("bench", f"C{n}", now, 1 + rng.randrange(nominals),
              RUN_DATE - datetime.timedelta(days=30), "") for n in range(nominals // 50)),
        )  # fmt: skip
        _copy(
            cursor,
            "risk_residenceperiod",
            [*common, "started_on", "in_area", "details"],
            (("bench", f"R{n}", now, 1 + rng.randrange(nominals),
              RUN_DATE - datetime.timedelta(days=60), False, "") for n in range(nominals // 50)),
        )  # fmt: skip
        cursor.execute("SELECT setval('cohorts_nominal_id_seq', %s)", [nominals])
        cursor.execute("ANALYZE")


FLOOR_SQL = """
WITH scored AS (
    SELECT nominal_id FROM cohorts_cohortmembership
     WHERE entered_on <= %(day)s AND (exited_on IS NULL OR exited_on > %(day)s)
    UNION SELECT nominal_id FROM risk_detectedoffence WHERE committed_on > %(activity)s
        AND committed_on <= %(day)s
    UNION SELECT nominal_id FROM risk_arrest WHERE arrested_on > %(activity)s
        AND arrested_on <= %(day)s
    UNION SELECT nominal_id FROM risk_intelligencereport WHERE reported_on > %(activity)s
        AND reported_on <= %(day)s
),
points AS (
    SELECT d.nominal_id, w.weight * g.points * c.weight
           * exp(-%(decay_detection)s * (%(day)s::date - d.committed_on)) AS p
      FROM risk_detectedoffence d JOIN risk_offencetype t ON t.id = d.offence_type_id
      JOIN (VALUES %(detection_weights)s) w(k, weight) ON w.k = d.outcome
      JOIN (VALUES %(gravity)s) g(k, points) ON g.k = t.gravity
      JOIN (VALUES %(category)s) c(k, weight) ON c.k = t.category
     WHERE d.committed_on > %(lookback)s AND d.committed_on <= %(day)s
    UNION ALL
    SELECT a.nominal_id, w.weight * g.points * c.weight
           * exp(-%(decay_arrest)s * (%(day)s::date - a.arrested_on))
      FROM risk_arrest a JOIN risk_offencetype t ON t.id = a.offence_type_id
      JOIN (VALUES %(arrest_weights)s) w(k, weight) ON w.k = a.grounds
      JOIN (VALUES %(gravity)s) g(k, points) ON g.k = t.gravity
      JOIN (VALUES %(category)s) c(k, weight) ON c.k = t.category
     WHERE a.arrested_on > %(lookback)s AND a.arrested_on <= %(day)s
    UNION ALL
    SELECT i.nominal_id, w.weight * g.points * c.weight
           * exp(-%(decay_intelligence)s * (%(day)s::date - i.reported_on))
      FROM risk_intelligencereport i LEFT JOIN risk_offencetype t ON t.id = i.offence_type_id
      JOIN (VALUES %(intelligence_weights)s) w(k, weight) ON w.k = i.intelligence_source
      JOIN (VALUES %(gravity)s) g(k, points) ON g.k = COALESCE(t.gravity, %(unknown_gravity)s)
      JOIN (VALUES %(category)s) c(k, weight) ON c.k = COALESCE(t.category, 'other')
     WHERE i.reported_on > %(lookback)s AND i.reported_on <= %(day)s
    UNION ALL
    SELECT f.nominal_id, MAX(v.points)
      FROM risk_dynamicfactor f JOIN (VALUES %(factors)s) v(k, points) ON v.k = f.factor
     WHERE f.started_on <= %(day)s AND (f.ended_on IS NULL OR f.ended_on >= %(day)s)
     GROUP BY f.nominal_id, f.factor
)
SELECT s.nominal_id,
       ROUND((COALESCE(SUM(p.p), 0)
        * CASE WHEN EXISTS (SELECT 1 FROM risk_custodyperiod c WHERE c.nominal_id = s.nominal_id
            AND c.started_on <= %(day)s AND (c.ended_on IS NULL OR c.ended_on >= %(day)s))
            OR %(status_is_current)s AND EXISTS (SELECT 1 FROM cohorts_cohortmembership m
            WHERE m.nominal_id = s.nominal_id AND m.status = 'custody')
            THEN %(custody)s ELSE 1 END
        * CASE WHEN EXISTS (SELECT 1 FROM risk_residenceperiod r WHERE r.nominal_id = s.nominal_id
            AND NOT r.in_area AND r.started_on <= %(day)s
            AND (r.ended_on IS NULL OR r.ended_on >= %(day)s))
            THEN %(away)s ELSE 1 END)::numeric, 2) AS score
  FROM scored s LEFT JOIN points p ON p.nominal_id = s.nominal_id
 GROUP BY s.nominal_id
"""


def _values(mapping: dict, key_is_text: bool = True) -> str:
    def key(value):
        return f"'{value}'" if key_is_text else str(int(value))

    return ", ".join(f"({key(k)}, {float(v)!r}::float8)" for k, v in mapping.items())


def floor_query(params, day: datetime.date) -> tuple[str, dict]:
    """The floor, with the model's numbers written into the SQL (they are trusted config)."""
    sql = FLOOR_SQL
    literals = {
        "detection_weights": _values(params.event_weight["detection"]),
        "arrest_weights": _values(params.event_weight["arrest"]),
        "intelligence_weights": _values(params.event_weight["intelligence"]),
        "gravity": _values(params.gravity_points, key_is_text=False),
        "category": _values(params.category_weight),
        "factors": _values(params.dynamic_factor_points),
    }
    for name, text in literals.items():
        sql = sql.replace(f"%({name})s", text)
    args = {
        "day": day,
        "lookback": day - datetime.timedelta(days=params.lookback_days),
        "activity": day - datetime.timedelta(days=params.activity_window_days),
        "decay_detection": params.decay_per_day("detection"),
        "decay_arrest": params.decay_per_day("arrest"),
        "decay_intelligence": params.decay_per_day("intelligence"),
        "unknown_gravity": params.unknown_gravity,
        "custody": params.custody_multiplier,
        # A membership's custody status is today's: it counts in a ranking of today only.
        "status_is_current": day >= datetime.date.today(),
        "away": params.out_of_area_multiplier,
    }
    return sql, args


def _time_parts(services) -> dict[str, float]:
    """Time the steps the run calls (wrapped in this process only), to show where it goes."""
    parts: dict[str, float] = {}
    steps = {"assessments": (services, "_write_assessments")}
    if hasattr(services, "ogrs3_run"):
        steps["OGRS3"] = (services.ogrs3_run, "score_run")
    for name, (module, attribute) in steps.items():
        original = getattr(module, attribute)

        def timed(*args, _original=original, _name=name, **kwargs):
            started = time.monotonic()
            try:
                return _original(*args, **kwargs)
            finally:
                parts[_name] = parts.get(_name, 0.0) + time.monotonic() - started

        setattr(module, attribute, timed)
    return parts


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nominals", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--database", default="iom_bench")
    parser.add_argument("--seed", type=int, default=20260701)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    args = parser.parse_args(argv)

    server = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    if not server.startswith("postgres"):
        print("The benchmark needs PostgreSQL: set DATABASE_URL to a server.", file=sys.stderr)
        return 2
    name = args.database
    _admin_execute(server, f'DROP DATABASE IF EXISTS "{name}"')
    _admin_execute(server, f'CREATE DATABASE "{name}"')
    try:
        _setup_django(_database_url(server, name))
        started = time.monotonic()
        load(args.nominals, args.rows, args.members, args.seed)
        print(f"Loaded {args.nominals:,} nominals and {args.rows:,} offending rows "
              f"in {time.monotonic() - started:.1f} s")  # fmt: skip
        rss_after_load = peak_rss_mb()

        from django.db import connection

        from cohorts.risk import services
        from cohorts.risk.models import RiskAssessment, RiskModelVersion
        from cohorts.risk.scoring import ModelParameters

        params = ModelParameters.from_json(RiskModelVersion.current().parameters)
        sql, sql_args = floor_query(params, RUN_DATE)
        with connection.cursor() as cursor:
            cursor.execute(sql, sql_args)  # warms the cache for both timings
            cursor.fetchall()
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute(sql, sql_args)
            floor_rows = cursor.fetchall()
        floor_seconds = time.monotonic() - started
        floor_scores = dict(floor_rows)
        del floor_rows

        parts = _time_parts(services)
        started = time.monotonic()
        run = services.rerank(RUN_DATE)
        rerank_seconds = time.monotonic() - started
        peak = peak_rss_mb()

        stored = dict(
            RiskAssessment.objects.filter(run=run).values_list("nominal_id", "score").iterator()
        )
        mismatches = sum(1 for pk, score in stored.items() if score != floor_scores.get(pk))
        mismatches += len(floor_scores.keys() - stored.keys())
        ratio = rerank_seconds / floor_seconds if floor_seconds else math.inf
        print(
            f"People scored: {run.people_scored:,} (members ranked {run.members_ranked:,}); "
            f"floor rows {len(floor_scores):,}; scores differing from the floor: {mismatches}"
        )
        print(f"Re-rank:  {rerank_seconds:.2f} s (target under 60 s)")
        print("          of which " + ", ".join(f"{n} {s:.2f} s" for n, s in parts.items()))
        print(f"Floor:    {floor_seconds:.2f} s (one hand-written SQL query)")
        print(f"Ratio:    {ratio:.2f}x the floor (target within 3x)")
        print(
            f"Peak RSS: {peak:.0f} MB (target under 500 MB; {rss_after_load:.0f} MB after loading)"
        )
        ok = rerank_seconds < 60 and ratio <= 3 and peak < 500 and mismatches == 0
        print("All targets met." if ok else "Some targets were missed.")
        return 0 if ok else 1
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _admin_execute(server, f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    sys.exit(main())
