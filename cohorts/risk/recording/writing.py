"""Writing records: one way for the pages, the API and the feeds. A correction bumps the row's
``version`` and keeps the old values in its audit event (``changes``), whether an officer or a
feed made it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from iom import audit
from iom.models import AuditAction, AuditEvent, AuditSubject

from ..models import IntelligenceReport, OffenceType
from .rules import FIELDS, NAMES

LOOKUP_CHUNK = 2000


@dataclass
class Written:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _offence_codes(ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {pk for pk in ids if pk}
    if not wanted:
        return {}
    return dict(OffenceType.objects.filter(pk__in=wanted).values_list("pk", "code"))


def _readable(values: dict, codes: dict[int, str]) -> dict:
    """Values as an audit trail reads them: the offence by its code, not its row id."""
    shown = {name: value for name, value in values.items() if name != "offence_type_id"}
    if "offence_type_id" in values:
        shown["offence_type"] = codes.get(values["offence_type_id"])
    return shown


def snapshot(row, names) -> dict:
    return {name: getattr(row, name) for name in names}


def write_rows(
    model,
    rows: list[tuple[tuple[str, str], dict]],
    actor,
    *,
    recorded_by=None,
    each_collected: bool = True,
):
    """Create or correct rows keyed (source, external_ref), whose values have passed the
    rules. Call inside a transaction. New rows: one 'collection' event each (unless not
    ``each_collected``: a feed writes one per person itself); corrected rows: their version
    goes up and one 'alteration' event each keeps the old and new values; rows equal to what
    is stored are left alone."""
    written = Written()
    names = [*FIELDS[model], *(["grading"] if model is IntelligenceReport else [])]
    existing = {}
    by_source: dict[str, list[str]] = {}
    for (source, ref), _values in rows:
        by_source.setdefault(source, []).append(ref)
    for source, refs in by_source.items():
        for start in range(0, len(refs), LOOKUP_CHUNK):
            chunk = refs[start : start + LOOKUP_CHUNK]
            # Locked: an officer's correction and a feed's meet here, one after the other.
            locked = model.objects.select_for_update().filter(source=source, external_ref__in=chunk)
            for row in locked:
                existing[(row.source, row.external_ref)] = row
    now = timezone.now()
    to_create, to_update, corrections = [], [], []
    for key, values in rows:
        current = existing.get(key)
        if current is None:
            to_create.append(
                model(source=key[0], external_ref=key[1], recorded_by=recorded_by, **values)
            )
            continue
        before = snapshot(current, names)
        if all(before[name] == values[name] for name in names):
            written.unchanged += 1
            continue
        for name in names:
            setattr(current, name, values[name])
        current.version += 1
        current.updated_at = now
        to_update.append(current)
        corrections.append((current, before))
    model.objects.bulk_create(to_create, batch_size=LOOKUP_CHUNK)
    model.objects.bulk_update(to_update, [*names, "version", "updated_at"], batch_size=LOOKUP_CHUNK)
    written.created, written.updated = len(to_create), len(to_update)
    _audit(model, actor, to_create, corrections, names, each_collected)
    return written, to_create + to_update


def _audit(model, actor, created: list, corrections: list, names, each_collected) -> None:
    ids = [row.offence_type_id for row in created]
    for row, before in corrections:
        ids += [row.offence_type_id, before["offence_type_id"]]
    codes = _offence_codes(ids)
    label, kind = model._meta.label, NAMES[model]
    events = []
    if each_collected:
        for row in created:
            events.append(
                _event(actor, AuditAction.COLLECTION, row.nominal_id, label, row.pk,
                       f"Recorded {kind} {row.source} {row.external_ref}",
                       audit.changes_between({}, _readable(snapshot(row, names), codes)))
            )  # fmt: skip
    for row, before in corrections:
        changes = audit.changes_between(
            _readable(before, codes), _readable(snapshot(row, names), codes)
        )
        events.append(
            _event(actor, AuditAction.ALTERATION, row.nominal_id, label, row.pk,
                   f"Corrected {kind} {row.source} {row.external_ref}", changes)
        )  # fmt: skip
    AuditEvent.objects.bulk_create(events, batch_size=500)


def collection_events(actor, nominal_ids: Iterable[int], description: str) -> None:
    """One 'collection' event per person (a feed that added to their history)."""
    AuditEvent.objects.bulk_create(
        [
            _event(actor, AuditAction.COLLECTION, nominal_id, "cohorts.Nominal", nominal_id,
                   description, {})
            for nominal_id in sorted(set(nominal_ids))
        ],
        batch_size=500,
    )  # fmt: skip


def _event(actor, action, nominal_id, object_type, object_id, description, changes):
    user = actor.user if getattr(actor.user, "is_authenticated", False) else None
    return AuditEvent(
        user=user,
        username=actor.username,
        agency_name=actor.agency_name,
        action=action,
        subject_type=AuditSubject.PERSON,
        subject_id=nominal_id,
        object_type=object_type,
        object_id=str(object_id),
        description=description[:255],
        changes=changes,
        path=actor.path,
        ip_address=actor.ip_address,
    )
