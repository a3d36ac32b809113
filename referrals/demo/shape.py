"""The shape of the demo's two years of panels: how many join, leave, are deferred or
rejected, who refers and who chairs; and the plan's records (a person, a period on the cohort,
a referral and the panel's steps on it, an exit, a meeting)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from cohorts.models import (
    CohortMembership,
    CohortStream,
    ExitReason,
    Gender,
    MembershipStatus,
    NationalCategory,
    Nominal,
)
from referrals.models import Decision, ReferralStatus

PANEL_COUNT = 24
# The demo cohort's cap: a little above the 250 Preston set, so that the demo panel can accept
# a few of the referrals waiting for it before a manager has to override.
DEMO_CAP = 260

_DAY = datetime.timedelta(days=1)

# --- The shape of the two years ------------------------------------------------------------

# New members per panel, relatively. The first three panels took over the caseload of the
# PPO and drug intervention schemes; then about seven a month. The cohort reaches its cap four
# to five months before the day of the seed and a cohort review in the last three months frees
# places. With the 300 demo people
# and these weights the cohort peaks at two above the cap of 260 (two manager overrides) and
# ends at 251: check the seed's summary line after changing any number here.
ACCEPTANCE_WEIGHTS = (70, 42, 30, 8, 7, 7, 8, 7, 6, 7, 8, 7, 6, 7, 7, 8, 7, 8, 7, 8, 9, 4, 4, 5)
# Exits per month (the months of the 24 panels), relatively.
EXIT_WEIGHTS = (0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 7, 8, 5)
EXIT_REASONS = (
    (ExitReason.RISK_REDUCED, 18),
    (ExitReason.DEVOLVED, 7),
    (ExitReason.LONG_CUSTODY, 6),
    (ExitReason.MOVED_AWAY, 5),
    (ExitReason.DECEASED, 1),
    (ExitReason.OTHER, 3),
)
# Of the people who left, how many came back later through a second referral, by exit reason.
RE_ENTRIES = {ExitReason.RISK_REDUCED: 5, ExitReason.DEVOLVED: 2, ExitReason.MOVED_AWAY: 1}
# A member stays at least this long; a returning member is referred again after this long.
MIN_STAY = datetime.timedelta(days=90)
MIN_ABSENCE = datetime.timedelta(days=35)

# The people not on the cohort today.
OPEN_NEW = 6  # referred for the first time, awaiting the next panel
OPEN_AGAIN = 3  # left the cohort, referred again, awaiting the next panel
DEFERRED_DUE = 3  # deferred to a date that has come: back in the queue
DEFERRED_LATER = 3  # deferred to a date after today
REJECTED_ONLY = 5
# Routes to acceptance other than straight through.
DEFERRED_THEN_ACCEPTED = 18
REJECTED_THEN_ACCEPTED = 12
REJECTED_AFTER_EXIT = 3
# Members in custody today (remanded, recalled or serving a short sentence).
IN_CUSTODY = 20
# People devolved to the neighbourhood team (their records are shared with it) who have left
# the cohort; the others are still members, with the status "devolved".
DEVOLVED_EXITS_FROM_NPT = 3

_S = CohortStream
_STREAMS_BY_LEAD = {
    "police": ((_S.SAC, 55), (_S.PPO, 25), (_S.OCG, 15), (_S.VIOLENCE, 5)),
    "crc": ((_S.SAC, 70), (_S.PPO, 15), (_S.OCG, 2), (_S.DOMESTIC_ABUSE, 8), (_S.VIOLENCE, 5)),
    "nps": ((_S.SAC, 42), (_S.PPO, 10), (_S.OCG, 5), (_S.DOMESTIC_ABUSE, 20), (_S.VIOLENCE, 23)),
}
_C = NationalCategory
_CATEGORIES = {
    _S.SAC: ((_C.FIXED, 92), (_C.FLEX, 8)),
    _S.PPO: ((_C.FIXED, 70), (_C.FLEX, 30)),
    _S.OCG: ((_C.FLEX, 75), (_C.FREE, 25)),
    _S.DOMESTIC_ABUSE: ((_C.FLEX, 60), (_C.FREE, 40)),
    _S.VIOLENCE: ((_C.FLEX, 65), (_C.FREE, 35)),
}

# Who refers. "probation" is the person's lead probation provider (the NPS or the CRC).
_REFERRAL_WEIGHTS = {"police": 30, "probation": 36}
# Partners refer only people whose records are shared with them.
_PARTNER_REFERRAL_WEIGHTS = {
    "prison": 24,
    "drugs": 14,
    "yos": 12,
    "housing": 8,
    "council": 6,
    "health": 5,
    "employment": 3,
}
_REFERRERS = {
    "police": ("officer.police", "officer.police2", "officer.police3", "intel.officer"),
    "nps": ("officer.probation", "officer.probation2"),
    "crc": ("officer.crc", "officer.crc2"),
    "prison": ("prison.worker",),
    "drugs": ("drugs.worker", "drugs.worker2"),
    "housing": ("housing.worker",),
    "council": ("council.worker",),
    "health": ("health.worker",),
    "employment": ("employment.worker",),
    "yos": ("yos.worker",),
}
_CHAIRS = ("manager.police", "manager.probation")
_PANEL_CLERK = "intel.officer"  # records the meetings
# How often each partner agency attends the panel.
_ATTENDANCE = (
    ("drugs", 0.9),
    ("housing", 0.7),
    ("prison", 0.6),
    ("council", 0.4),
    ("health", 0.35),
    ("yos", 0.3),
    ("employment", 0.3),
)

# --- The plan ------------------------------------------------------------------------------


@dataclass(eq=False)
class Someone:
    """One demo person, with what the plan needs to know about them."""

    nominal: Nominal
    lead: str  # "police", "nps" or "crc"
    partners: tuple[str, ...]  # the partner agencies their record is shared with
    devolved: bool  # shared with the city neighbourhood policing team
    manager_id: int | None
    stream: str = ""
    category: str = ""

    @property
    def has_been_in_prison(self) -> bool:
        return bool(self.nominal.prison_number)

    def words(self) -> dict[str, str]:
        he, his, him = (
            ("she", "her", "her") if self.nominal.gender == Gender.FEMALE else ("he", "his", "him")
        )
        place = self.nominal.neighbourhood.name if self.nominal.neighbourhood else "Demoford"
        return {
            "he": he,
            "his": his,
            "him": him,
            "He": he.capitalize(),
            "His": his.capitalize(),
            "place": place,
        }


@dataclass(eq=False)
class Period:
    """One membership of the cohort."""

    someone: Someone
    panel: int  # the panel that accepted the person
    stream: str
    category: str
    exited_on: datetime.date | None = None
    exit_reason: str = ""
    exit_details: str = ""
    status: str = MembershipStatus.ACTIVE
    overridden: bool = False
    override_reason: str = ""
    engagement: list[tuple[str, datetime.date, str]] = field(default_factory=list)
    row: CohortMembership | None = None
    # In custody today: since when, and the release date when one is known.
    custody_from: datetime.date | None = None
    release_on: datetime.date | None = None


@dataclass(eq=False)
class Step:
    """One decision of a panel on a referral."""

    panel: int
    decision: str
    reason: str = ""
    deferred_until: datetime.date | None = None
    order: int = 0  # its place in the meeting's agenda


@dataclass(eq=False)
class Proposal:
    """One planned referral, with the decisions of the panels on it."""

    someone: Someone
    created_on: datetime.date
    stream: str
    category: str
    steps: list[Step] = field(default_factory=list)
    period: Period | None = None
    agency: str = ""
    username: str = ""
    release_on: datetime.date | None = None  # for a referral from the prison
    reasons: str = ""
    supporting: str = ""
    exited: datetime.date | None = None  # the end of the person's last period, if any

    @property
    def status(self) -> str:
        if not self.steps:
            return ReferralStatus.OPEN
        return {
            Decision.ACCEPT: ReferralStatus.ACCEPTED,
            Decision.REJECT: ReferralStatus.REJECTED,
            Decision.DEFER: ReferralStatus.DEFERRED,
        }[self.steps[-1].decision]


@dataclass(eq=False)
class Exit:
    """One planned exit from the cohort, before it is given to a person."""

    on: datetime.date
    reason: str
    returns: bool = False  # the person is referred and accepted again later
    someone: Someone | None = None
    period: Period | None = None


@dataclass
class Meeting:
    held_on: datetime.date
    chair: str
    partners: list[str]
    notes: str = ""


@dataclass
class Plan:
    meetings: list[Meeting]
    periods: list[Period]
    proposals: list[Proposal]
    overrides: int


def panel_dates(reference: datetime.date) -> list[datetime.date]:
    """The second Tuesdays of the ``PANEL_COUNT`` months before ``reference``, oldest first."""
    dates = []
    year, month = reference.year, reference.month
    while len(dates) < PANEL_COUNT:
        first = datetime.date(year, month, 1)
        held_on = first + datetime.timedelta(days=(1 - first.weekday()) % 7 + 7)
        if held_on < reference:
            dates.append(held_on)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return dates[::-1]


def allocate(total: int, weights) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders round up)."""
    raw = [total * w / sum(weights) for w in weights]
    counts = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"
