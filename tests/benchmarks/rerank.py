"""Benchmark of the nightly re-ranking: ``python -m tests.benchmarks.rerank``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m tests.benchmarks.rerank

Not collected by pytest, never part of ``.ci/run``. Each round (two by default, printed one
after the other) creates its own PostgreSQL database (``iom_rerank_bench`` by default),
migrates it, and loads with COPY 100,000 people (about 2% of them in custody and 2% living
out of the area), 2,000 cohort members, 2,000,000 offending rows (half detections, many of
them convictions or cautions with their sanction dates, 30% arrests, 20% intelligence),
10,000 dynamic factors and custody periods, some ended. Then, in one process:

1. **Fresh, never analysed.** Autovacuum is off for the loaded tables and nothing runs
   ANALYZE, as on a database just bulk-loaded; each table is read once (a ``count(*)``, which
   sets the hint bits and fills the cache but gathers no statistics). The re-rank
   (``cohorts.risk.services.rerank``: the assessments and the OGRS3 results) is timed.
2. Its rows are removed (TRUNCATE), autovacuum is switched back on and the database is
   analysed.
3. **The floor** (``tests/benchmarks/rerank_floor.py``): one hand-written ``INSERT ...
   SELECT``, written from docs/risk-model.md, docs/ogrs3.md and the shared risk notes and not
   from the code it judges, that writes the same rows: one assessment per person (score,
   band, rank, the contributions as JSON, largest first) and one OGRS3 result per person
   (inputs, probabilities, percentages, band, or the input that stopped the score). It
   inserts them into scratch tables made ``LIKE`` the real ones ``INCLUDING ALL`` (the same
   columns, defaults, checks and indexes, unique ones included) with the real tables'
   foreign keys added (deferred, as Django makes them), and commits: the floor pays for the
   same writes, index entries, foreign-key checks and commit as the run, with the run's
   ``work_mem`` and JIT off, as the run sets them. It runs once untimed (then its rows are
   truncated) and once timed, on the analysed database: the floor is given the best
   conditions, and both cases of the re-rank are compared with it.
4. **Analysed.** The re-rank is timed again on the analysed database.
5. Every stored assessment must equal the floor's (score, band, rank, membership, modifiers
   and every contribution) and every OGRS3 result too (inputs, figures to 1e-12, band and
   the input that stopped the score), for exactly the same people.

Memory: the peak resident set of this process during each timed step (sampled from
``/proc/self/status`` every 20 ms, beside ``ru_maxrss`` for the whole process), and, since
on PostgreSQL the work is done by the database backend serving the run's connection, the
peak of that backend (a new connection for each step): its private memory (``RssAnon``,
sampled: the sorts, hashes and aggregates of the run's statements) and its high-water mark
``VmHWM``, printed for information, which also counts the pages of the server's shared
buffers that it touched (up to ``shared_buffers``, memory the server holds whoever reads
it). The 300 MB target applies to this process's peak and to the backend's private peak.

Targets (issue 18), in each case and each round: the re-rank under 30 s, at most 1.5 times
the floor, peak memory under 300 MB, and rows equal to the floor's. ``--keep`` keeps the
last round's database.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import resource
import sys
import threading
import time
from urllib.parse import urlsplit, urlunsplit

from tests.benchmarks.rerank_floor import ASSESSMENT_COLUMNS, OGRS3_COLUMNS, floor_sql

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
RUN_DATE = datetime.date(2026, 7, 1)
HISTORY_DAYS = 3 * 365
SHARES = {"detection": 0.5, "arrest": 0.3, "intelligence": 0.2}
TARGET_SECONDS = 30.0
TARGET_RATIO = 1.5
TARGET_MB = 300.0
LOADED_TABLES = (
    "cohorts_nominal",
    "cohorts_cohortmembership",
    "risk_detectedoffence",
    "risk_arrest",
    "risk_intelligencereport",
    "risk_dynamicfactor",
    "risk_custodyperiod",
    "risk_residenceperiod",
)
OUTPUT_TABLES = ("risk_ogrs3result", "risk_riskassessment")
FLOOR_TABLES = {"risk_riskassessment": "floor_assessment", "risk_ogrs3result": "floor_ogrs3"}


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


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def load(nominals: int, offending_rows: int, members: int, seed: int) -> None:
    """Generate the data with COPY, streaming (no list of millions of rows in memory). No
    ANALYZE, and autovacuum off for these tables: the database is as just bulk-loaded."""
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
    start = RUN_DATE - _days(HISTORY_DAYS)
    genders = ["male"] * 85 + ["female"] * 13 + ["unknown"] * 2
    with connection.cursor() as cursor:
        for table in LOADED_TABLES:
            cursor.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
    connection.ensure_connection()
    raw = connection.connection  # the psycopg connection under Django's
    with raw.cursor() as cursor:
        _copy(
            cursor,
            "cohorts_nominal",
            ["id", "first_names", "surname", "date_of_birth", "gender", "address_line_1",
             "address_line_2", "town", "postcode", "version", "created_at", "updated_at",
             "photograph"],
            ((i, f"Bench{i}", f"Person{i}",
              datetime.date(1950, 1, 1) + _days(rng.randrange(58 * 365)), rng.choice(genders),
              "", "", "", "", 1, now, now, "") for i in range(1, nominals + 1)),
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

        def events(count: int):
            for n in range(count):
                # A skewed spread: a small number of people commit most offences.
                nominal = 1 + int(nominals * rng.random() ** 2)
                day = start + _days(rng.randrange(HISTORY_DAYS))
                yield n, nominal, day

        def detections(count: int):
            for n, who, day in events(count):
                outcome = rng.choice(["charged", "convicted", "tic"])
                sanction, sanction_date = "", None
                if outcome != "charged" or rng.random() < 0.3:
                    sanction = "caution" if outcome == "charged" else "conviction"
                    sanction_date = min(day + _days(rng.randrange(150)), RUN_DATE + _days(30))
                yield ("bench", f"D{n}", now, who, day, rng.choice(offence_ids), outcome, "",
                       sanction, sanction_date)  # fmt: skip

        common = ["source", "external_ref", "created_at", "nominal_id"]
        counts = {kind: int(offending_rows * share) for kind, share in SHARES.items()}
        counts["intelligence"] = offending_rows - counts["detection"] - counts["arrest"]
        grounds = ["evidence", "suspicion", "forensic"]
        sources = ["police", "informant", "partner", "forensic"]
        _copy(
            cursor,
            "risk_detectedoffence",
            [*common, "committed_on", "offence_type_id", "outcome", "location", "sanction",
             "sanction_date"],
            detections(counts["detection"]),
        )  # fmt: skip
        _copy(
            cursor,
            "risk_arrest",
            [*common, "arrested_on", "offence_type_id", "grounds", "location"],
            (("bench", f"A{n}", now, who, day, rng.choice(offence_ids), rng.choice(grounds), "")
             for n, who, day in events(counts["arrest"])),
        )  # fmt: skip
        _copy(
            cursor,
            "risk_intelligencereport",
            [*common, "reported_on", "intelligence_source", "offence_type_id", "grading",
             "location", "handling_code", "handling_conditions"],
            (("bench", f"I{n}", now, who, day, rng.choice(sources),
              rng.choice(offence_ids) if rng.random() < 0.7 else None, "", "", "", "")
             for n, who, day in events(counts["intelligence"])),
        )  # fmt: skip
        _copy(
            cursor,
            "risk_dynamicfactor",
            [*common, "started_on", "factor", "note", "version"],
            (("bench", f"F{n}", now, 1 + rng.randrange(nominals), start, rng.choice(
                ["class-a-use", "no-accommodation", "unemployed"]), "", 1)
             for n in range(nominals // 10)),
        )  # fmt: skip

        def custody(count: int):
            for n in range(count):
                began = RUN_DATE - _days(rng.randrange(1, 400))
                ended = None if n % 2 == 0 else began + _days(rng.randrange(1, 300))
                yield "bench", f"C{n}", now, 1 + rng.randrange(nominals), began, ended, ""

        _copy(
            cursor,
            "risk_custodyperiod",
            [*common, "started_on", "ended_on", "establishment"],
            custody(nominals // 25),
        )
        _copy(
            cursor,
            "risk_residenceperiod",
            [*common, "started_on", "in_area", "details"],
            (("bench", f"R{n}", now, 1 + rng.randrange(nominals), RUN_DATE - _days(60), False,
              "") for n in range(nominals // 50)),
        )  # fmt: skip
        cursor.execute("SELECT setval('cohorts_nominal_id_seq', %s)", [nominals])


def never_analysed(cursor) -> list[str]:
    """The loaded tables with no statistics (never analysed, by hand or by autovacuum)."""
    cursor.execute(
        "SELECT relname FROM pg_stat_user_tables WHERE relname = ANY(%s)"
        " AND last_analyze IS NULL AND last_autoanalyze IS NULL",
        [list(LOADED_TABLES)],
    )
    return sorted(row[0] for row in cursor.fetchall())


def warm(cursor) -> None:
    """Read each table once: cache and hint bits, as any first reader would; no statistics."""
    for table in LOADED_TABLES:
        cursor.execute(f"SELECT count(*) FROM {table}")


class Memory:
    """Samples this process's RSS and one backend's memory while a step runs."""

    def __init__(self, backend_pid: int):
        self.backend_pid = backend_pid
        self.process_kb = self.backend_anon_kb = self.backend_hwm_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @staticmethod
    def _status(pid) -> dict[str, int]:
        values = {}
        try:
            with open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    key, _, rest = line.partition(":")
                    if rest.strip().endswith("kB"):
                        values[key] = int(rest.split()[0])
        except OSError:
            pass
        return values

    def _read(self) -> None:
        mine, backend = self._status("self"), self._status(self.backend_pid)
        self.process_kb = max(self.process_kb, mine.get("VmRSS", 0))
        self.backend_anon_kb = max(self.backend_anon_kb, backend.get("RssAnon", 0))
        self.backend_hwm_kb = max(self.backend_hwm_kb, backend.get("VmHWM", 0))

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self._read()

    def __enter__(self):
        self._read()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._read()

    @property
    def peak_mb(self) -> float:
        return max(self.process_kb, self.backend_anon_kb) / 1024

    def describe(self) -> str:
        return (
            f"process {self.process_kb / 1024:.0f} MB, backend {self.backend_hwm_kb / 1024:.0f}"
            f" MB (private {self.backend_anon_kb / 1024:.0f} MB)"
        )


def _new_backend():
    """A fresh connection, so that the backend's high-water mark is this step's."""
    from django.db import connection, connections

    connections.close_all()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


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


def time_rerank(services, parts: dict) -> tuple[float, Memory, object]:
    parts.clear()
    memory = Memory(_new_backend())
    with memory:
        started = time.monotonic()
        run = services.rerank(RUN_DATE)
        seconds = time.monotonic() - started
    return seconds, memory, run


def make_floor_tables(cursor) -> None:
    """Scratch tables of the same shape as the run's: columns, defaults, checks, indexes
    (unique ones too) and the same foreign keys, deferred as Django makes them."""
    for real, scratch in FLOOR_TABLES.items():
        cursor.execute(f"DROP TABLE IF EXISTS {scratch}")
        cursor.execute(f"CREATE TABLE {scratch} (LIKE {real} INCLUDING ALL)")
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype = 'f'",
            [real],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {scratch} ADD CONSTRAINT floor_{name} {definition}")


def time_floor(parameters: dict, run, version_id: int) -> tuple[float, Memory]:
    """The floor once untimed (its rows then truncated), then once timed, each committed."""
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from cohorts.risk import assessing
    from cohorts.risk.ogrs3.reference import OGRS3_V3

    sql = floor_sql(
        parameters,
        RUN_DATE,
        run_id=run.pk,
        version_id=version_id,
        ogrs3_version=OGRS3_V3.version,  # a label stored on each row, not a calculation
        status_counts=timezone.localdate() <= RUN_DATE,
        assessments=FLOOR_TABLES["risk_riskassessment"],
        ogrs3_results=FLOOR_TABLES["risk_ogrs3result"],
    )
    # The same server settings as the run's transaction: its work_mem, and no JIT.
    work_mem = getattr(settings, "RISK_RANKING_WORK_MEM", assessing.STATEMENT_WORK_MEM)
    configure = "SELECT set_config('work_mem', %s, true), set_config('jit', 'off', true)"
    with connection.cursor() as cursor:
        make_floor_tables(cursor)
        with transaction.atomic():
            cursor.execute(configure, [work_mem])
            cursor.execute(sql)
        cursor.execute(f"TRUNCATE {', '.join(FLOOR_TABLES.values())}")
    memory = Memory(_new_backend())
    with memory:
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(configure, [work_mem])
            cursor.execute(sql)
        seconds = time.monotonic() - started
    return seconds, memory


def differences(run_id: int) -> dict[str, int]:
    """Rows of the run that differ from the floor's, or that only one of them has."""
    from django.db import connection

    assessed = [c.strip() for c in ASSESSMENT_COLUMNS.split(",")][2:]
    ogrs3 = [
        c.strip()
        for c in OGRS3_COLUMNS.split(",")
        if c.strip() not in ("run_id", "nominal_id", "one_year", "two_year", "unscored_reason")
    ]

    def row(alias: str, names: list[str]) -> str:
        return "(" + ", ".join(f"{alias}.{c}" for c in names) + ")"

    queries = {
        "assessments": f"""
            SELECT count(*) FROM (SELECT * FROM risk_riskassessment WHERE run_id = %s) r
              FULL JOIN {FLOOR_TABLES["risk_riskassessment"]} f USING (nominal_id)
             WHERE r.id IS NULL OR f.id IS NULL
                OR {row("r", assessed)} IS DISTINCT FROM {row("f", assessed)}""",
        "OGRS3 results": f"""
            SELECT count(*) FROM (SELECT * FROM risk_ogrs3result WHERE run_id = %s) r
              FULL JOIN {FLOOR_TABLES["risk_ogrs3result"]} f USING (nominal_id)
             WHERE r.id IS NULL OR f.id IS NULL
                OR {row("r", ogrs3)} IS DISTINCT FROM {row("f", ogrs3)}
                OR (r.one_year IS NULL) <> (f.one_year IS NULL)
                OR abs(r.one_year - f.one_year) > 1e-12
                OR abs(r.two_year - f.two_year) > 1e-12""",
    }
    found = {}
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            cursor.execute(sql, [run_id])
            found[name] = cursor.fetchone()[0]
    return found


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def one_round(args, server: str, number: int, parts: dict) -> bool:
    from django.core.management import call_command
    from django.db import connection, connections

    name = args.database
    connections.close_all()
    _admin_execute(server, f'DROP DATABASE IF EXISTS "{name}"')
    _admin_execute(server, f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    load(args.nominals, args.rows, args.members, args.seed)
    print(f"\nRound {number}: loaded {args.nominals:,} people, {args.rows:,} offending rows and "
          f"{args.members:,} members in {time.monotonic() - started:.1f} s")  # fmt: skip

    from cohorts.risk import services
    from cohorts.risk.models import RiskModelVersion

    with connection.cursor() as cursor:
        warm(cursor)
        unanalysed = never_analysed(cursor)
    print(f"  never analysed before the fresh run: {len(unanalysed)} of {len(LOADED_TABLES)} "
          "loaded tables")  # fmt: skip
    cases = {}
    fresh_seconds, fresh_memory, run = time_rerank(services, parts)
    cases["fresh, never analysed"] = (fresh_seconds, fresh_memory, dict(parts))

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(OUTPUT_TABLES)}")
        for table in LOADED_TABLES:
            cursor.execute(f"ALTER TABLE {table} RESET (autovacuum_enabled)")
        cursor.execute("ANALYZE")
    version = RiskModelVersion.current()
    floor_seconds, floor_memory = time_floor(version.parameters, run, version.pk)

    analysed_seconds, analysed_memory, run = time_rerank(services, parts)
    cases["analysed"] = (analysed_seconds, analysed_memory, dict(parts))
    run.refresh_from_db()
    differing = differences(run.pk)

    print(
        f"  people scored {run.people_scored:,}, members ranked {run.members_ranked:,}; "
        + "; ".join(f"{n} differing from the floor's: {c}" for n, c in differing.items())
    )
    print(f"  floor (one INSERT ... SELECT, analysed): {floor_seconds:.2f} s, "
          f"memory {floor_memory.describe()}")  # fmt: skip
    ok = all(count == 0 for count in differing.values())
    print(f"  rows equal to the floor's: {_verdict(ok)}")
    for case, (seconds, memory, steps) in cases.items():
        ratio = seconds / floor_seconds
        split = ", ".join(f"{n} {s:.2f} s" for n, s in steps.items())
        print(f"  re-rank, {case}: {seconds:.2f} s ({split})")
        checks = [
            (f"time {seconds:.2f} s < {TARGET_SECONDS:.0f} s", seconds < TARGET_SECONDS),
            (f"ratio {ratio:.2f}x <= {TARGET_RATIO}x the floor", ratio <= TARGET_RATIO),
            (f"peak memory {memory.describe()} < {TARGET_MB:.0f} MB",
             memory.peak_mb < TARGET_MB),
        ]  # fmt: skip
        for text, passed in checks:
            print(f"    {_verdict(passed)}  {text}")
            ok = ok and passed
    whole = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  this process's peak RSS over the whole round (loading included): {whole:.0f} MB")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nominals", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--database", default="iom_rerank_bench")
    parser.add_argument("--seed", type=int, default=20260701)
    parser.add_argument("--keep", action="store_true", help="Keep the last database.")
    args = parser.parse_args(argv)

    server = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    if not server.startswith("postgres"):
        print("The benchmark needs PostgreSQL: set DATABASE_URL to a server.", file=sys.stderr)
        return 2
    _setup_django(_database_url(server, args.database))
    from cohorts.risk import services

    parts = _time_parts(services)
    results = []
    try:
        for number in range(1, args.rounds + 1):
            results.append(one_round(args, server, number, parts))
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _admin_execute(server, f'DROP DATABASE IF EXISTS "{args.database}"')
    print("\n" + ("All targets met in every round." if all(results) else "Some targets missed."))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
