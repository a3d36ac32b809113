"""What every row of a person's history has: the reference it has in its source system, unique
per source, so that a feed can be imported again without duplicating anything."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

# The source of rows officers type in themselves (their external reference is generated).
OFFICER_SOURCE = "officer"


class SourcedRecord(models.Model):
    """A row of the history as one source system knows it."""

    source = models.CharField(
        max_length=40,
        default=OFFICER_SOURCE,
        help_text="The system the row came from (officer for rows typed in here).",
    )
    external_ref = models.CharField("External reference", max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class CorrectableRecord(SourcedRecord):
    """A row officers (and feeds) may correct: ``version`` refuses a save based on a stale
    copy (iom.locking); ``recorded_by`` is empty for rows that came from a feed."""

    # Database defaults too: the feeds' bulk loaders and the benchmarks write with COPY.
    version = models.PositiveIntegerField(default=1, db_default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        abstract = True


def unique_ref(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=["source", "external_ref"], name=f"{name}_unique_ref")
