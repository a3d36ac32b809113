"""``manage.py import_offending FILE.csv``: import detections, arrests and intelligence."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cohorts.risk import feed_file, importing


class Command(BaseCommand):
    help = (
        "Import offending history (detections, arrests, intelligence) from a CSV feed. Every "
        "row is checked first; nothing is written unless the whole file is valid. Importing "
        "the same file again changes nothing. Columns: "
        + "; ".join(f"{name}: {meaning}" for name, meaning in importing.COLUMNS.items())
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8, header row first).")
        parser.add_argument(
            "--source",
            default="police",
            help="The system the feed comes from; external_ref is unique per source.",
        )

    def handle(self, *args, file: Path, source: str, **options):
        try:
            content = feed_file.read_text(file.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        except feed_file.UnreadableFile as error:
            self._refuse(file, error.errors)

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"Checked {done} of {total} rows")

        result = importing.import_file(content, source=source, by=None, progress=progress)
        if not result.is_valid:
            self._refuse(file, result.errors)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.total} rows from {file}: {result.created} new, "
                f"{result.updated} updated, {result.unchanged} unchanged."
            )
        )

    def _refuse(self, file: Path, errors: list[dict]):
        for error in errors:
            self.stderr.write(feed_file.describe(error))
        raise CommandError(f"{len(errors)} error(s) in {file}: nothing was imported.")
