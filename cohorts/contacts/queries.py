"""Read paths for contacts, through the access gate: a partner sees a person's contacts only
while their agreement covers contacts, and then only those the IOM unit marked as shared.
Every read is a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from iom import sharing
from iom.access import restrict_by_nominal
from iom.models import User

from .models import Attendance, Contact

# The appointments behind the engagement sentence on the Summary.
ATTENDANCE_WINDOW = 12
# My work lists the appointments of the next this many days.
APPOINTMENT_DAYS_AHEAD = 7


def visible(user, action: str = "view") -> QuerySet[Contact]:
    """The contacts the user may see (or change): the IOM unit every one; a partner the
    shared contacts of people shared with them, while their agreement covers contacts."""
    queryset = restrict_by_nominal(Contact.objects.all(), user, action, section=sharing.CONTACTS)
    if not sharing.terms_for(user).is_iom_unit:
        queryset = queryset.filter(is_shared=True)
    return queryset


def with_people(queryset: QuerySet[Contact]) -> QuerySet[Contact]:
    return queryset.select_related("nominal", "recorded_by", "breach").prefetch_related(
        Prefetch("attendees", queryset=User.objects.select_related("agency")), "agencies"
    )


def newest_first(queryset: QuerySet[Contact]) -> QuerySet[Contact]:
    return queryset.annotate(at=Coalesce("happened_at", "planned_at")).order_by("-at", "-id")


def contacts_of(nominal, user) -> QuerySet[Contact]:
    """A person's contact log, newest first (booked appointments by their date)."""
    return newest_first(with_people(visible(user).filter(nominal=nominal)))


def contact_of(nominal, user, contact_id: int, action: str = "view") -> Contact:
    return get_object_or_404(
        with_people(visible(user, action).filter(nominal=nominal)), pk=contact_id
    )


@dataclass(frozen=True)
class AttendanceRecord:
    attended: int
    recorded: int

    def __str__(self) -> str:
        if not self.recorded:
            return ""
        if self.recorded == 1:
            return (
                "Attended the one appointment recorded"
                if self.attended
                else ("Missed the one appointment recorded")
            )
        return f"Attended {self.attended} of the last {self.recorded} appointments"


def attendance_of(nominal, user, window: int = ATTENDANCE_WINDOW) -> AttendanceRecord:
    """Of the last ``window`` appointments whose outcome is recorded, how many the person
    attended (one query)."""
    outcomes = list(
        visible(user)
        .filter(nominal=nominal, planned_at__isnull=False)
        .exclude(attendance="")
        .order_by("-planned_at", "-id")
        .values_list("attendance", flat=True)[:window]
    )
    return AttendanceRecord(
        attended=sum(1 for outcome in outcomes if outcome == Attendance.ATTENDED),
        recorded=len(outcomes),
    )


def appointments_due(user, today: datetime.date) -> QuerySet[Contact]:
    """The user's booked appointments whose outcome is not recorded: those of the coming
    week, and those past (to record)."""
    end = timezone.make_aware(
        datetime.datetime.combine(
            today + datetime.timedelta(days=APPOINTMENT_DAYS_AHEAD), datetime.time.min
        )
    )
    return visible(user).filter(attendees=user, planned_at__lt=end, attendance="")


def appointments_for(user, today: datetime.date | None = None) -> list[Contact]:
    """``appointments_due``, soonest first. One query, whatever the number."""
    today = today or timezone.localdate()
    return list(
        appointments_due(user, today).select_related("nominal").order_by("planned_at", "id")
    )


def since(nominal, day: datetime.date, user=None) -> list[Contact]:
    """A person's contacts on or after ``day``, oldest first, for the documents (one query
    with its people prefetched). ``user``: only what they may see; None: every contact."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    queryset = visible(user) if user is not None else Contact.objects.all()
    return list(
        with_people(
            queryset.filter(nominal=nominal).filter(
                Q(happened_at__gte=start) | Q(happened_at__isnull=True, planned_at__gte=start)
            )
        )
        .annotate(at=Coalesce("happened_at", "planned_at"))
        .order_by("at", "id")
    )


def counts_by_attendance(contacts: list[Contact]) -> dict[str, int]:
    """Appointments offered (booked, outcome recorded) and how each ended."""
    offered = [c for c in contacts if c.is_appointment and c.is_recorded]
    counts = {"offered": len(offered)}
    for choice in Attendance:
        counts[choice.value.replace("-", "_")] = sum(1 for c in offered if c.attendance == choice)
    return counts
