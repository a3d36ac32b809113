"""Erasing a person's record under a decision (Data Protection Act 2018, s.47).

A manager of the IOM unit decides that a record must go: it is no longer needed for a
law-enforcement purpose, it was processed unlawfully, or a court has ordered it. Erasure
deletes the person and every record hanging from them, in every app, in one transaction,
and removes their files once that transaction is committed. The audit trail stays: it names
the person by reference only, so it still says what was done with the record and by whom,
and the erasure itself is its last event.

The apps above ``cohorts`` are not imported: the records to delete are found from the
relations the models declare, so a new app's records about a person are erased with no
change here.
"""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction

from iom import audit
from iom.locking import lock_for_update
from iom.models import AuditAction

from ..models import Nominal


class ErasureGround(models.TextChoices):
    NOT_NEEDED = "not-needed", "No longer needed for a law-enforcement purpose"
    UNLAWFUL = "unlawful", "Processed unlawfully"
    COURT_ORDER = "court-order", "Ordered by a court"
    CREATED_IN_ERROR = "error", "Created in error (not a real person, or a duplicate)"


def can_erase(user) -> bool:
    return bool(user is not None and user.is_iom_manager)


def _check(ground: str, decision: str, confirmation: str, nominal: Nominal) -> None:
    errors = {}
    if ground not in ErasureGround.values:
        errors["ground"] = "Select why the record is to be erased"
    if not decision.strip():
        errors["decision"] = "Enter the reference of the decision to erase the record"
    elif len(decision) > 200:
        errors["decision"] = "The decision reference must be 200 characters or fewer"
    if confirmation.strip().casefold() != nominal.surname.strip().casefold():
        errors["confirmation"] = "Enter the person's surname exactly as it is on the record"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def erase_person(
    nominal_id: int, *, by, version: int, ground: str, decision: str, confirmation: str
) -> dict[str, int]:
    """Delete the person and all their records; returns how many rows of each kind went."""
    user = audit.as_actor(by).user
    if not can_erase(user):
        raise PermissionDenied("Only a manager of the IOM unit can erase a record.")
    nominal = lock_for_update(Nominal, nominal_id, version)
    _check(ground, decision, confirmation, nominal)
    files: list[str] = [nominal.photograph] if nominal.photograph else []
    counts: Counter[str] = Counter()
    _delete_dependants(Nominal, [nominal.pk], files, counts, seen=set())
    Nominal._base_manager.filter(pk=nominal.pk).delete()
    counts[Nominal._meta.label] += 1
    audit.record(
        by,
        AuditAction.ERASURE,
        nominal,
        nominal=nominal.pk,
        description="Erased the person's record and every record about them",
        reason=f"{ErasureGround(ground).label}. Decision: {decision.strip()}",
        changes={"deleted": dict(sorted(counts.items()))},
    )
    transaction.on_commit(lambda: _delete_files(files))
    return dict(counts)


def _delete_dependants(model, pks: list, files: list[str], counts: Counter, seen: set) -> None:
    """Delete every row that refers to these rows of ``model``, deepest first."""
    for relation in model._meta.related_objects:
        related = relation.related_model
        if relation.many_to_many:
            through = relation.through
            link = next(
                f.name for f in through._meta.fields if f.is_relation and f.related_model is model
            )
            through._base_manager.filter(**{f"{link}__in": pks}).delete()
            continue
        if relation.on_delete in (models.SET_NULL, models.SET_DEFAULT, models.DO_NOTHING):
            continue
        rows = related._base_manager.filter(**{f"{relation.field.name}__in": pks})
        child_pks = [pk for pk in rows.values_list("pk", flat=True) if (related, pk) not in seen]
        if not child_pks:
            continue
        seen.update((related, pk) for pk in child_pks)
        files.extend(_file_names(related, child_pks))
        _delete_dependants(related, child_pks, files, counts, seen)
        related._base_manager.filter(pk__in=child_pks).delete()
        counts[related._meta.label] += len(child_pks)


def _file_names(model, pks: list) -> list[str]:
    fields = [f.name for f in model._meta.fields if isinstance(f, models.FileField)]
    if not fields:
        return []
    names: list[str] = []
    for row in model._base_manager.filter(pk__in=pks).values_list(*fields):
        names.extend(name for name in row if name)
    return names


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
