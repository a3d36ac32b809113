"""Template filters for custody: the countdown to an expected release."""

import datetime

from django import template
from django.utils import timezone

from cohorts.risk.custody import countdown

register = template.Library()


@register.filter
def release_countdown(expected_on: datetime.date | None) -> str:
    """ "due out in 14 days", "due out tomorrow", "due out today"; empty without a date."""
    if expected_on is None:
        return ""
    return countdown((expected_on - timezone.localdate()).days)
