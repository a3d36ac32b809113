"""Dates the measures share: months, windows and the definitions docs/measures.md states."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from iom.formatting import long_date

# Published definitions (MoJ proven reoffending; the before/after comparison): days, not
# local settings. docs/measures.md states them.
YEAR_DAYS = 365
WAITING_DAYS = 182  # the further six months in which an offence may still be proven
HISTORY_MONTHS = 24  # how far back the month-by-month charts go


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def label(self) -> str:
        if self.start.day == 1 and self.end == month_end(self.start):
            return f"{self.start:%B %Y}"
        return f"{long_date(self.start)} to {long_date(self.end)}"


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def last_month(today: datetime.date) -> Period:
    start = add_months(month_start(today), -1)
    return Period(start, month_end(start))


def months_up_to(end: datetime.date, count: int = HISTORY_MONTHS) -> list[Period]:
    """The ``count`` calendar months ending with the month of ``end`` (the last one cut at
    ``end``)."""
    first = add_months(month_start(end), -(count - 1))
    periods = []
    for index in range(count):
        start = add_months(first, index)
        periods.append(Period(start, min(month_end(start), end)))
    return periods


def overlap_days(start: datetime.date, end: datetime.date | None, window_start, window_end) -> int:
    """Days of [start, end) inside [window_start, window_end); an open ``end`` runs on."""
    stop = min(end or window_end, window_end)
    begin = max(start, window_start)
    return max((stop - begin).days, 0)
