"""``manage.py check_heartbeat SOURCE --max-age SECONDS``: fail unless SOURCE beat recently."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from iom.models import Heartbeat


class Command(BaseCommand):
    help = (
        "Exit with an error unless the heartbeat SOURCE was recorded within --max-age seconds. "
        "The scheduler's health check: beat sends the 'beat' heartbeat every minute and a "
        "worker records it, so a stale one means beat (or every worker) has stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="The heartbeat's source, e.g. beat or worker.")
        parser.add_argument(
            "--max-age", type=int, default=180, help="Seconds after which it is stale."
        )

    def handle(self, *args, source: str, max_age: int, **options):
        beat = Heartbeat.objects.filter(source=source).first()
        if beat is None:
            raise CommandError(f"No '{source}' heartbeat has been recorded yet.")
        age = timezone.now() - beat.at
        if age > timedelta(seconds=max_age):
            raise CommandError(
                f"The '{source}' heartbeat is {int(age.total_seconds())} seconds old "
                f"(more than {max_age})."
            )
        self.stdout.write(f"'{source}' heartbeat {int(age.total_seconds())} seconds ago")
