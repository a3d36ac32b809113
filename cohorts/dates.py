"""Sane bounds for the dates typed into a person's record, with GOV.UK-style messages.

Nothing in the record happened before 1900, and nothing is planned for centuries ahead: a
date outside these bounds is a typing slip (year 1, year 9999), refused with a message that
says which bound it crossed. Models, services and the API all check through these functions,
so every way in gives the same message.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

EARLIEST = datetime.date(1900, 1, 1)
# The furthest ahead an expiry or end date may be: the longest sentences and orders.
YEARS_AHEAD = 50


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def latest(years: int = YEARS_AHEAD) -> datetime.date:
    return years_after(timezone.localdate(), years)


def out_of_bounds(value: datetime.date | None, label: str, *, years: int = YEARS_AHEAD):
    """The message for a date before 1900 or more than ``years`` from today, else None."""
    if not isinstance(value, datetime.date):
        return None
    if value < EARLIEST:
        return f"{label} must be after 1900"
    furthest = latest(years)
    if value > furthest:
        return f"{label} must be on or before {furthest.day} {furthest:%B %Y}"
    return None


def validate_date_of_birth(value: datetime.date | None) -> None:
    """A date of birth is in the past and after 1900."""
    if not isinstance(value, datetime.date):
        return
    if value >= timezone.localdate():
        raise ValidationError("Date of birth must be in the past", code="date_of_birth_future")
    if value < EARLIEST:
        raise ValidationError("Date of birth must be after 1900", code="date_of_birth_too_early")
