"""Optimistic locking for records that several officers edit.

A form or API payload carries the ``version`` it was based on; ``lock_for_update`` refuses the
save when the stored version has moved on since, so nobody silently overwrites a colleague.
"""

from typing import Any, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)


class StaleEditError(Exception):
    """Somebody else saved the record after this edit was started."""

    def __init__(self, current: models.Model):
        self.current = current
        super().__init__(
            "Someone else changed this record while you were editing it. Nothing was saved: "
            "review their changes, then make yours again."
        )


def lock_for_update(model: type[M], pk, expected_version: int) -> M:
    """Lock the row and check it is still at ``expected_version``. Call inside a transaction."""
    current = model._default_manager.select_for_update().get(pk=pk)
    versioned: Any = current  # every model locked this way has a ``version`` field
    if versioned.version != expected_version:
        raise StaleEditError(current)
    versioned.version = expected_version + 1
    return current


def lock_for_transaction(namespace: str, key: int) -> None:
    """Wait for the lock named (``namespace``, ``key``) and hold it until the transaction ends:
    two writers of the same thing (the ranking of one date) take turns. On PostgreSQL an
    advisory lock; SQLite lets one writing transaction in at a time anyway (IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s), %s)", [namespace, key])
