"""Template filters for control measures."""

import datetime

from django import template

register = template.Library()


@register.filter
def elapsed(value: datetime.timedelta | None) -> str:
    """A duration as officers say it: "2 days 3 h 5 min", "45 min", "under a minute"."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} h")
    if minutes and not days:
        parts.append(f"{minutes} min")
    return " ".join(parts)


@register.filter
def elapsed_since(recall, now: datetime.datetime) -> str:
    """How long a recall has taken: to the return to custody, or to ``now`` while open."""
    return elapsed(recall.elapsed(now))
