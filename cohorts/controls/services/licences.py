"""Licences and their conditions: recording them, changing them, and the licence that
follows a release from custody."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cohorts.models import Nominal
from cohorts.risk.models import (
    CustodyKind,
    CustodyPeriod,
)
from iom import audit
from iom.formatting import long_date
from iom.locking import lock_for_update
from iom.models import AuditAction

from .. import dates
from ..models import (
    ConditionType,
    Licence,
    LicenceCondition,
)
from .checks import raise_if_any, require_change


def current_licence(nominal: Nominal, day: datetime.date | None = None) -> Licence | None:
    """The licence the person is on on ``day``: released on or before it, not yet expired."""
    day = day or timezone.localdate()
    return (
        Licence.objects.filter(nominal=nominal, release_date__lte=day, licence_expiry_date__gte=day)
        .order_by("-release_date", "-id")
        .first()
    )


def _check_licence_dates(
    release_date: datetime.date,
    licence_expiry_date: datetime.date,
    sentence_expiry_date: datetime.date,
) -> None:
    raise_if_any(dates.licence_errors(release_date, licence_expiry_date, sentence_expiry_date))


def _check_no_overlap(licence: Licence, nominal: Nominal) -> None:
    other = dates.overlapping(licence)
    if other is not None:
        raise ValidationError(
            {"release_date": f"{nominal.full_name} already has a licence for those dates ({other})"}
        )


@transaction.atomic
def create_licence(
    nominal: Nominal,
    *,
    by,
    release_date: datetime.date,
    licence_expiry_date: datetime.date,
    sentence_expiry_date: datetime.date,
    supervising_officer=None,
    offence: str = "",
) -> Licence:
    """Record a licence period. Refuses expiry dates before release and a licence that
    overlaps another of the same person (one licence at a time)."""
    actor = audit.as_actor(by)
    require_change(actor, nominal)
    _check_licence_dates(release_date, licence_expiry_date, sentence_expiry_date)
    licence = Licence(
        nominal=nominal,
        release_date=release_date,
        licence_expiry_date=licence_expiry_date,
        sentence_expiry_date=sentence_expiry_date,
        supervising_officer=supervising_officer,
        offence=offence.strip(),
        created_by=actor.user,
    )
    _check_no_overlap(licence, nominal)
    licence.save()
    audit.record(actor, AuditAction.COLLECTION, licence, nominal=nominal, description=f"{licence}")
    return licence


LICENCE_FIELDS = (
    "release_date",
    "licence_expiry_date",
    "sentence_expiry_date",
    "supervising_officer",
    "offence",
)


@transaction.atomic
def update_licence(licence_id: int, *, by, version: int, changes: dict[str, Any]) -> Licence:
    """Change a licence's dates, supervising officer or offence. Refuses an edit based on a
    stale ``version`` (StaleEditError), impossible dates, dates that meet another licence of
    the person, and dates that would leave a breach or sanction of this licence outside it
    (naming them)."""
    actor = audit.as_actor(by)
    licence = lock_for_update(Licence, licence_id, version)
    require_change(actor, licence.nominal)
    before = {name: getattr(licence, name) for name in LICENCE_FIELDS}
    for name, value in changes.items():
        if name not in LICENCE_FIELDS:
            raise ValueError(f"{name} is not a licence field one may change.")
        setattr(licence, name, value.strip() if isinstance(value, str) else value)
    _check_licence_dates(
        licence.release_date, licence.licence_expiry_date, licence.sentence_expiry_date
    )
    raise_if_any(dates.left_outside_errors(licence))
    _check_no_overlap(licence, licence.nominal)
    licence.save()
    after = {name: getattr(licence, name) for name in LICENCE_FIELDS}
    audit.record(
        actor,
        AuditAction.ALTERATION,
        licence,
        nominal=licence.nominal,
        description="Changed a licence",
        changes=audit.changes_between(before, after),
    )
    return licence


@transaction.atomic
def add_condition(
    licence: Licence, *, by, condition_type: str, text: str, is_drug_testing: bool = False
) -> LicenceCondition:
    """Add a standard or additional condition to a licence."""
    actor = audit.as_actor(by)
    require_change(actor, licence.nominal)
    errors = {}
    if condition_type not in ConditionType.values:
        errors["condition_type"] = "Select standard or additional"
    if not text.strip():
        errors["text"] = "Enter the wording of the condition"
    raise_if_any(errors)
    condition = LicenceCondition.objects.create(
        licence=licence,
        condition_type=condition_type,
        text=text.strip(),
        is_drug_testing=is_drug_testing,
    )
    audit.record(
        actor,
        AuditAction.COLLECTION,
        condition,
        nominal=licence.nominal,
        description=f"Added a licence condition: {condition}",
    )
    return condition


def licence_on_release(period: CustodyPeriod, *, actor: audit.Actor, options: dict) -> None:
    """A release step (``custody.register_release_step``): the licence follows the release.

    After a recall, the recalled licence records the re-release. After a custodial sentence,
    a licence recorded ahead for this sentence (released on or after custody began) takes the
    actual release date; with no such licence and ``options`` giving ``licence_expiry_date``
    and ``sentence_expiry_date``, a licence from the release date is recorded."""
    released_on = period.ended_on
    if released_on is None:
        return  # not released
    if period.kind == CustodyKind.RECALL:
        _re_release(period.nominal, released_on, actor)
    elif period.kind == CustodyKind.SENTENCE:
        _release_on_licence(period, released_on, actor, options)


def _re_release(nominal: Nominal, released_on: datetime.date, actor: audit.Actor) -> None:
    """The recalled licence records the re-release onto it, if any of it is left."""
    licence = (
        Licence.objects.select_for_update()
        .filter(nominal=nominal, recalled_on__isnull=False, re_released_on__isnull=True)
        .order_by("-recalled_on", "-id")
        .first()
    )
    if licence is None:
        return
    if released_on > licence.licence_expiry_date:
        return  # released at the end of the licence: nothing left to re-release onto
    licence.re_released_on = max(released_on, licence.recalled_on or released_on)
    licence.version += 1
    licence.save(update_fields=["re_released_on", "version"])
    audit.record(
        actor,
        AuditAction.ALTERATION,
        licence,
        nominal=nominal,
        description=f"Re-released on licence on {long_date(released_on)}",
        changes={"re_released_on": [None, released_on.isoformat()]},
    )


def _release_on_licence(
    period: CustodyPeriod, released_on: datetime.date, actor: audit.Actor, options: dict
) -> None:
    """After a custodial sentence: the licence recorded ahead takes the actual release date,
    or one is recorded from ``options``."""
    nominal = period.nominal
    licence = (
        Licence.objects.select_for_update()
        .filter(nominal=nominal, release_date__gte=period.started_on)
        .order_by("release_date", "id")
        .first()
    )
    if licence is not None:
        if licence.release_date == released_on:
            return
        before = licence.release_date
        _check_licence_dates(released_on, licence.licence_expiry_date, licence.sentence_expiry_date)
        licence.release_date = released_on
        licence.version += 1
        licence.save(update_fields=["release_date", "version"])
        audit.record(
            actor,
            AuditAction.ALTERATION,
            licence,
            nominal=nominal,
            description=f"Licence release date set to {long_date(released_on)} on release",
            changes={"release_date": [before.isoformat(), released_on.isoformat()]},
        )
        return
    expiry, sentence_expiry = (
        options.get("licence_expiry_date"),
        options.get("sentence_expiry_date"),
    )
    if expiry and sentence_expiry:
        create_licence(
            nominal,
            by=actor,
            release_date=released_on,
            licence_expiry_date=expiry,
            sentence_expiry_date=sentence_expiry,
            supervising_officer=options.get("supervising_officer"),
            offence=options.get("offence", ""),
        )
