"""``manage.py seed_demo``: build the fictional "Demo Shire" IOM area for demonstrations.

Each app contributes its own demo data through an optional ``<app>.demo`` package with a
``seed(rng, stdout, today=...)`` function. The command calls them in INSTALLED_APPS order, so
that an app's seeder finds the records of the apps it depends on; it finds them by name rather
than importing them, because ``iom`` is the lowest layer and must not import the apps above it.

The history is built relative to the day the command runs (two years of panels up to today,
the nightly rankings of the last 60 nights, reviews and actions around today), from seeded
random generators: the same day gives the same area. Once an area is seeded, a later run, on
any day, changes nothing and says so; ``--reset`` rebuilds it for today. Everything runs in
one transaction, so a failure leaves no half-built area.

``--reset`` deletes the embedded SQLite database file and migrates a new one: the audit log
is append-only (the model refuses deletes, and on PostgreSQL a trigger refuses DELETE and
TRUNCATE), so the demo data cannot be deleted row by row. On PostgreSQL, drop and create the
database instead (``dropdb``/``createdb``), then run ``migrate`` and ``seed_demo``.
"""

from __future__ import annotations

import datetime
import importlib
import importlib.util
import random
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from iom.demo import AREA_NAME, DemoDataMissing, SeedResult, seeded_on
from iom.formatting import long_date

from ._demo_report import report

# The base of every app's random seed; change it and the demo people change.
RANDOM_SEED = 20190919


def seeders():
    """(app label, seed function) for every installed app with a ``demo`` package."""
    found = []
    for app_config in apps.get_app_configs():
        module_name = f"{app_config.name}.demo"
        try:
            spec = importlib.util.find_spec(module_name)
        except ModuleNotFoundError:  # the app is a module, not a package
            spec = None
        if spec is None:
            continue
        seed = getattr(importlib.import_module(module_name), "seed", None)
        if callable(seed):
            found.append((app_config.label, seed))
    return found


def seed_all(today: datetime.date, stdout) -> list[tuple[str, SeedResult]]:
    """Run every app's seeder for ``today``, in one transaction."""
    results: list[tuple[str, SeedResult]] = []
    with transaction.atomic():
        for label, seed in seeders():
            rng = random.Random(f"{RANDOM_SEED}:{today.isoformat()}:{label}")
            results.append((label, seed(rng, stdout, today=today) or SeedResult()))
    return results


def _parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = (
        f"Create the fictional '{AREA_NAME}' IOM area (agencies, teams, users, neighbourhoods "
        "and a cohort of synthetic people with two years of history up to today) for "
        "demonstrations, and print the demo logins. Running it again changes nothing; "
        "--reset rebuilds it for today."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with IOM_ENV=production (only for a training copy: every demo "
            "login shares a published password).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the embedded SQLite database, migrate a new one and seed it for "
            "today. Refused in production and on any other database.",
        )
        parser.add_argument(
            "--today",
            type=_parse_day,
            default=None,
            help="Build the area as if today were this date (YYYY-MM-DD), for screenshots.",
        )

    def handle(self, *args, allow_production=False, reset=False, today=None, **options):
        is_production = getattr(settings, "IS_PRODUCTION", False)
        if reset and is_production:
            raise CommandError("Refusing to reset the database of a production service.")
        if is_production and not allow_production:
            raise CommandError(
                "Refusing to load demo data into a production service: the demo logins share "
                "a published password. Use --allow-production for a training copy."
            )
        today = today or timezone.localdate()
        if reset:
            self.reset_database()
        else:
            already = seeded_on()
            if already is not None:
                self.stdout.write(
                    f"{AREA_NAME} is already seeded (on {long_date(already)}): nothing "
                    "changed. Use --reset to rebuild it for today."
                )
                return
        started = time.monotonic()
        try:
            results = seed_all(today, self.stdout)
        except DemoDataMissing as error:
            raise CommandError(str(error)) from error
        report(self, results, time.monotonic() - started, today)

    def reset_database(self) -> None:
        database = connection.settings_dict
        name = str(database.get("NAME") or "")
        if connection.vendor != "sqlite" or not name or name == ":memory:" or "mode=memory" in name:
            raise CommandError(
                "--reset rebuilds only the embedded SQLite database. On PostgreSQL, drop and "
                "create the database (dropdb, createdb), then run migrate and seed_demo."
            )
        connection.close()
        path = Path(name)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        self.stdout.write(f"Deleted {path.name}; migrating a new database.")
        call_command("migrate", interactive=False, verbosity=0)
