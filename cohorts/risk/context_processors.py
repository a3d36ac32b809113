"""The intelligence queue in the service navigation: linked for those who grade intelligence,
with the number of submissions waiting."""

from __future__ import annotations

from functools import cached_property

from . import queries, recording


class IntelligenceQueue:
    """Read by the layout. ``shown`` costs no query; ``waiting`` one, only when it is read
    (the layout reads it only when ``shown``), and only once per page."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def shown(self) -> bool:
        return recording.can_grade(self.user)

    @cached_property
    def waiting(self) -> int:
        if not self.shown:
            return 0
        return queries.waiting_submissions(self.user).order_by().count()


def intelligence_queue(request) -> dict:
    return {"intelligence_queue": IntelligenceQueue(getattr(request, "user", None))}
