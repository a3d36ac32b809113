"""State changes of nominals: creating, editing, sharing, naming offender managers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from iom import access, audit
from iom.locking import lock_for_update
from iom.models import AuditAction, User

from ..identifiers import normalise_identifier
from ..models import Nominal

IDENTIFIER_FIELDS = ("pnc_id", "cro_number", "crn", "prison_number")
EDITABLE_FIELDS = (
    "first_names",
    "surname",
    "date_of_birth",
    "gender",
    *IDENTIFIER_FIELDS,
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "neighbourhood",
    "home_easting",
    "home_northing",
    "lead_agency",
)


def _clean(nominal: Nominal, *, viewer=None) -> None:
    """Validate fields, formats and uniqueness before anything is written."""
    for name in IDENTIFIER_FIELDS:
        setattr(nominal, name, normalise_identifier(getattr(nominal, name)))
    nominal.postcode = (nominal.postcode or "").strip().upper()
    nominal.full_clean(exclude=["offender_managers"], validate_constraints=False)
    _check_identifiers_unique(nominal, viewer=viewer)
    if (nominal.home_easting is None) != (nominal.home_northing is None):
        missing = "home_northing" if nominal.home_northing is None else "home_easting"
        raise ValidationError({missing: "Enter both the easting and the northing of the home"})
    if nominal.lead_agency is not None and not nominal.lead_agency.can_lead:
        raise ValidationError(
            {"lead_agency": "The lead agency must be the Police, the NPS or the CRC"}
        )


def _check_identifiers_unique(nominal: Nominal, *, viewer=None) -> None:
    """One query for all four identifiers; the unique constraints back this up.

    The message names the other record only to a ``viewer`` who may see it (or to the
    system, ``viewer=None``): to anyone else it must not confirm that the record exists.
    """
    wanted = {name: getattr(nominal, name) for name in IDENTIFIER_FIELDS if getattr(nominal, name)}
    if not wanted:
        return
    match_any = Q()
    for name, value in wanted.items():
        match_any |= Q(**{name: value})
    taken = Nominal.objects.filter(match_any).exclude(pk=nominal.pk)
    seen = (
        set(access.restrict(taken, viewer).values_list("pk", flat=True))
        if viewer is not None
        else None
    )
    errors = {}
    for row in taken.values("pk", *wanted):
        for name, value in wanted.items():
            if row[name] != value:
                continue
            label = getattr(Nominal._meta.get_field(name), "verbose_name", name)
            if seen is None or row["pk"] in seen:
                errors[name] = f"Another person's record already has {label} {value}"
            else:
                errors.setdefault(
                    name,
                    f"The {label} {value} cannot be recorded here. Check it; if it is right, "
                    "ask the IOM unit to confirm the person's identity",
                )
    if errors:
        raise ValidationError(errors)


def _snapshot(nominal: Nominal) -> dict[str, Any]:
    return {name: getattr(nominal, name) for name in EDITABLE_FIELDS}


def _save(nominal: Nominal) -> None:
    try:
        with transaction.atomic():
            nominal.save()
    except IntegrityError as error:
        # Two officers entered the same identifier at once: the constraint caught it.
        raise ValidationError("Another nominal already has one of these identifiers") from error


@transaction.atomic
def create_nominal(*, by, offender_managers=(), **fields) -> Nominal:
    """Record a new person. Validates every field first; writes the collection audit event.

    Named offender managers are given access to the record.
    """
    nominal = Nominal(**fields)
    _clean(nominal, viewer=audit.as_actor(by).user)
    _save(nominal)
    audit.record(
        by,
        AuditAction.COLLECTION,
        nominal,
        nominal=nominal,
        description=f"Created the record of {nominal.full_name}",
        changes=audit.changes_between({}, _snapshot(nominal)),
    )
    if offender_managers:
        set_offender_managers(nominal, users=offender_managers, by=by)
    return nominal


@transaction.atomic
def update_nominal(nominal_id: int, *, by, version: int, changes: dict[str, Any]) -> Nominal:
    """Apply ``changes`` to a nominal edited from ``version``.

    Refuses (``StaleEditError``) when someone saved the record since that version, and
    (``ValidationError``) when a field is invalid; in both cases nothing is written.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}")
    nominal = lock_for_update(Nominal, nominal_id, version)
    before = _snapshot(nominal)
    for name, value in changes.items():
        setattr(nominal, name, value)
    _clean(nominal, viewer=audit.as_actor(by).user)
    diff = audit.changes_between(before, _snapshot(nominal))
    if not diff:
        return Nominal.objects.get(pk=nominal_id)
    _save(nominal)
    audit.record(
        by,
        AuditAction.ALTERATION,
        nominal,
        nominal=nominal,
        description=f"Changed {', '.join(diff)}",
        changes=diff,
    )
    return nominal


@transaction.atomic
def set_offender_managers(nominal: Nominal, *, users, by, reason: str = "") -> None:
    """Name the offender managers of a case, giving each of them access to the record."""
    users = list(users)
    before = set(nominal.offender_managers.all())
    for removed in before - set(users):
        access.revoke_from_user(removed, nominal)
    for user in users:
        access.grant_to_user(user, nominal)
    nominal.offender_managers.set(users)
    if before != set(users):
        audit.record(
            by,
            AuditAction.ALTERATION,
            nominal,
            nominal=nominal,
            description="Changed the offender managers",
            reason=reason,
            changes={
                "offender_managers": [
                    sorted(str(u) for u in before),
                    sorted(str(u) for u in users),
                ]
            },
        )


def offender_manager_candidates():
    return (
        User.objects.filter(is_active=True)
        .select_related("agency")
        .order_by("last_name", "first_name")
    )
