"""Benchmark of the reports for managers: ``python -m tests.benchmarks.reports``.

Creates its own PostgreSQL database (``iom_reports_bench`` by default), migrates it and loads
a cohort of 400 people with two years of history (about 20,000 proven and charged offences,
custody periods, monthly risk assessments, engagement, need assessments, breaches and drug
tests), then times:

* building last month's cohort report (figures, PDF, CSV, XLSX) — target under 15 s;
* after growing the system to 100,000 nominals (2,000 of them members), the dashboard's
  server time (the request through Django, median of several) — target under 300 ms.

The database is dropped at the end (``--keep`` keeps it). Not collected by pytest.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m tests.benchmarks.reports
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time

from tests.benchmarks.rerank import DEFAULT_SERVER, _admin_execute, _copy, _database_url


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iom.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(*, first_id: int, people: int, members: int, offences_each: int, seed: int, today):
    """People ``first_id``.. with memberships (the first ``members``), offences, custody,
    engagement, needs and controls over the two years before ``today``, by COPY."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.utils import timezone

    from cohorts.risk.models import OffenceType
    from iom.models import Agency, AgencyKind, User

    rng = random.Random(seed)
    now = timezone.now()
    agency = Agency.objects.filter(name="Bench Police").first()
    if agency is None:
        group = Group.objects.create(name="Agency: Bench Police")
        agency = Agency.objects.create(name="Bench Police", kind=AgencyKind.POLICE, group=group)
    user = User.objects.filter(username="bench").first() or User.objects.create(
        username="bench", agency=agency, role="manager"
    )
    offence_ids = list(OffenceType.objects.values_list("pk", flat=True))
    start = today - datetime.timedelta(days=730)
    ids = range(first_id, first_id + people)
    member_ids = list(ids)[:members]
    raw = connection.connection
    with raw.cursor() as cursor:
        _copy(
            cursor,
            "cohorts_nominal",
            ["id", "first_names", "surname", "date_of_birth", "gender", "address_line_1",
             "address_line_2", "town", "postcode", "version", "created_at", "updated_at",
             "photograph"],
            ((i, f"Bench{i}", f"Person{i}", datetime.date(1975 + i % 30, 1 + i % 12, 1),
              "male", "", "", "", "", 1, now, now, "") for i in ids),
        )  # fmt: skip
        entries = {i: start + datetime.timedelta(days=rng.randint(0, 700)) for i in member_ids}
        _copy(
            cursor,
            "cohorts_cohortmembership",
            ["nominal_id", "stream", "national_category", "lead_agency_id", "entered_on",
             "status", "exit_reason", "exit_details", "cap_override_reason", "version",
             "created_at"],
            ((i, rng.choice(["sac", "ppo", "violence"]), "", agency.pk, entries[i], "active",
              "", "", "", 1, now) for i in member_ids),
        )  # fmt: skip

        def offences():
            for i in member_ids:
                for n in range(offences_each):
                    day = (
                        start
                        - datetime.timedelta(days=365)
                        + datetime.timedelta(days=rng.randint(0, 1090))
                    )
                    proven = rng.random() < 0.6
                    sanction_day = min(day + datetime.timedelta(days=rng.randint(20, 200)), today)
                    outcome, sanction = ("convicted", "conviction") if proven else ("charged", "")
                    sanctioned = sanction_day if proven else None
                    offence = rng.choice(offence_ids)
                    yield ("bench", f"D{i}-{n}", now, i, day, offence, outcome, "", sanction,
                           sanctioned)  # fmt: skip

        _copy(
            cursor,
            "risk_detectedoffence",
            ["source", "external_ref", "created_at", "nominal_id", "committed_on",
             "offence_type_id", "outcome", "location", "sanction", "sanction_date"],
            offences(),
        )  # fmt: skip
        _copy(
            cursor,
            "risk_custodyperiod",
            ["source", "external_ref", "created_at", "nominal_id", "started_on", "ended_on",
             "establishment"],
            (("bench", f"C{i}", now, i, entries[i] - datetime.timedelta(days=200),
              entries[i] - datetime.timedelta(days=100), "") for i in member_ids[::2]),
        )  # fmt: skip
        _copy(
            cursor,
            "cohorts_engagement",
            ["nominal_id", "status", '"on"', "note", "recorded_by_id", "recorded_at"],
            ((i, rng.choice(["engaged", "partial", "declined"]), entries[i], "", user.pk, now)
             for i in member_ids),
        )  # fmt: skip
    return member_ids


def assessments(member_ids, today, seed: int) -> None:
    """One ranking run at the end of each of the last 24 months."""
    from cohorts.risk.models import RankingRun, RiskAssessment, RiskModelVersion
    from reports.measures.periods import months_up_to

    rng = random.Random(seed)
    version = RiskModelVersion.current()
    rows = []
    for month in months_up_to(today - datetime.timedelta(days=today.day)):
        run = RankingRun.objects.create(
            kind="on-demand", run_date=month.end, status="succeeded", model_version=version
        )
        for i in member_ids:
            band, order = rng.choice([("red", 1), ("amber", 2), ("green", 3)])
            rows.append(
                RiskAssessment(
                    run=run,
                    nominal_id=i,
                    model_version=version,
                    assessed_on=month.end,
                    score=rng.randint(1, 80),
                    band=band,
                    band_order=order,
                    is_member=True,
                )
            )
    RiskAssessment.objects.bulk_create(rows, batch_size=5000)


def time_report(today) -> tuple[float, int]:
    from reports import monthly
    from reports.measures.periods import last_month

    period = last_month(today)
    started = time.monotonic()
    report, _ = monthly._create_request(
        start=period.start, end=period.end, by=None, with_annex=False, trigger="monthly"
    )
    report = monthly.build_report(report.pk)
    assert report.status == "ready", report.error
    return time.monotonic() - started, report.page_count


def time_dashboard(repeat: int) -> list[float]:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from iom.models import Team, User

    setup_test_environment()
    manager = User.objects.get(username="bench")
    if manager.team is None:
        team = Team.objects.create(
            agency=manager.agency, name="Bench IOM", is_iom_unit=True,
            group=__import__("django.contrib.auth.models", fromlist=["Group"]).Group.objects.create(
                name="Team: Bench IOM"
            ),
        )  # fmt: skip
        manager.team = team
        manager.save()
    client = Client()
    client.force_login(manager)
    timings = []
    for _ in range(repeat + 1):
        started = time.monotonic()
        response = client.get("/reports/")
        timings.append(time.monotonic() - started)
        assert response.status_code == 200
    return timings[1:]  # the first warms the caches


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="iom_reports_bench")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=20261101)
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
        from django.db import connection
        from django.utils import timezone

        today = timezone.localdate()
        started = time.monotonic()
        members = load(first_id=1, people=400, members=400, offences_each=50, seed=args.seed,
                       today=today)  # fmt: skip
        assessments(members, today, args.seed)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"Loaded 400 members, 20,000 offences, 9,600 assessments "
              f"in {time.monotonic() - started:.1f} s")  # fmt: skip
        seconds, pages = time_report(today)
        verdict = "PASS" if seconds < 15 else "FAIL"
        print(f"{verdict}  Monthly cohort report (400 members, 2 years): {seconds:.2f} s, "
              f"{pages} pages (target under 15 s)")  # fmt: skip

        started = time.monotonic()
        load(first_id=401, people=99_600, members=1_600, offences_each=10,
             seed=args.seed + 1, today=today)  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"Grew to 100,000 nominals (2,000 members) in {time.monotonic() - started:.1f} s")
        timings = time_dashboard(args.repeat)
        verdict = "PASS" if statistics.median(timings) < 0.3 else "FAIL"
        print(f"{verdict}  Dashboard server time at 100,000 nominals: median "
              f"{statistics.median(timings) * 1000:.0f} ms, worst {max(timings) * 1000:.0f} ms "
              f"over {len(timings)} requests (target under 300 ms)")  # fmt: skip
        ok = seconds < 15 and statistics.median(timings) < 0.3
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _admin_execute(server, f'DROP DATABASE IF EXISTS "{name}"')
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
