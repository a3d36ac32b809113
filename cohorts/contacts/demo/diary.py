"""Drawing one demo person's contact log: the eight weeks before the day of the seed and the
week after it. Plain values only; ``cohorts.contacts.demo`` writes them.

Office appointments are booked ahead and most are kept; home visits are booked or made
unannounced; a joint visit takes a partner worker along; now and then the person does not
attend, with a reason (acceptable or not) or none. Some have an appointment booked in the
coming week, and a few one from the last days whose outcome is still to be recorded.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from ..models import Absence, Attendance, ContactKind

WEEKS_BACK = 8
# Of the people with contacts: how many have an appointment in the coming week, and how many
# one from the last few days still to be recorded.
BOOKED_THIS_WEEK = 0.6
STILL_TO_RECORD = 0.12
OFFICE = "Demoford Probation Office, Castle Street"
POLICE_STATION = "Demoford Central police station"
HOME = "Home address"
TIMES = (datetime.time(9, 30), datetime.time(10, 30), datetime.time(11, 30),
         datetime.time(14, 0), datetime.time(15, 0), datetime.time(16, 0))  # fmt: skip
OUTCOMES = {
    ContactKind.OFFICE: (
        "Reviewed the licence conditions; keeping to them.",
        "Talked through the week; no concerns raised.",
        "Discussed the drug test result and the next appointment with the drugs worker.",
        "Went through the job search since last time; two applications in.",
    ),
    ContactKind.HOME_VISIT: (
        "Seen at home; the address is suitable and settled.",
        "At home with his partner; nothing of concern seen.",
        "Home visit: the flat was tidy; rent arrears discussed.",
        "Unannounced visit; he was in and spoke freely.",
    ),
    ContactKind.JOINT_VISIT: (
        "Joint visit with the partner worker: support plan agreed.",
        "Seen with the partner worker; next steps on housing agreed.",
        "Joint visit: treatment appointments reviewed and rebooked.",
    ),
    ContactKind.PHONE: (
        "Phoned to confirm Thursday's appointment.",
        "Called in as agreed; no change in circumstances.",
    ),
}
ACCEPTABLE_REASONS = (
    "Hospital appointment; letter seen.",
    "At a job interview; confirmed by the employer.",
    "Child unwell; called ahead to say so.",
)
UNACCEPTABLE_REASONS = (
    "Said he forgot.",
    "Said he overslept.",
    "Said he had no bus fare; the travel warrant was not used.",
)
NOTES = (
    "",
    "",
    "Reminded of the next appointment.",
    "Motivated; keen to keep the job.",
    "Low in mood; referred to the health worker.",
)


@dataclass
class Drawn:
    """One contact as drawn: who was there (by user id), and what happened."""

    kind: str
    planned_at: datetime.datetime | None
    happened_at: datetime.datetime | None
    location: str
    attendees: list[int]
    attendance: str = ""
    absence: str = ""
    absence_reason: str = ""
    outcome: str = ""
    note: str = ""
    is_shared: bool = True


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _weekday(day: datetime.date) -> datetime.date:
    """``day``, or the Friday before when it falls at a weekend."""
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def _outcome(rng: random.Random, contact: Drawn) -> None:
    """What happened at a contact in the past: mostly attended, sometimes not."""
    roll = rng.random()
    if contact.planned_at is None or roll < 0.8:
        contact.attendance = Attendance.ATTENDED
        contact.happened_at = contact.happened_at or contact.planned_at
        contact.outcome = rng.choice(OUTCOMES[contact.kind])
        contact.note = rng.choice(NOTES)
    elif roll < 0.96:
        contact.attendance = Attendance.DID_NOT_ATTEND
        contact.absence = rng.choice(list(Absence))
        if contact.absence == Absence.ACCEPTABLE:
            contact.absence_reason = rng.choice(ACCEPTABLE_REASONS)
        elif contact.absence == Absence.UNACCEPTABLE:
            contact.absence_reason = rng.choice(UNACCEPTABLE_REASONS)
        contact.outcome = "Letter sent with a new appointment."
    else:
        contact.attendance = Attendance.REFUSED
        contact.happened_at = contact.planned_at
        contact.outcome = "Would not come to the door; a warning letter follows."


def _one(rng, kind, day, managers, partners, *, booked: bool) -> Drawn:
    time = rng.choice(TIMES)
    moment = _at(day, time)
    officer = rng.choice(managers)
    attendees = [officer]
    if kind == ContactKind.JOINT_VISIT:
        attendees.append(rng.choice(partners))
    location = {ContactKind.OFFICE: OFFICE, ContactKind.PHONE: ""}.get(kind, HOME)
    if kind == ContactKind.OFFICE and rng.random() < 0.2:
        location = POLICE_STATION
    return Drawn(
        kind=kind,
        planned_at=moment if booked else None,
        happened_at=None if booked else moment,
        location=location,
        attendees=attendees,
        # A police home visit is sometimes kept to the IOM unit.
        is_shared=not (kind == ContactKind.HOME_VISIT and rng.random() < 0.3),
    )


def diary(
    rng: random.Random,
    today: datetime.date,
    managers: list[int],
    partners: list[int],
) -> list[Drawn]:
    """One person's contacts: ``managers`` are their offender managers' user ids,
    ``partners`` those of the partner workers who may come on a joint visit."""
    kinds = [ContactKind.OFFICE, ContactKind.HOME_VISIT, ContactKind.PHONE]
    weights = [55, 25, 8]
    if partners:
        kinds.append(ContactKind.JOINT_VISIT)
        weights.append(12)
    drawn: list[Drawn] = []
    day = today - datetime.timedelta(weeks=WEEKS_BACK) + datetime.timedelta(rng.randint(0, 6))
    while day < today - datetime.timedelta(days=3):
        kind = rng.choices(kinds, weights=weights)[0]
        booked = kind == ContactKind.OFFICE or rng.random() < 0.6
        contact = _one(rng, kind, _weekday(day), managers, partners, booked=booked)
        _outcome(rng, contact)
        drawn.append(contact)
        day += datetime.timedelta(days=rng.choice((7, 7, 10, 14)))
    if rng.random() < STILL_TO_RECORD:
        past = _weekday(today - datetime.timedelta(days=rng.randint(1, 3)))
        drawn.append(_one(rng, ContactKind.OFFICE, past, managers, partners, booked=True))
    if rng.random() < BOOKED_THIS_WEEK:
        week = [today + datetime.timedelta(days=n) for n in range(1, 8)]
        ahead = rng.choice([weekday for weekday in week if weekday.weekday() < 5])
        kind = rng.choices(kinds, weights=weights)[0]
        if kind == ContactKind.PHONE:
            kind = ContactKind.OFFICE
        drawn.append(_one(rng, kind, ahead, managers, partners, booked=True))
    return drawn
