"""The dates of licences and control measures: inside sane bounds, and consistent with the
records that hang from a licence (its breaches and sanctions), so that no edit leaves a
breach outside the licence it is a breach of."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cohorts import dates
from iom.formatting import long_date

from .models import Breach, Licence, Sanction

LICENCE_DATES = (
    ("release_date", "The release date"),
    ("licence_expiry_date", "The licence expiry date"),
    ("sentence_expiry_date", "The sentence expiry date"),
)


def in_the_past(day: datetime.date | None, field: str, label: str, errors: dict) -> None:
    """A date something happened on: today or before, and after 1900."""
    if day is None:
        return
    if day > timezone.localdate():
        errors[field] = f"{label} must be today or in the past"
    elif day < dates.EARLIEST:
        errors[field] = f"{label} must be after 1900"


def bounds_errors(**labelled: tuple[str, datetime.date | None]) -> dict[str, str]:
    """{field: message} for each (label, date) outside 1900 to the furthest date allowed."""
    errors = {}
    for field, (label, value) in labelled.items():
        message = dates.out_of_bounds(value, label)
        if message:
            errors[field] = message
    return errors


def licence_errors(
    release_date: datetime.date,
    licence_expiry_date: datetime.date,
    sentence_expiry_date: datetime.date,
) -> dict[str, str]:
    values = (release_date, licence_expiry_date, sentence_expiry_date)
    errors = bounds_errors(
        **{
            field: (label, value)
            for (field, label), value in zip(LICENCE_DATES, values, strict=True)
        }
    )
    if errors:
        return errors
    if licence_expiry_date < release_date:
        errors["licence_expiry_date"] = "The licence expiry date must be on or after release"
    if sentence_expiry_date < release_date:
        errors["sentence_expiry_date"] = "The sentence expiry date must be on or after release"
    return errors


def overlapping(licence: Licence) -> Licence | None:
    """Another licence of the same person whose dates meet this one's."""
    return (
        Licence.objects.filter(
            nominal_id=licence.nominal_id,
            release_date__lte=licence.licence_expiry_date,
            licence_expiry_date__gte=licence.release_date,
        )
        .exclude(pk=licence.pk)
        .first()
    )


def left_outside_errors(licence: Licence) -> dict[str, str]:
    """The breaches and sanctions of a licence that its (changed) dates would leave outside
    it, named on the date that would leave them out."""
    start, end = licence.release_date, licence.licence_expiry_date
    early_breaches = Breach.objects.filter(licence=licence, occurred_on__lt=start)
    late_breaches = Breach.objects.filter(licence=licence, occurred_on__gt=end)
    early_sanctions = Sanction.objects.filter(licence=licence, issued_on__lt=start)
    errors = {}
    before = [str(b) for b in early_breaches.order_by("occurred_on")] + [
        f"{s.get_level_display()} issued on {long_date(s.issued_on)}"
        for s in early_sanctions.order_by("issued_on")
    ]
    if before:
        errors["release_date"] = (
            f"{_listed(before)} would be before the release date: the release date must be on "
            "or before the first record of this licence"
        )
    after = [str(b) for b in late_breaches.order_by("occurred_on")]
    if after:
        errors["licence_expiry_date"] = (
            f"{_listed(after)} would be after the licence expires: the licence expiry date "
            "must be on or after the last breach of this licence"
        )
    return errors


def _listed(items: list[str]) -> str:
    """'Breach on 01/02/2026, breach on 03/02/2026 and written warning issued on …'."""
    items = [items[0], *(item[0].lower() + item[1:] for item in items[1:])]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
