"""When a review or action falls due, relative to a given day (always passed in, never read
from the clock here, so that month and year ends can be tested with fixed dates)."""

from __future__ import annotations

import datetime

OVERDUE = "overdue"
THIS_WEEK = "this-week"
LATER = "later"

BUCKET_LABELS = {
    OVERDUE: "Overdue",
    THIS_WEEK: "Due this week",
    LATER: "Later",
}


def end_of_week(today: datetime.date) -> datetime.date:
    """The Sunday of ``today``'s week (weeks run Monday to Sunday)."""
    return today + datetime.timedelta(days=6 - today.weekday())


def bucket(due: datetime.date, today: datetime.date) -> str:
    """Overdue before today; due this week from today to Sunday; later after that."""
    if due < today:
        return OVERDUE
    if due <= end_of_week(today):
        return THIS_WEEK
    return LATER
