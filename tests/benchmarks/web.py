"""Benchmark of the pages officers live in at force scale: ``python -m tests.benchmarks.web``.

Builds its own PostgreSQL database (``iom_bench_web`` by default) with COPY: 100,000 people,
2,000,000 offending rows, 2,000 members with plans and controls, partner shares, 60 nightly
rankings and 5,000,000 audit rows (``--scale 0.05`` for a quick trial). Serves it with
gunicorn (2 workers, ``IOM_ENV=production``), signs in an officer, a partner and a manager
(sessions written straight to the session table, second factor verified), and drives each
page with ``wrk`` (Debian's ``wrk`` package) at concurrency 4 and 16, twice. Prints req/s,
p50, p95 and p99, the ratio to the admin changelist of people, and PASS/FAIL against the
targets of the force-scale issue. Not collected by pytest; never part of ``.ci/run``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m tests.benchmarks.web

To work on one page: build once and keep the database (``--keep``, with a ``SECRET_KEY`` of
your own so that the sessions stay valid), then measure just that page on it as often as
needed (``--reuse --only "Cohort list" --runs 1``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.benchmarks.rerank import (
    DEFAULT_SERVER,
    HISTORY_DAYS,
    RUN_DATE,
    SHARES,
    _admin_execute,
    _copy,
    _database_url,
    _setup_django,
)

ROOT = Path(__file__).resolve().parents[2]
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %f %f %f %f %d %d\\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests, errors))
end
"""

# The admin changelist of people with the cohort list's default filter (current members).
ADMIN_BASELINE = "/bench-admin/cohorts/nominal/?memberships__status__exact=active"
HEADER = f"{'Page':40} {'c':>3} {'req/s':>7} {'p50':>8} {'p95':>8} {'p99':>8} {'x admin':>7}"

# Targets (issue: force scale).
P95_MS, MIN_RPS, ADMIN_RATIO, DASHBOARD_P95_MS = 100.0, 100.0, 5.0, 300.0


def _production_env(url: str, static_root: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        IOM_ENV="production",
        DJANGO_DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=static_root,
        SECURE_HSTS_SECONDS="0",
    )
    env["DJANGO_SETTINGS_MODULE"] = "tests.benchmarks.web_settings"
    return env


def _people_of(scale: float) -> dict:
    return {
        "nominals": max(1000, int(100_000 * scale)),
        "offending": max(20_000, int(2_000_000 * scale)),
        "members": max(50, int(2000 * scale)),
        "audit": max(50_000, int(5_000_000 * scale)),
        "runs": 60,
    }


def _copy_model(cursor, model, given: list[str], rows) -> None:
    """COPY ``rows`` (tuples of the ``given`` fields) into ``model``'s table; every other
    column gets its field's default (NULL, the default, '' or now)."""
    import datetime as dt

    from django.db import models

    now = dt.datetime.now(dt.UTC)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.name in given]
    extra = [f for f in fields if f.attname not in given and f.name not in given]
    defaults = []
    for f in extra:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        elif f.has_default():
            value = f.get_default()
            value = json.dumps(value) if isinstance(f, models.JSONField) else value
        elif f.null:
            value = None
        else:
            value = ""
        defaults.append(value)
    columns = [model._meta.get_field(name).column for name in given] + [f.column for f in extra]
    _copy(cursor, model._meta.db_table, columns, (tuple(row) + tuple(defaults) for row in rows))


def load(nominals: int, offending_rows: int, members: int, seed: int) -> None:
    """People, members and their offending, with COPY (the re-rank benchmark's spread)."""
    from django.db import connection
    from django.utils import timezone

    from cohorts.models import CohortMembership, Nominal
    from cohorts.risk.models import Arrest, DetectedOffence, IntelligenceReport, OffenceType
    from tests import factories

    rng = random.Random(seed)
    now = timezone.now()
    agency = factories.AgencyFactory(name="Bench Police", kind="police")
    offence_ids = list(OffenceType.objects.values_list("pk", flat=True))
    start = RUN_DATE - datetime.timedelta(days=HISTORY_DAYS)
    first = ["John", "Michael", "David", "Paul", "Mark", "James", "Daniel", "Lee", "Craig"]
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        _copy_model(
            cursor, Nominal, ["id", "first_names", "surname", "date_of_birth", "gender",
                              "pnc_id", "lead_agency"],
            ((i, rng.choice(first), f"Person{i}", datetime.date(1970 + i % 35, 1 + i % 12, 1),
              "male", f"{2000 + i % 20}/{i:07d}A", agency.pk) for i in range(1, nominals + 1)),
        )  # fmt: skip
        _copy_model(
            cursor, CohortMembership, ["nominal", "stream", "lead_agency", "entered_on", "status"],
            ((i, "sac", agency.pk, start, "active") for i in range(1, members + 1)),
        )  # fmt: skip

        def events(count: int):
            for n in range(count):
                nominal = 1 + int(nominals * rng.random() ** 2)
                yield n, nominal, start + datetime.timedelta(days=rng.randrange(HISTORY_DAYS))

        counts = {kind: int(offending_rows * share) for kind, share in SHARES.items()}
        common = ["source", "external_ref", "created_at", "nominal"]
        _copy_model(
            cursor, DetectedOffence, [*common, "committed_on", "offence_type", "outcome"],
            (("bench", f"D{n}", now, who, day, rng.choice(offence_ids), "charged")
             for n, who, day in events(counts["detection"])),
        )  # fmt: skip
        _copy_model(
            cursor, Arrest, [*common, "arrested_on", "offence_type", "grounds"],
            (("bench", f"A{n}", now, who, day, rng.choice(offence_ids), "evidence")
             for n, who, day in events(counts["arrest"])),
        )  # fmt: skip
        _copy_model(
            cursor, IntelligenceReport, [*common, "reported_on", "intelligence_source"],
            (("bench", f"I{n}", now, who, day, "police")
             for n, who, day in events(offending_rows - counts["detection"] - counts["arrest"])),
        )  # fmt: skip
        cursor.execute("SELECT setval('cohorts_nominal_id_seq', %s)", [nominals])


def build(sizes: dict, seed: int) -> dict:
    """Load the data; return what the pages need (users, people to open)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from cohorts.controls.models import Licence
    from cohorts.models import Nominal
    from cohorts.risk import current
    from cohorts.risk.models import RankingRun, RiskAssessment, RiskModelVersion
    from cohorts.services import set_offender_managers
    from iom.models import AuditAction, AuditEvent
    from pathways.models import PathwayAction, PlanPathway
    from pathways.services import ensure_plan
    from tests import factories
    from tests.sharing import ensure_agreement, share_with, team_of

    rng = random.Random(seed)
    started = time.monotonic()
    load(sizes["nominals"], sizes["offending"], sizes["members"], seed)
    print(f"  people and offending loaded in {time.monotonic() - started:.0f} s", flush=True)
    members = sizes["members"]
    police = factories.AgencyFactory(name="Bench Police IOM", kind="police")
    officer = factories.IomOfficerFactory(agency=police, username="bench-officer")
    manager = factories.ManagerFactory(agency=police, username="bench-manager")
    housing = factories.AgencyFactory(name="Bench Housing", kind="housing")
    ensure_agreement(housing)
    partner = factories.UserFactory(agency=housing, username="bench-partner")
    team = team_of(partner)
    now = timezone.now()
    with transaction.atomic():
        member_ids = list(range(1, members + 1))
        for pk in member_ids:
            nominal = Nominal(pk=pk)
            ensure_plan(nominal)
        pathways = {
            p.nominal_id: p
            for p in PlanPathway.objects.filter(pathway="ete", nominal_id__in=member_ids)
        }
        PathwayAction.objects.bulk_create(
            PathwayAction(
                plan_pathway=pathways[pk], nominal_id=pk, description="Training course",
                agency=police, assigned_to=officer if pk % 4 == 0 else None,
                due_on=RUN_DATE + datetime.timedelta(days=rng.randrange(-30, 60)),
                created_by=officer,
            )
            for pk in member_ids
        )  # fmt: skip
        Licence.objects.bulk_create(
            Licence(
                nominal_id=pk, release_date=RUN_DATE - datetime.timedelta(days=100),
                licence_expiry_date=RUN_DATE + datetime.timedelta(days=300),
                sentence_expiry_date=RUN_DATE + datetime.timedelta(days=600),
                supervising_officer=officer, created_by=officer,
            )
            for pk in member_ids[::2]
        )  # fmt: skip
        managed = Nominal.objects.filter(pk__in=member_ids[::20])
        for nominal in managed:
            set_offender_managers(nominal, users=[officer], by=officer)
        for nominal in Nominal.objects.filter(pk__in=member_ids[::4]):
            share_with(nominal, team, by=manager)
    print(f"  plans, controls and shares in {time.monotonic() - started:.0f} s", flush=True)
    version = RiskModelVersion.current()
    scored = min(sizes["nominals"], members * 5)
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        _copy_model(
            cursor,
            RankingRun,
            ["run_date", "kind", "status", "model_version", "people_scored", "members_ranked",
             "emerging_threats", "started_at", "finished_at"],
            ((RUN_DATE - datetime.timedelta(days=d), "nightly", "succeeded", version.pk, scored,
              members, 0, now, now) for d in range(sizes["runs"])),
        )  # fmt: skip
        cursor.execute("SELECT id, run_date FROM risk_rankingrun ORDER BY run_date")
        runs = cursor.fetchall()

        def assessments():
            for run_id, day in runs:
                for pk in range(1, scored + 1):
                    score = round(rng.random() * 40, 2)
                    band = "red" if score > 30 else "amber" if score > 15 else "green"
                    order = {"red": 0, "amber": 1, "green": 2}[band]
                    rank = pk if pk <= members else None
                    yield (
                        run_id,
                        pk,
                        version.pk,
                        day,
                        score,
                        band,
                        order,
                        pk <= members,
                        rank,
                        False,
                        False,
                        "[]",
                    )

        _copy_model(
            cursor,
            RiskAssessment,
            ["run", "nominal", "model_version", "assessed_on", "score", "band",
             "band_order", "is_member", "rank", "in_custody", "out_of_area", "contributions"],
            assessments(),
        )  # fmt: skip
    current.rebuild()
    print(f"  {len(runs)} rankings in {time.monotonic() - started:.0f} s", flush=True)
    deep = 1  # the person with the long audit trail
    actions = [a.value for a in AuditAction]
    with connection.connection.cursor() as cursor:

        def events():
            start = now - datetime.timedelta(days=700)
            for n in range(sizes["audit"]):
                who = deep if n % 20 == 0 else 1 + int(sizes["nominals"] * rng.random())
                yield (
                    start + datetime.timedelta(seconds=n * 12),
                    manager.pk,
                    manager.username,
                    police.name,
                    rng.choice(actions),
                    "person",
                    who,
                    "cohorts.nominal",
                    str(who),
                    "Viewed the summary",
                    "{}",
                    "/cohort/",
                    "127.0.0.1",
                )

        _copy_model(
            cursor,
            AuditEvent,
            ["at", "user", "username", "agency_name", "action", "subject_type", "subject_id",
             "object_type", "object_id", "description", "changes", "path", "ip_address"],
            events(),
        )  # fmt: skip
        # What autovacuum would do after a bulk load, done before the measuring starts: left
        # to itself it vacuumed the big tables during the second run.
        cursor.execute("VACUUM (ANALYZE)")
    print(f"  {sizes['audit']:,} audit rows in {time.monotonic() - started:.0f} s", flush=True)
    deep_events = sizes["audit"] // 20
    return {"deep": deep, "shared": 4, "deep_events": deep_events}


def _sign_in() -> dict[str, str]:
    """A session of each benchmark user, second factor verified: {who: session key}."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    cookies = {}
    for name in ("officer", "partner", "manager"):
        user = get_user_model().objects.get(username=f"bench-{name}")
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "iom.backends.UserBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        cookies[name] = session.session_key
    return cookies


def _pages(info: dict) -> list[tuple[str, str, str]]:
    """(label, who, path) of each page measured."""
    person, shared = info["deep"], info["shared"]
    return [
        ("Admin changelist of people", "admin", ADMIN_BASELINE),
        # What any signed-in page costs before its own work (session, user, second factor,
        # team, base template): the ceiling of every other row on this machine.
        ("Floor: a signed-in page with no data", "officer", "/account/password/"),
        ("Cohort list", "officer", "/cohort/"),
        ("Cohort list, search and filter", "officer", "/cohort/?q=Person12&stream=sac"),
        ("Cohort list, search by part of a name", "officer", "/cohort/?q=erson4567"),
        ("Cohort list, sorted by risk", "officer", "/cohort/?sort=rank"),
        ("Cohort list, page 50", "officer", "/cohort/?page=50"),
        ("Cohort list (partner)", "partner", "/cohort/"),
        ("My work", "officer", "/reports/my-work/"),
        ("Dashboard", "manager", "/reports/"),
        ("/api/nominals/", "officer", "/api/nominals/"),
        ("Summary", "officer", f"/cohort/{shared}/"),
        ("Risk", "officer", f"/cohort/{shared}/risk/"),
        ("Pathways", "officer", f"/pathways/{shared}/"),
        ("Controls", "officer", f"/cohort/{shared}/controls/"),
        ("Audit, first page", "manager", f"/cohort/{person}/audit/"),
        ("Audit, deep page", "manager", "DEEP"),
    ]


def _deep_audit_path(base: str, cookie: str, person: int, pages: int) -> str:
    """Follow the audit page's "Older events" links ``pages`` times; return the last path."""
    from html import unescape

    path = f"/cohort/{person}/audit/"
    for _ in range(pages):
        body = _get(base, path, cookie)
        marker = 'rel="next"'
        at = body.find(marker)
        if at < 0:
            break
        href = body.rfind('href="', 0, at)
        path = f"/cohort/{person}/audit/" + unescape(body[href + 6 : body.find('"', href + 6)])
    return path


def _get(base: str, path: str, cookie: str) -> str:
    request = urllib.request.Request(
        base + path, headers={"Cookie": f"sessionid={cookie}", "X-Forwarded-Proto": "https"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        if response.url != base + path:  # sent to sign in: the session was not accepted
            raise RuntimeError(f"{path} redirected to {response.url}")
        return response.read().decode()


def _wrk(base: str, path: str, cookie: str, connections: int, seconds: int, script: str):
    out = subprocess.run(
        ["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", f"{seconds}s",
         "--timeout", "10s", "-s", script, "-H", f"Cookie: sessionid={cookie}",
         "-H", "X-Forwarded-Proto: https", base + path],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    # wrk stops with requests still queued at the server: wait for them before the next run.
    urllib.request.urlopen(base + "/healthz/", timeout=120).read()
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    rps, p50, p95, p99, count, errors = line.split()[1:]
    return float(rps), float(p50), float(p95), float(p99), int(count), int(errors)


def _check(label: str, c4, c16, admin_rps: float) -> list[tuple[str, bool]]:
    """Each target of the page, with whether it is met. A level that completed no request, or
    had errors, meets nothing."""
    checks = []
    for level, figures in ((4, c4), (16, c16)):
        if figures[4] == 0 or figures[5]:
            checks.append((f"c={level}: {figures[4]} requests, {figures[5]} errors", False))
    if checks:
        return checks
    if label == "Dashboard":
        ok = c4[2] <= DASHBOARD_P95_MS
        checks.append((f"p95 {c4[2]:.0f} ms <= {DASHBOARD_P95_MS:.0f} ms", ok))
        return checks
    if label.startswith(("Admin", "Floor")):
        return checks
    checks.append((f"p95 at c=4 {c4[2]:.0f} ms <= {P95_MS:.0f} ms", c4[2] <= P95_MS))
    checks.append((f"{c16[0]:.0f} req/s at c=16 >= {MIN_RPS:.0f}", c16[0] >= MIN_RPS))
    if label == "Cohort list":
        ratio = c16[0] / admin_rps if admin_rps else 0.0
        checks.append((f"{ratio:.1f}x the admin >= {ADMIN_RATIO:.0f}x", ratio >= ADMIN_RATIO))
    return checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("DATABASE_URL", DEFAULT_SERVER))
    parser.add_argument("--database", default="iom_bench_web")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: the issue's volumes")
    parser.add_argument("--seconds", type=int, default=10, help="of load per page and level")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure (and keep) a database an earlier run kept with --keep, not building it",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="WORDS",
        help="measure only the pages whose label holds these words (may be given again)",
    )
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        return 2
    sizes = _people_of(args.scale)
    url = _database_url(args.server, args.database)
    kept = ROOT / "var" / f"bench-web-{args.database}.json"
    reuse = args.reuse and kept.exists() and _database_exists(args.server, args.database)
    if args.reuse and not reuse:
        print(f"Nothing kept to reuse ({kept.name}): building {args.database}", flush=True)
    if not reuse:
        _admin_execute(args.server, f"DROP DATABASE IF EXISTS {args.database}")
        _admin_execute(args.server, f"CREATE DATABASE {args.database}")
    workdir = Path(tempfile.mkdtemp(prefix="iom-bench-web-"))
    gunicorn = None
    failed = 0
    try:
        # The sessions written here are signed with the key the server will use (give
        # SECRET_KEY to keep them valid for a database kept with --keep).
        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
        _setup_django(url)
        if reuse:
            info = json.loads(kept.read_text())
            print(f"Reusing {args.database}: " + json.dumps(info["sizes"]), flush=True)
        else:
            print(f"Building {args.database}: " + json.dumps(sizes), flush=True)
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            info = {**build(sizes, args.seed), "sizes": sizes}
            if args.keep:
                kept.parent.mkdir(exist_ok=True)
                kept.write_text(json.dumps(info))
        # Collected once and kept (compressing the assets takes minutes on a busy machine).
        env = _production_env(url, str(Path(tempfile.gettempdir()) / "iom-bench-web-static"))
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        admin_cookie = _admin_session(url, env)
        cookies = {**_sign_in(), "admin": admin_cookie}
        gunicorn = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "iom.wsgi", "-w", "2",
             "-b", f"127.0.0.1:{args.port}", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{args.port}"
        for _ in range(60):
            try:
                urllib.request.urlopen(base + "/healthz/", timeout=2)
                break
            except OSError:
                time.sleep(1)
        script = workdir / "report.lua"
        script.write_text(WRK_SCRIPT)
        deep_pages = min(2000, info["deep_events"] // 50 - 1)
        pages = []
        measured = [
            page
            for page in _pages(info)
            if not args.only or any(words in page[0] for words in args.only)
        ]
        for label, who, path in measured:
            if path == "DEEP":
                started = time.monotonic()
                path = _deep_audit_path(base, cookies[who], info["deep"], deep_pages)
                label = f"Audit, page {deep_pages + 1}"
                print(f"  (walked to {label} in {time.monotonic() - started:.0f} s)")
            _get(base, path, cookies[who])  # a 500 or a redirect to sign-in stops here
            pages.append((label, who, path))
        for attempt in range(1, args.runs + 1):
            print(f"\nRun {attempt} ({args.seconds} s per page and level)")
            print(HEADER)
            admin_rps = {}
            for label, who, path in pages:
                results = {}
                for level in (4, 16):
                    figures = _wrk(base, path, cookies[who], level, args.seconds, str(script))
                    results[level] = figures
                    if label.startswith("Admin"):
                        admin_rps[level] = figures[0]
                    rps, p50, p95, p99, _, errors = figures
                    ratio = rps / admin_rps[level] if admin_rps.get(level) else 0
                    print(
                        f"{label[:40]:40} {level:>3} {rps:7.1f} {p50:6.1f}ms {p95:6.1f}ms "
                        f"{p99:6.1f}ms {ratio:6.1f}x" + (f"  {errors} errors" if errors else "")
                    )
                for words, ok in _check(label, results[4], results[16], admin_rps.get(16, 0)):
                    failed += not ok
                    print(f"    {'PASS' if ok else 'FAIL'}: {words}")
        print(f"\n{'All targets met' if not failed else f'{failed} figures miss their target'}")
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
        if not (args.keep or args.reuse):
            from django.db import connections

            connections.close_all()
            _admin_execute(args.server, f"DROP DATABASE IF EXISTS {args.database}")
    return 1 if failed else 0


def _database_exists(server: str, name: str) -> bool:
    import psycopg2

    connection = psycopg2.connect(server)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        connection.close()


def _admin_session(url: str, env: dict) -> str:
    """A session of an administrator (staff) with a verified second factor, for the admin."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests import factories

    admin = get_user_model().objects.filter(username="bench-admin").first()
    if admin is None:  # kept from an earlier run (--reuse) or not
        admin = factories.UserFactory(username="bench-admin", is_staff=True, is_superuser=True)
    device, _ = TOTPDevice.objects.get_or_create(
        user=admin, name="bench", defaults={"confirmed": True}
    )
    session = SessionStore()
    session["_auth_user_id"] = str(admin.pk)
    session["_auth_user_backend"] = "iom.backends.UserBackend"
    session["_auth_user_hash"] = admin.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key


if __name__ == "__main__":
    sys.exit(main())
