"""``manage.py seed_demo``: build the fictional "Demo Shire" IOM area for demonstrations.

Each app contributes its own demo data through an optional ``<app>.demo`` module with a
``seed(rng, stdout)`` function. The command calls them in INSTALLED_APPS order, so that an
app's seeder finds the records of the apps it depends on; it finds them by name rather than
importing them, because ``iom`` is the lowest layer and must not import the apps above it.

Every seeder uses its own fixed random seed and creates only what does not exist yet: a second
run changes nothing. Everything runs in one transaction, so a failure leaves no half-built area.
"""

from __future__ import annotations

import importlib
import importlib.util
import random
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from iom.demo import AREA_NAME, DemoDataMissing, Login, SeedResult

# The base of every app's random seed; change it and the demo people change.
RANDOM_SEED = 20190919


def seeders():
    """(app label, seed function) for every installed app with a ``demo`` module."""
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


class Command(BaseCommand):
    help = (
        f"Create the fictional '{AREA_NAME}' IOM area (agencies, teams, users, neighbourhoods "
        "and a cohort of synthetic people) for demonstrations, and print the demo logins. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with IOM_ENV=production (only for a training copy: every demo "
            "login shares a published password).",
        )

    def handle(self, *args, allow_production=False, **options):
        if getattr(settings, "IS_PRODUCTION", False) and not allow_production:
            raise CommandError(
                "Refusing to load demo data into a production service: the demo logins share "
                "a published password. Use --allow-production for a training copy."
            )
        started = time.monotonic()
        results: list[tuple[str, SeedResult]] = []
        try:
            with transaction.atomic():
                for label, seed in seeders():
                    rng = random.Random(f"{RANDOM_SEED}:{label}")
                    results.append((label, seed(rng, self.stdout) or SeedResult()))
        except DemoDataMissing as error:
            raise CommandError(str(error)) from error
        self.report(results, time.monotonic() - started)

    def report(self, results: list[tuple[str, SeedResult]], seconds: float) -> None:
        out = self.stdout
        out.write(self.style.MIGRATE_HEADING(f"{AREA_NAME} demo data"))
        for label, result in results:
            if result.created:
                made = ", ".join(f"{n} {kind}" for kind, n in result.created.items())
                out.write(f"  {label}: created {made}")
            else:
                out.write(f"  {label}: already seeded, nothing created")
            for line in result.summary:
                out.write(f"  {line}")
            for note in result.notes:
                out.write(self.style.WARNING(f"  {label}: {note}"))
        out.write(f"  Done in {seconds:.1f} s. Every person and place is fictional.")

        logins: list[Login] = [login for _, result in results for login in result.logins]
        visible: dict[str, int] = {}
        for _, result in results:
            visible.update(result.visible)
        passwords = {result.password for _, result in results if result.password}
        if not logins:
            return
        rows = [("Username", "Role", "Agency", "Can see")]
        for login in logins:
            sees = login.sees
            if login.username in visible:
                sees = f"{sees}: {visible[login.username]} people"
            agency = f"{login.agency}, {login.team}" if login.team else login.agency
            rows.append((login.username, login.role, agency, sees))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        out.write("")
        out.write(self.style.MIGRATE_HEADING("Demo logins"))
        for i, row in enumerate(rows):
            line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            line = f"  {line}  {row[3]}"
            out.write(self.style.MIGRATE_LABEL(line) if i == 0 else line)
        for password in sorted(passwords):
            out.write("")
            out.write(f"Password for every demo login: {password}")
