"""Adding a person directly, their aliases, their photograph and their offender managers.

Each function checks who may make the change first, validates before anything is written and
writes its audit event in the same transaction.
"""

from __future__ import annotations

import datetime
import io
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from iom import access, audit
from iom.locking import lock_for_update
from iom.models import AuditAction

from ..models import Alias, Nominal
from .duplicates import NewPerson, check_new_person
from .nominals import create_nominal, set_offender_managers

# A photograph is refused above this size or these dimensions, and stored re-encoded at most
# PHOTOGRAPH_STORED_SIDE pixels on its longer side.
PHOTOGRAPH_MAX_BYTES = 5 * 1024 * 1024
PHOTOGRAPH_MAX_SIDE = 6000
PHOTOGRAPH_MIN_SIDE = 100
PHOTOGRAPH_STORED_SIDE = 800
PHOTOGRAPH_FORMATS = {"JPEG", "PNG"}


def _actor_user(by):
    return audit.as_actor(by).user


def _require_iom_unit(by, what: str) -> None:
    user = _actor_user(by)
    if user is not None and not user.sees_whole_cohort:
        raise PermissionDenied(f"Only officers and managers of the IOM unit can {what}.")


def _require_change(by, nominal: Nominal) -> None:
    user = _actor_user(by)
    if user is not None and not access.can(user, "change", nominal):
        raise PermissionDenied("You cannot change this person's record.")


# --- Adding a person -------------------------------------------------------------------------


@transaction.atomic
def add_person(
    person: NewPerson, *, by, confirmed_new_person: bool = False, lead_agency=None
) -> Nominal:
    """Put a person on the system without a referral (the IOM unit only; partners refer).

    The same duplicate check as a referral: raises ``PossibleDuplicates`` when the person
    looks like records already held, unless the officer confirmed the person is new; an
    identifier already held is refused by ``create_nominal``.
    """
    _require_iom_unit(by, "add a person without a referral")
    user = _actor_user(by)
    if user is not None:
        check_new_person(user, person, confirmed_new_person=confirmed_new_person)
    return create_nominal(by=by, lead_agency=lead_agency, **vars(person))


# --- Aliases --------------------------------------------------------------------------------

ALIAS_FIELDS = ("first_names", "surname", "date_of_birth")


def _alias_snapshot(alias: Alias) -> dict:
    return {name: getattr(alias, name) for name in ALIAS_FIELDS}


def _clean_alias(alias: Alias) -> None:
    alias.first_names = (alias.first_names or "").strip()
    alias.surname = (alias.surname or "").strip()
    if not alias.surname:
        raise ValidationError({"surname": "Enter the surname the person is known by"})
    alias.full_clean(exclude=["nominal"])


@transaction.atomic
def add_alias(
    nominal: Nominal,
    *,
    by,
    surname: str,
    first_names: str = "",
    date_of_birth: datetime.date | None = None,
) -> Alias:
    """Record another name (and date of birth) the person is known by."""
    _require_change(by, nominal)
    alias = Alias(
        nominal=nominal, first_names=first_names, surname=surname, date_of_birth=date_of_birth
    )
    _clean_alias(alias)
    alias.save()
    audit.record(
        by,
        AuditAction.COLLECTION,
        alias,
        nominal=nominal,
        description=f"Added the alias {alias}",
        changes=audit.changes_between({}, _alias_snapshot(alias)),
    )
    return alias


@transaction.atomic
def update_alias(alias_id: int, *, by, version: int, changes: dict) -> Alias:
    """Correct an alias edited from ``version``; refuses a stale edit (``StaleEditError``)."""
    unknown = set(changes) - set(ALIAS_FIELDS)
    if unknown:
        raise ValidationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}")
    alias = lock_for_update(Alias, alias_id, version)
    _require_change(by, alias.nominal)
    before = _alias_snapshot(alias)
    for name, value in changes.items():
        setattr(alias, name, value)
    _clean_alias(alias)
    diff = audit.changes_between(before, _alias_snapshot(alias))
    if not diff:
        return Alias.objects.get(pk=alias_id)
    alias.save()
    audit.record(
        by,
        AuditAction.ALTERATION,
        alias,
        nominal=alias.nominal,
        description=f"Changed the alias {alias}",
        changes=diff,
    )
    return alias


@transaction.atomic
def remove_alias(alias_id: int, *, by, version: int) -> None:
    """Remove an alias seen at ``version``; the audit keeps what it said."""
    alias = lock_for_update(Alias, alias_id, version)
    _require_change(by, alias.nominal)
    nominal = alias.nominal
    audit.record(
        by,
        AuditAction.ERASURE,
        alias,
        nominal=nominal,
        description=f"Removed the alias {alias}",
        changes=audit.changes_between(_alias_snapshot(alias), dict.fromkeys(ALIAS_FIELDS)),
    )
    alias.delete()


# --- Offender managers ----------------------------------------------------------------------


@transaction.atomic
def change_offender_managers(nominal: Nominal, *, by, users, reason: str) -> None:
    """Change the offender managers after the panel (the IOM unit only), saying why; the
    previous managers lose their personal access to the record."""
    _require_iom_unit(by, "change the offender managers")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the offender managers change"})
    set_offender_managers(nominal, users=users, by=by, reason=reason.strip())


# --- Photograph -----------------------------------------------------------------------------


def _reencoded(upload) -> bytes:
    """The photograph as a JPEG without its metadata (location, camera, thumbnails), checked
    by its content, not its name: JPEG or PNG, within the size and dimension limits."""
    if upload.size > PHOTOGRAPH_MAX_BYTES:
        raise ValidationError(
            {
                "photograph": "The photograph must be smaller than "
                f"{PHOTOGRAPH_MAX_BYTES // 2**20} MB"
            }
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            kind = probe.format
            width, height = probe.size
            probe.verify()
        if kind not in PHOTOGRAPH_FORMATS:
            raise ValidationError({"photograph": "The photograph must be a JPEG or PNG image"})
        if max(width, height) > PHOTOGRAPH_MAX_SIDE or min(width, height) < PHOTOGRAPH_MIN_SIDE:
            raise ValidationError(
                {
                    "photograph": f"The photograph must be between {PHOTOGRAPH_MIN_SIDE} and "
                    f"{PHOTOGRAPH_MAX_SIDE} pixels on each side"
                }
            )
        upload.seek(0)
        with Image.open(upload) as opened:
            image = opened.convert("RGB")
            image.thumbnail((PHOTOGRAPH_STORED_SIDE, PHOTOGRAPH_STORED_SIDE))
            output = io.BytesIO()
            # A new image from the pixels alone: no EXIF, ICC, XMP or comments are carried.
            clean = Image.new("RGB", image.size)
            clean.paste(image)
            clean.save(output, format="JPEG", quality=85)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError({"photograph": "The file is not a JPEG or PNG image"}) from error
    return output.getvalue()


@transaction.atomic
def set_photograph(nominal_id: int, *, by, upload, version: int) -> Nominal:
    """Store a new photograph of the person (through the storage API) and forget the old one
    once the change is committed. Refuses anything but a JPEG or PNG within the limits."""
    nominal = lock_for_update(Nominal, nominal_id, version)
    _require_change(by, nominal)
    content = _reencoded(upload)
    previous = nominal.photograph
    name = default_storage.save(
        f"photographs/{nominal.pk}/{uuid.uuid4().hex}.jpg", ContentFile(content)
    )
    # The old file goes once the new name is committed; the new one goes if nothing is.
    if previous:
        transaction.on_commit(lambda: default_storage.delete(previous))
    nominal.photograph = name
    try:
        nominal.save(update_fields=["photograph", "version", "updated_at"])
        audit.record(
            by,
            AuditAction.ALTERATION if previous else AuditAction.COLLECTION,
            nominal,
            nominal=nominal,
            description="Replaced the photograph" if previous else "Added a photograph",
            changes={"photograph": [previous or None, name]},
        )
    except Exception:
        default_storage.delete(name)
        raise
    return nominal


def photograph_bytes(nominal: Nominal) -> bytes | None:
    """The stored photograph, or None (no photograph, or its file is missing)."""
    if not nominal.photograph:
        return None
    try:
        with default_storage.open(nominal.photograph, "rb") as stored:
            return stored.read()
    except (FileNotFoundError, OSError):
        return None
