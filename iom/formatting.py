"""How the service writes dates, times and figures, on pages, in documents and in exports,
in the GOV.UK style: "1 December 2026" in text, "1 Dec 2026" in tables, "6:12pm", "260,360".

Template filters of the same names are in iom/templatetags/govuk.py."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

# Names that keep their capitals inside a sentence.
PROPER_NAMES = (
    "Class A", "Class B", "Class C", "National Probation Service", "Community Rehabilitation",
    "Home Office", "Ministry of Justice", "MoJ", "Crown Court", "Magistrates",
)  # fmt: skip


def in_sentence(text) -> str:
    """A label as it reads inside a sentence: "Received by the IOM unit" becomes "received
    by the IOM unit" (not "received by the iom unit"); "Class A drugs", "PNC ID" and other
    names keep their capitals."""
    text = str(text or "").strip()
    if not text or text.startswith(PROPER_NAMES):
        return text
    first = text.split(" ", 1)[0]
    if any(c.isupper() for c in first[1:]) or any(c.isdigit() for c in first):
        return text
    return text[:1].lower() + text[1:]


def without_full_stop(text) -> str:
    """Text that a sentence goes on after: "Bail (charged 20 Nov 2026)." loses its full stop,
    so that the sentence's own does not make two."""
    return str(text or "").rstrip().rstrip(".")


def with_note(text, note: str) -> str:
    """``text`` with ``note`` added before its full stop, unless it already says it:
    "Attend drug testing." + "(test on licence)" -> "Attend drug testing (test on licence).";
    "Attend drug testing (test on licence)." stays as it is."""
    text = str(text or "").rstrip()
    if note.lower() in text.lower():
        return text
    if text.endswith("."):
        return f"{text[:-1]} {note}."
    return f"{text} {note}" if text else note


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _parsed(value):
    """A date or time given as ISO text (as stored figures keep them) becomes one; other text
    is left as it is."""
    if not isinstance(value, str):
        return value
    for kind in (datetime.datetime, datetime.date, datetime.time):
        try:
            return kind.fromisoformat(value.strip())
        except ValueError:
            continue
    return value


def long_date(value: datetime.date | None) -> str:
    """1 December 2026"""
    value = _parsed(value)
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value).date()
    return f"{value.day} {value:%B %Y}"


def short_date(value: datetime.date | None) -> str:
    """1 Dec 2026: in tables."""
    value = _parsed(value)
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value).date()
    return f"{value.day} {value:%b %Y}"


def time_of_day(value: datetime.datetime | datetime.time | None) -> str:
    """6:12pm, 9am, midday, midnight (GOV.UK style)."""
    value = _parsed(value)
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value).time()
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def long_datetime(value: datetime.datetime | None) -> str:
    """1 December 2026 at 6:12pm"""
    value = _parsed(value)
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return f"{long_date(value)} at {time_of_day(value)}"


def short_datetime(value: datetime.datetime | None) -> str:
    """1 Dec 2026, 6:12pm: in tables."""
    value = _parsed(value)
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return f"{short_date(value)}, {time_of_day(value)}"


def figure(value) -> str:
    """A count or an amount with thousands separators: 260,360; 3.42; a dash when missing.
    Text is left as it is."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return f"{value:,}"
    return str(value)
