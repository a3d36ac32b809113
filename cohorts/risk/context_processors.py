"""The intelligence queue in the service navigation: linked for those who grade intelligence,
with the number of submissions waiting.

The number is on every page an IOM officer opens, so it is kept in the cache for
``IOM_QUEUE_COUNT_SECONDS`` (a setting; 0 counts it on every page) rather than counted each
time. Saving or deleting a submission drops it at once (and again when the transaction
commits), so the officer who submits or grades sees the new number on their next page; another
server process may show the old one for up to that many seconds.
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from . import queries, recording

WAITING_KEY = "risk:intelligence-waiting"


class IntelligenceQueue:
    """Read by the layout. ``shown`` costs no query; ``waiting`` at most one, only when it is
    read (the layout reads it only when ``shown``), and only once per page."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def shown(self) -> bool:
        return recording.can_grade(self.user)

    @cached_property
    def waiting(self) -> int:
        if not self.shown:
            return 0
        # The same number for everyone who grades (the IOM unit sees every submission).
        seconds = settings.IOM_QUEUE_COUNT_SECONDS
        waiting = cache.get(WAITING_KEY) if seconds else None
        if waiting is None:
            waiting = queries.waiting_submissions(self.user).order_by().count()
            if seconds:
                cache.set(WAITING_KEY, waiting, seconds)
        return waiting


def forget_waiting(**kwargs) -> None:
    """A submission was saved or deleted: count again on the next page."""
    cache.delete(WAITING_KEY)
    transaction.on_commit(lambda: cache.delete(WAITING_KEY))


def intelligence_queue(request) -> dict:
    return {"intelligence_queue": IntelligenceQueue(getattr(request, "user", None))}
