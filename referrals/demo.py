"""Demo data for referrals: two years of Demo Shire's IOM panel, and the cohort it built.

Called by ``manage.py seed_demo`` after ``cohorts.demo`` has created the demo people. It
writes the history a real unit would have on the demo's reference date (1 November 2026):

* a panel on the second Tuesday of each of the 24 months before it, chaired by the police or
  the probation IOM manager, attended by the police, the NPS, the CRC and two to four partner
  agencies;
* referrals from every agency (mostly the police and probation), each with its reasons, each
  decided at the first panel after it was made: most accepted, some rejected with a reason,
  some deferred to a date (and then accepted, or back in the queue now, or still waiting);
* the cohort those decisions built: the caseload taken over at the first three panels, then
  about seven new members a month, about 250 members today (active, in custody or devolved to
  the neighbourhood team); 40 exits with their reasons, 8 of those people back later through a
  second referral; the cohort reaching its cap once, with two manager overrides;
* each member's engagement over time (not yet approached, then engaged, partly engaged or
  declined);
* a dozen referrals awaiting the next panel.

Memberships are written here rather than by ``cohorts.demo`` because each one starts at the
panel that accepted its referral: ``cohorts`` must not depend on ``referrals``.

The whole history is planned first, from the people and a seeded random generator alone, so
that it is the same on every run; then it is written with ``bulk_create``, with one audit
event per row. Nothing is written when the area already has panel meetings; nothing either,
with a note, when it has referrals or memberships that the seed did not make.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TextIO

from django.utils import timezone

from cohorts import demo as cohort_demo
from cohorts.models import (
    CohortConfiguration,
    CohortMembership,
    CohortStream,
    Engagement,
    EngagementStatus,
    ExitReason,
    Gender,
    MembershipStatus,
    NationalCategory,
    Nominal,
    RecordShare,
    ShareBasis,
)
from cohorts.models.membership import OPEN_STATUSES
from iom import demo as core
from iom.models import AuditAction, AuditEvent

from .models import Decision, PanelDecision, PanelMeeting, Referral, ReferralStatus
from .queries import in_queue

REFERENCE_DATE = cohort_demo.REFERENCE_DATE
AUDIT_DESCRIPTION = cohort_demo.AUDIT_DESCRIPTION
PANEL_COUNT = 24
# The demo cohort's cap: a little above the 250 Preston set, so that the demo panel can accept
# a few of the referrals waiting for it before a manager has to override.
DEMO_CAP = 260

_DAY = datetime.timedelta(days=1)

# --- The shape of the two years ------------------------------------------------------------

# New members per panel, relatively. The first three panels took over the caseload of the
# PPO and drug intervention schemes; then about seven a month. The cohort reaches its cap in
# the summer of 2026 and a cohort review in the autumn frees places. With the 300 demo people
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
DEFERRED_LATER = 3  # deferred to a date after the reference date
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

# --- What the records say (all fictional) --------------------------------------------------

_OPENINGS = {
    "police": (
        "{n} arrests since {since}, the latest on {recent} in {place}.",
        "Identified by the IOM intelligence review: {n} detected offences and {m} intelligence "
        "reports in the last six months.",
        "Charged on {recent} and bailed to an address in {place} with a curfew.",
        "Named by neighbourhood officers in {place} as the most active local offender.",
    ),
    "probation": (
        "Released from HMP Demoford on licence on {recent}; the licence ends on {later}.",
        "Subject to a 12-month community order with a rehabilitation activity requirement; "
        "breached twice since {since}.",
        "On a suspended sentence order made on {recent}; poor compliance with unpaid work.",
        "Assessed as highly likely to re-offend (OGRS3 {ogrs}%).",
    ),
    "prison": (
        "Due for release from HMP Demoford on {release} after a {months}-month sentence.",
        "Serving {months} months; automatic release on {release} to an address in {place}.",
    ),
    "yos": (
        "Moving from the Youth Offending Service to adult services; {n} convictions as a "
        "youth, mostly vehicle crime.",
        "Known to the Youth Offending Service since the age of 14; {n} convictions, and "
        "offending has increased since {he} turned 18.",
    ),
    "drugs": (
        "Open to the criminal justice drug team since {since}; tested positive for opiates "
        "and cocaine on arrest on {recent}.",
        "Says {he} spends £{amount} a day on heroin and crack cocaine, and pays for it by "
        "stealing.",
    ),
    "housing": (
        "{His} tenancy is at risk: rent arrears, and complaints of visitors at all hours "
        "since {since}.",
        "Evicted from supported housing on {recent} after stolen goods were found in {his} room.",
    ),
    "council": (
        "Presented as homeless on {recent}, the day after release from custody.",
        "Placed in emergency accommodation in {place} on {recent}; no settled address since "
        "{since}.",
    ),
    "health": (
        "Seen by liaison and diversion in custody on {recent}: unmet mental health needs and "
        "daily crack cocaine use.",
        "{n} custody episodes this year, each seen by liaison and diversion; not registered "
        "with a GP.",
    ),
    "employment": (
        "Joined the employment programme on {recent}; lost two placements through arrests.",
    ),
}
_OFFENDING = {
    _S.SAC: (
        "Linked to {m} dwelling burglaries in {place} since {since}, two of them by forensic "
        "identification.",
        "Charged with {m} thefts from motor vehicles in {place}; more vehicle crime "
        "intelligence since.",
        "Suspected of {m} street robberies of mobile phones in Demoford city centre; previous "
        "conviction for robbery.",
        "{m} detected shop thefts in six months, to pay for {his} Class A drug use.",
        "Overnight burglaries of businesses in {place}; arrested on {recent} with stolen "
        "power tools.",
        "Steals cars with keys taken in burglaries; {m} offences taken into consideration at "
        "court.",
    ),
    _S.PPO: (
        "Was on the PPO scheme: {n} convictions for burglary and theft in three years, and "
        "offending starts again within weeks of each release.",
        "Prolific and priority offender: {n} convictions since {year}, mostly burglary and "
        "vehicle crime.",
    ),
    _S.OCG: (
        "Intelligence links {him} to an organised crime group stealing high-value cars to "
        "order with relay devices.",
        "Believed to run a county lines supply of Class A drugs into {place}, using local "
        "teenagers.",
        "Mapped as a member of a group committing commercial burglaries across the county.",
    ),
    _S.DOMESTIC_ABUSE: (
        "{m} domestic abuse incidents against a former partner since {since}; heard at MARAC "
        "as high risk on {recent}.",
        "Convicted of assaulting a partner (ABH); breached a non-molestation order on {recent}.",
    ),
    _S.VIOLENCE: (
        "Convicted of wounding (section 20) in {year}; more assaults in the night-time economy "
        "since {since}.",
        "Robbery with a knife in {year}; alcohol misuse linked to {his} violent offending.",
        "Assaulted an emergency worker on {recent}; violent when using crack cocaine.",
    ),
}
_NEEDS = (
    "Uses heroin and crack cocaine daily.",
    "No fixed abode; sofa-surfing in {place}.",
    "Alcohol dependent.",
    "Two failed drug tests on licence; at risk of recall.",
    "Missed probation appointments on {recent}; a warning letter was issued.",
    "Owes money to a local dealer and is at risk of exploitation.",
    "Unemployed since {since}; no qualifications.",
    "Has a young child; children's services are involved.",
    "Debts, and no benefit claim in place since release.",
)
# Words that fit only people who have been in prison, or supervised by probation.
_AFTER_PRISON = ("licence", "release", "approved premises")
_ON_PROBATION = ("probation",)
_CLOSINGS = (
    "Would benefit from the IOM's intensive support.",
    "Asks for police and probation to manage {him} jointly.",
    "Referred for help with accommodation and drug treatment, and for closer monitoring.",
    "",
    "",
)
_SUPPORTING = (
    "OGRS3 {ogrs}%; OASys risk of serious harm to the public: {rosh}.",
    "PNC record checked on {recent}: {n} convictions for {offences} offences.",
    "{m} intelligence reports in the last six months.",
    "Licence conditions: residence at approved premises, curfew 19:00 to 07:00, drug testing.",
)
_ACCEPT_NOTES = (
    "Meets the Fixed cohort criteria.",
    "Police lead until release, then joint management with probation.",
    "Offender managers to make the first approach within two weeks.",
    "Drug service to offer a fast-track assessment.",
)
_REJECT_REASONS = (
    "Below the threshold for IOM: one detected offence in the last twelve months. The "
    "neighbourhood team will monitor.",
    "Already managed under MAPPA level 2; IOM management would duplicate it.",
    "Lives outside Demo Shire; passed to the IOM unit of the area where {he} lives.",
    "Serving a long sentence with no release before 2029: refer again six months before release.",
    "No evidence of current acquisitive offending: the intelligence is over a year old.",
    "The risk is of serious harm rather than of re-offending; the NPS manages it without IOM.",
    "Offending is linked to a mental health crisis; referred to liaison and diversion instead.",
)
_REJECT_AFTER_EXIT_REASONS = (
    "Left the cohort in {exited} with reduced risk and no offending since; the intelligence "
    "is not enough to bring {him} back. The neighbourhood team will monitor.",
    "One shop theft since leaving the cohort in {exited}; dealt with by a conditional "
    "caution. Not enough to return to IOM.",
)
_DEFER_REASONS = (
    "Awaiting the outcome of the court hearing on {court}.",
    "Release date not confirmed; bring back when the parole decision is known.",
    "Ask the drug service for an update on {his} engagement before deciding.",
    "Identity to be confirmed against the PNC record before the panel decides.",
    "More intelligence needed on the recent burglaries; bring back next month.",
    "Probation to complete the OASys review first.",
)
_DEFER_AT_CAP = (
    "The cohort is at its cap of {cap}; bring back once the cohort review has freed places."
)
_DEFER_LATER_REASONS = (
    "Sentencing at Demoford Crown Court on {court}; bring back once the sentence is known.",
    "Release date {release}: bring back to the panel before release.",
    "Residential rehabilitation placement until {court}; bring back when it ends.",
)
_OVERRIDE_REASONS = (
    "The cohort is at its cap of {cap}: accepted as an urgent case, released on {recent} with "
    "no accommodation and a high risk of re-offending.",
    "The cohort is at its cap of {cap}: accepted because {he} is linked to the current "
    "burglary series in {place}. A place will be freed at the cohort review.",
)
_EXIT_DETAILS = {
    ExitReason.RISK_REDUCED: (
        "No offending for twelve months; in full-time work.",
        "Completed drug treatment; in stable housing for a year.",
        "Licence ended with no further offending.",
        "",
    ),
    ExitReason.DEVOLVED: ("Devolved to the {place} neighbourhood policing team.",),
    ExitReason.LONG_CUSTODY: (
        "Sentenced to {years} years for robbery at Demoford Crown Court.",
        "Sentenced to {years} years for burglary at Demoford Crown Court.",
    ),
    ExitReason.MOVED_AWAY: (
        "Moved to Westshire; case passed to the Westshire IOM unit.",
        "Moved to live with family in Northvale; case passed to the local IOM unit.",
    ),
    ExitReason.DECEASED: ("",),
    ExitReason.OTHER: (
        "Now managed under MAPPA level 2 instead of IOM.",
        "Detained in hospital under the Mental Health Act for long-term treatment.",
        "In a twelve-month residential rehabilitation programme outside the area.",
    ),
}
_MEETING_NOTES = (
    "Monthly IOM panel.",
    "Monthly IOM panel. The drug service reported on test-on-release results.",
    "Monthly IOM panel. Housing: two bed spaces available at the Demoford approved premises.",
    "Monthly IOM panel. Prison: five cohort members due for release next month.",
)
_TAKEOVER_NOTE = (
    "Review of the caseload taken over from the PPO and drug intervention schemes "
    "(part {part} of 3)."
)
_FULL_NOTE = (
    "The cohort reached its cap of {cap} at this meeting; referrals that are not urgent "
    "are deferred until places are free."
)
_AT_CAP_NOTE = (
    "The cohort reached its cap of {cap}. The chair accepted {overrides} urgent cases above "
    "it; a cohort review before the next panel will free places."
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


def panel_dates(reference: datetime.date = REFERENCE_DATE) -> list[datetime.date]:
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


def _allocate(total: int, weights) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders round up)."""
    raw = [total * w / sum(weights) for w in weights]
    counts = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


class _Planner:
    def __init__(self, rng: random.Random, people: list[Someone], cap: int):
        self.rng = rng
        self.people = people
        self.cap = cap
        self.panels = panel_dates()
        self.periods: list[Period] = []
        self.proposals: list[Proposal] = []

    # -- dates --

    def weekday_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        """A random working day from ``start`` to ``end`` (``end`` itself if there is none)."""
        days = [
            start + datetime.timedelta(days=i)
            for i in range((end - start).days + 1)
            if (start + datetime.timedelta(days=i)).weekday() < 5
        ]
        return self.rng.choice(days) if days else end

    def created_before(self, panel: int, not_before: datetime.date | None = None):
        """The date a referral decided at ``panel`` was made: after the panel before."""
        start = self.panels[panel - 1] + _DAY if panel else self.panels[0] - 30 * _DAY
        if not_before and not_before > start:
            start = not_before
        return self.weekday_between(start, self.panels[panel] - 3 * _DAY)

    def first_panel_after(self, day: datetime.date) -> int | None:
        return next((k for k, held in enumerate(self.panels) if held > day), None)

    # -- the people's stories --

    def plan(self) -> Plan:
        rng = self.rng
        people = list(self.people)
        rng.shuffle(people)
        for someone in people:
            someone.stream = self.stream_for(someone)
            someone.category = self.category_for(someone.stream)
        npt = [p for p in people if p.devolved]
        custody = [p for p in people if not p.devolved and p.has_been_in_prison]
        general = [p for p in people if not p.devolved and not p.has_been_in_prison]

        def take(*pools):
            for pool in pools:
                if pool:
                    return pool.pop()
            return None

        # Who left the cohort, when and why, and who came back.
        exits = self.exits()
        npt_exits = [e for e in exits if e.reason == ExitReason.DEVOLVED and not e.returns]
        for exit_ in exits:
            if exit_ in npt_exits[:DEVOLVED_EXITS_FROM_NPT]:
                exit_.someone = take(npt, general, custody)
            elif exit_.reason == ExitReason.LONG_CUSTODY:
                exit_.someone = take(custody, general)
            else:
                exit_.someone = take(general, custody)
        exits = [e for e in exits if e.someone is not None]

        # The people who are not members today.
        outside = {
            "open": [take(general, custody) for _ in range(OPEN_NEW)],
            "due": [take(general, custody) for _ in range(DEFERRED_DUE)],
            "later": [take(general, custody) for _ in range(DEFERRED_LATER)],
            "rejected": [take(general, custody) for _ in range(REJECTED_ONLY)],
        }
        outside = {kind: [p for p in group if p] for kind, group in outside.items()}
        members = npt + custody + general
        rng.shuffle(members)
        if not members:
            raise core.DemoDataMissing("Too few demo people for the referral history.")

        # Which panel accepted each period on the cohort.
        returns = [e for e in exits if e.returns]
        total = len(members) + len(exits) + len(returns)
        remaining = _allocate(total, ACCEPTANCE_WEIGHTS)

        def slot(eligible) -> int:
            panels = [k for k, n in enumerate(remaining) if n and eligible(k)]
            if not panels:
                panels = [k for k in range(len(remaining)) if eligible(k)]
            k = rng.choices(panels, weights=[remaining[k] or 1 for k in panels])[0]
            remaining[k] = max(0, remaining[k] - 1)
            return k

        first_periods = []
        for exit_ in exits:  # earliest exit first: it has the fewest panels to choose from
            k = slot(lambda k, e=exit_: self.panels[k] <= e.on - MIN_STAY)
            period = self.period(exit_.someone, k)
            period.exited_on, period.exit_reason = exit_.on, exit_.reason
            period.status = MembershipStatus.EXITED
            exit_.period = period
            first_periods.append(period)
        for exit_ in sorted(returns, key=lambda e: e.on, reverse=True):
            k = slot(lambda k, e=exit_: self.panels[k] >= e.on + MIN_ABSENCE)
            period = self.period(exit_.someone, k, again=True)
            self.accepted(period, not_before=exit_.on + 7 * _DAY, exited=exit_.on)
        leftover = [k for k, n in enumerate(remaining) for _ in range(n)]
        rng.shuffle(leftover)
        while len(leftover) < len(members):
            leftover.append(rng.randrange(len(self.panels)))
        for someone, k in zip(members, leftover, strict=False):
            first_periods.append(self.period(someone, k))

        # The referrals that made the first periods: some deferred first, some after an
        # earlier referral was rejected.
        rng.shuffle(first_periods)
        deferred = [p for p in first_periods if p.panel >= 4][:DEFERRED_THEN_ACCEPTED]
        rejected_first = [p for p in first_periods if p.panel >= 6 and p not in deferred]
        rejected_first = rejected_first[:REJECTED_THEN_ACCEPTED]
        for period in first_periods:
            if period in deferred:
                self.accepted_after_deferral(period)
            elif period in rejected_first:
                j = rng.randint(max(0, period.panel - 12), period.panel - 3)
                self.rejected(period.someone, j)
                self.accepted(period, not_before=self.panels[j] + 21 * _DAY)
            else:
                self.accepted(period)

        # People who left and were referred again: some awaiting the panel now, some rejected.
        last = len(self.panels) - 1
        gone = [e for e in exits if not e.returns]
        again = [
            e
            for e in gone
            if e.reason in (ExitReason.RISK_REDUCED, ExitReason.MOVED_AWAY)
            and e.on <= self.panels[last] - 7 * _DAY
        ][:OPEN_AGAIN]
        for exit_ in again:
            start = max(self.panels[last], exit_.on + 14 * _DAY) + _DAY
            self.proposal(
                exit_.someone, self.weekday_between(start, REFERENCE_DATE - _DAY), exit_.on
            )
        refused = [
            e
            for e in gone
            if e not in again
            and e.reason in (ExitReason.RISK_REDUCED, ExitReason.DEVOLVED)
            and e.on <= self.panels[last - 2]
        ][:REJECTED_AFTER_EXIT]
        for exit_ in refused:
            j = self.first_panel_after(exit_.on + 30 * _DAY)
            created = self.created_before(j, not_before=exit_.on + 14 * _DAY)
            proposal = self.proposal(exit_.someone, created, exit_.on)
            proposal.steps.append(Step(j, Decision.REJECT, "after-exit"))

        # People who are not members.
        for someone in outside["rejected"]:
            self.rejected(someone, rng.randint(3, last - 1))
        for n, someone in enumerate(outside["due"]):
            j = last - 1 if n == 0 else rng.choice((last - 1, last))
            proposal = self.proposal(someone, self.created_before(j))
            due = self.weekday_between(self.panels[last] + 7 * _DAY, REFERENCE_DATE - 2 * _DAY)
            if j == last - 1 and n == 0:  # deferred twice: the hearing was adjourned
                first = self.weekday_between(
                    self.panels[j] + 14 * _DAY, self.panels[last] - 2 * _DAY
                )
                proposal.steps.append(Step(j, Decision.DEFER, deferred_until=first))
                j = last
            proposal.steps.append(Step(j, Decision.DEFER, deferred_until=due))
        for someone in outside["later"]:
            proposal = self.proposal(someone, self.created_before(last))
            until = self.weekday_between(REFERENCE_DATE + 40 * _DAY, REFERENCE_DATE + 100 * _DAY)
            proposal.steps.append(Step(last, Decision.DEFER, "later", until))
        for someone in outside["open"]:
            self.proposal(
                someone,
                self.weekday_between(self.panels[last] + _DAY, REFERENCE_DATE - _DAY),
            )

        for proposal in self.proposals:
            proposal.agency = self.referring_agency(proposal.someone, proposal.stream)
        self.every_partner_refers()
        for proposal in self.proposals:
            pool = _REFERRERS[proposal.agency]
            if proposal.agency == "police" and proposal.someone.devolved:
                pool = (*pool, "neighbourhood.officer")
            proposal.username = rng.choice(pool)
            if proposal.agency == "prison":
                last_step = proposal.steps[-1] if proposal.steps else None
                if last_step and last_step.reason == "later":
                    # Deferred to the panel before release.
                    proposal.release_on = last_step.deferred_until + 14 * _DAY
                else:
                    decided = self.panels[last_step.panel] if last_step else REFERENCE_DATE
                    proposal.release_on = decided + rng.randint(10, 70) * _DAY

        meetings = self.meetings()
        overrides = self.agenda_and_cap(meetings)
        self.statuses()
        self.write_texts()
        self.proposals.sort(key=lambda proposal: proposal.created_on)
        return Plan(meetings, self.periods, self.proposals, overrides)

    def stream_for(self, someone: Someone) -> str:
        streams, weights = zip(*_STREAMS_BY_LEAD[someone.lead], strict=True)
        return self.rng.choices(streams, weights=weights)[0]

    def category_for(self, stream: str) -> str:
        categories, weights = zip(*_CATEGORIES[stream], strict=True)
        return self.rng.choices(categories, weights=weights)[0]

    def exits(self) -> list[Exit]:
        rng = self.rng
        reasons = [reason for reason, n in EXIT_REASONS for _ in range(n)]
        rng.shuffle(reasons)
        earliest = self.panels[0] + MIN_STAY
        dates = []
        for k, n in enumerate(_allocate(len(reasons), EXIT_WEIGHTS)):
            month = self.panels[k].replace(day=1)
            end = (month + 32 * _DAY).replace(day=1) - _DAY
            for _ in range(n):
                dates.append(
                    self.weekday_between(max(month, earliest), min(end, REFERENCE_DATE - _DAY))
                )
        exits = [Exit(on, reason) for on, reason in zip(sorted(dates), reasons, strict=True)]
        latest_return = self.panels[-2] - MIN_ABSENCE
        for reason, n in RE_ENTRIES.items():
            candidates = [e for e in exits if e.reason == reason and e.on <= latest_return]
            for exit_ in rng.sample(candidates, min(n, len(candidates))):
                exit_.returns = True
        return exits

    def period(self, someone: Someone, panel: int, again: bool = False) -> Period:
        stream, category = someone.stream, someone.category
        if again and self.rng.random() < 0.2:
            stream = self.stream_for(someone)
            category = self.category_for(stream)
        period = Period(someone, panel, stream, category)
        self.periods.append(period)
        return period

    def proposal(
        self, someone: Someone, created_on, exited=None, stream="", category=""
    ) -> Proposal:
        proposal = Proposal(
            someone,
            created_on,
            stream or someone.stream,
            category or someone.category,
            exited=exited,
        )
        self.proposals.append(proposal)
        return proposal

    def accepted(self, period: Period, not_before=None, exited=None) -> Proposal:
        created = self.created_before(period.panel, not_before)
        proposal = self.proposal(period.someone, created, exited, period.stream, period.category)
        proposal.steps.append(Step(period.panel, Decision.ACCEPT))
        proposal.period = period
        return proposal

    def accepted_after_deferral(self, period: Period) -> Proposal:
        k = period.panel
        j = k - (2 if self.rng.random() < 0.25 else 1)
        proposal = self.proposal(
            period.someone, self.created_before(j), stream=period.stream, category=period.category
        )
        start = max(self.panels[k - 1] + _DAY, self.panels[j] + 14 * _DAY)
        until = self.weekday_between(start, self.panels[k] - 2 * _DAY)
        proposal.steps += [Step(j, Decision.DEFER, deferred_until=until), Step(k, Decision.ACCEPT)]
        proposal.period = period
        return proposal

    def rejected(self, someone: Someone, panel: int) -> Proposal:
        proposal = self.proposal(someone, self.created_before(panel))
        proposal.steps.append(Step(panel, Decision.REJECT))
        return proposal

    def referring_agency(self, someone: Someone, stream: str) -> str:
        if stream == _S.OCG:
            weights = {"police": 80, "probation": 20}
        elif stream == _S.DOMESTIC_ABUSE:
            weights = {"police": 50, "probation": 50}
        else:
            weights = dict(_REFERRAL_WEIGHTS)
            for partner, weight in _PARTNER_REFERRAL_WEIGHTS.items():
                if partner == "prison" and not someone.has_been_in_prison:
                    continue
                if partner in someone.partners:
                    weights[partner] = weight
        agencies = list(weights)
        agency = self.rng.choices(agencies, weights=[weights[a] for a in agencies])[0]
        if agency == "probation":
            return someone.lead  # a police-only case has no probation officer to refer it
        return agency

    def every_partner_refers(self) -> None:
        """Give a partner that made no referral by chance one, of a person shared with it."""
        made = {proposal.agency for proposal in self.proposals}
        for partner in _PARTNER_REFERRAL_WEIGHTS:
            if partner in made:
                continue
            for proposal in self.proposals:
                someone = proposal.someone
                if (
                    partner in someone.partners
                    and proposal.agency in ("police", "nps", "crc")
                    and proposal.stream not in (_S.OCG, _S.DOMESTIC_ABUSE)
                    and (partner != "prison" or someone.has_been_in_prison)
                ):
                    proposal.agency = partner
                    break

    # -- the meetings, in order --

    def meetings(self) -> list[Meeting]:
        rng = self.rng
        meetings = []
        for k, held_on in enumerate(self.panels):
            partners = [p for p, chance in _ATTENDANCE if rng.random() < chance]
            while len(partners) < 2:
                extra = rng.choice([p for p, _ in _ATTENDANCE if p not in partners])
                partners.append(extra)
            while len(partners) > 4:
                partners.remove(rng.choice(partners))
            notes = _TAKEOVER_NOTE.format(part=k + 1) if k < 3 else rng.choice(_MEETING_NOTES)
            meetings.append(Meeting(held_on, _CHAIRS[k % 2], partners, notes))
        return meetings

    def agenda_and_cap(self, meetings: list[Meeting]) -> int:
        """Order each meeting's decisions, then follow the cohort's size through the two years:
        an acceptance when the cohort is at its cap is a manager's override."""
        agenda: dict[int, list[tuple[Proposal, Step]]] = defaultdict(list)
        for proposal in sorted(self.proposals, key=lambda proposal: proposal.created_on):
            for step in proposal.steps:
                agenda[step.panel].append((proposal, step))
        exits = sorted(p.exited_on for p in self.periods if p.exited_on)
        members = 0
        overrides = 0
        for k, held_on in enumerate(self.panels):
            while exits and exits[0] <= held_on:
                exits.pop(0)
                members -= 1
            accepts = sum(step.decision == Decision.ACCEPT for _, step in agenda[k])
            at_cap = members + accepts >= self.cap  # the cohort fills during this meeting
            overridden_here = 0
            for order, (proposal, step) in enumerate(agenda[k]):
                step.order = order
                if step.decision == Decision.ACCEPT:
                    if members >= self.cap:
                        proposal.period.overridden = True
                        overridden_here += 1
                    members += 1
                elif step.decision == Decision.DEFER and at_cap and not step.reason:
                    step.reason = "cap"
            overrides += overridden_here
            if overridden_here:
                meetings[k].notes = _AT_CAP_NOTE.format(cap=self.cap, overrides=overridden_here)
            elif at_cap:
                meetings[k].notes = _FULL_NOTE.format(cap=self.cap)
        return overrides

    def statuses(self) -> None:
        rng = self.rng
        current = [p for p in self.periods if p.status != MembershipStatus.EXITED]
        for period in current:
            if period.someone.devolved:
                period.status = MembershipStatus.DEVOLVED
        releases = {
            id(proposal.period): proposal.release_on
            for proposal in self.proposals
            if proposal.period and proposal.release_on
        }
        in_custody = [
            p for p in current if (releases.get(id(p)) or REFERENCE_DATE) > REFERENCE_DATE
        ]
        candidates = [
            p
            for p in current
            if p.someone.has_been_in_prison
            and not p.someone.devolved
            and p not in in_custody
            and self.panels[p.panel] <= REFERENCE_DATE - 30 * _DAY
        ]
        in_custody += rng.sample(
            candidates, max(0, min(len(candidates), IN_CUSTODY - len(in_custody)))
        )
        for period in in_custody:
            period.status = MembershipStatus.IN_CUSTODY

    # -- the words --

    def write_texts(self) -> None:
        rng = self.rng
        for proposal in sorted(self.proposals, key=lambda proposal: proposal.created_on):
            words = self.words(proposal.someone, proposal.created_on, proposal.release_on)
            proposal.reasons = self.reasons(proposal, words)
            if rng.random() < 0.5:
                proposal.supporting = rng.choice(self.fits(proposal, _SUPPORTING)).format(**words)
            for step in proposal.steps:
                held_on = self.panels[step.panel]
                back = step.deferred_until or held_on + 28 * _DAY
                court = self.weekday_between(max(held_on + _DAY, back - 6 * _DAY), back - _DAY)
                step_words = {
                    **words,
                    "cap": self.cap,
                    "court": _long_date(court),
                    "exited": f"{proposal.exited:%B %Y}" if proposal.exited else "",
                }
                if step.decision == Decision.REJECT:
                    texts = _REJECT_AFTER_EXIT_REASONS if step.reason else _REJECT_REASONS
                    step.reason = rng.choice(self.fits(proposal, texts)).format(**step_words)
                elif step.decision == Decision.DEFER:
                    if step.reason == "later":
                        if proposal.release_on:
                            text = _DEFER_LATER_REASONS[1]
                        else:
                            text = rng.choice(_DEFER_LATER_REASONS[::2])
                    elif step.reason == "cap":
                        text = _DEFER_AT_CAP
                    else:
                        text = rng.choice(self.fits(proposal, _DEFER_REASONS))
                    step.reason = text.format(**step_words)
                elif proposal.period.overridden:
                    recent = _long_date(held_on - rng.randint(3, 20) * _DAY)
                    text = rng.choice(_OVERRIDE_REASONS)
                    proposal.period.override_reason = text.format(
                        **{**step_words, "recent": recent}
                    )
                    step.reason = proposal.period.override_reason
                elif rng.random() < 0.2:
                    step.reason = rng.choice(_ACCEPT_NOTES)
        for period in self.periods:
            words = period.someone.words()
            if period.exit_reason:
                details = rng.choice(_EXIT_DETAILS[period.exit_reason])
                period.exit_details = details.format(years=rng.randint(4, 9), **words)
            period.engagement = self.engagement(period)

    def words(self, someone: Someone, created_on: datetime.date, release_on) -> dict:
        rng = self.rng
        since = created_on - rng.randint(90, 365) * _DAY
        return {
            **someone.words(),
            "n": rng.randint(3, 9),
            "m": rng.randint(3, 9),
            "offences": rng.randint(12, 60),
            "since": f"{since:%B %Y}",
            "recent": _long_date(created_on - rng.randint(3, 25) * _DAY),
            "later": _long_date(created_on + rng.randint(120, 500) * _DAY),
            "release": _long_date(release_on) if release_on else "",
            "months": rng.choice((14, 18, 20, 24, 28, 30, 36)),
            "ogrs": rng.randint(62, 94),
            "amount": rng.choice((40, 60, 80, 100, 150)),
            "year": created_on.year - rng.randint(2, 6),
            "rosh": rng.choice(("medium", "medium", "high")),
        }

    def reasons(self, proposal: Proposal, words: dict) -> str:
        rng = self.rng
        key = "probation" if proposal.agency in ("nps", "crc") else proposal.agency
        parts = [
            rng.choice(self.fits(proposal, _OPENINGS[key])),
            rng.choice(_OFFENDING[proposal.stream]),
        ]
        parts += rng.sample(self.fits(proposal, _NEEDS), rng.choice((1, 1, 2)))
        parts.append(rng.choice(self.fits(proposal, _CLOSINGS)))
        text = " ".join(part for part in parts if part).format(**words)
        return text[0].upper() + text[1:]

    @staticmethod
    def fits(proposal: Proposal, texts) -> list[str]:
        """The texts that fit the person: licences and releases only for people who have been
        in prison, probation appointments only for people with a probation case."""
        nominal = proposal.someone.nominal
        unfit = (() if nominal.prison_number else _AFTER_PRISON) + (
            () if nominal.crn else _ON_PROBATION
        )
        return [t for t in texts if not any(w in t.lower() for w in unfit)] or list(texts)

    def engagement(self, period: Period) -> list[tuple[str, datetime.date, str]]:
        rng = self.rng
        entered_on = self.panels[period.panel]
        until = period.exited_on or REFERENCE_DATE - _DAY
        days_in = (REFERENCE_DATE - entered_on).days
        in_custody = period.status == MembershipStatus.IN_CUSTODY
        E = EngagementStatus
        if period.exit_reason:
            weights = {
                ExitReason.RISK_REDUCED: (80, 20, 0),
                ExitReason.DEVOLVED: (60, 40, 0),
                ExitReason.LONG_CUSTODY: (10, 40, 50),
            }.get(period.exit_reason, (50, 30, 20))
            latest = rng.choices((E.ENGAGED, E.PARTIAL, E.DECLINED), weights=weights)[0]
        elif (days_in <= 90 and rng.random() < 0.7) or (in_custody and rng.random() < 0.25):
            # New members, and some in custody: the first approach is at the pre-release
            # meeting.
            latest = E.NOT_APPROACHED
        else:
            latest = rng.choices((E.ENGAGED, E.PARTIAL, E.DECLINED), weights=(58, 26, 16))[0]
        return cohort_demo.engagement_history(
            rng,
            entered_on=entered_on,
            until=until,
            latest=latest,
            in_custody=in_custody and latest == E.NOT_APPROACHED,
        )


# --- Reading the people --------------------------------------------------------------------


def _people() -> list[Someone]:
    nominals = list(cohort_demo.demo_nominals().select_related("neighbourhood"))
    agencies = {spec.key: core.agency(spec.key) for spec in core.AGENCIES}
    key_of = {agency.pk: key for key, agency in agencies.items()}
    shared: dict[int, list[str]] = defaultdict(list)
    devolved: set[int] = set()
    rows = (
        RecordShare.objects.active()
        .filter(nominal_id__in=[n.pk for n in nominals])
        .values_list("nominal_id", "team__agency_id", "basis")
        .order_by("id")
    )
    for nominal_id, agency_id, basis in rows:
        if basis == ShareBasis.DEVOLUTION:
            devolved.add(nominal_id)
        else:
            shared[nominal_id].append(key_of[agency_id])
    through = Nominal.offender_managers.through
    managers: dict[int, int] = {}
    for nominal_id, user_id in (
        through.objects.filter(nominal_id__in=[n.pk for n in nominals])
        .order_by("id")
        .values_list("nominal_id", "user_id")
    ):
        managers.setdefault(nominal_id, user_id)
    return [
        Someone(
            nominal=nominal,
            lead=key_of[nominal.lead_agency_id],
            partners=tuple(sorted(set(shared[nominal.pk]))),
            devolved=nominal.pk in devolved,
            manager_id=managers.get(nominal.pk),
        )
        for nominal in nominals
        if key_of.get(nominal.lead_agency_id) in ("police", "nps", "crc")
    ]


# --- Seeding -------------------------------------------------------------------------------


def seed(rng: random.Random, stdout: TextIO) -> core.SeedResult:
    result = core.SeedResult()
    if not PanelMeeting.objects.exists():
        if Referral.objects.exists() or CohortMembership.objects.exists():
            result.notes.append(
                "Left out the referral and cohort history: this database already has "
                "referrals or cohort memberships."
            )
        else:
            people = _people()
            if len(people) < 100:
                raise core.DemoDataMissing(
                    f"Only {len(people)} demo people exist; the referral history needs the "
                    "cohort's demo people."
                )
            cap_events = _set_cap()
            plan = _Planner(rng, people, CohortConfiguration.current().cap).plan()
            _write(plan, result, cap_events)
    members = CohortMembership.objects.filter(status__in=OPEN_STATUSES).count()
    waiting = Referral.objects.filter(in_queue()).count()
    cap = CohortConfiguration.current().cap
    result.summary.append(
        f"Cohort: {members} current members (cap {cap}), {waiting} referrals awaiting panel"
    )
    return result


def _set_cap() -> int:
    """Set the demo cohort's cap; the number of audit events written."""
    configuration = CohortConfiguration.current()
    if configuration.cap != DEMO_CAP:
        before = configuration.cap
        configuration.cap = DEMO_CAP
        configuration.save()
        AuditEvent.objects.create(
            username=core.SEED_USERNAME,
            action=AuditAction.ALTERATION,
            object_type=CohortConfiguration._meta.label,
            object_id=str(configuration.pk),
            description=f"Cohort cap set to {DEMO_CAP} for the demo area",
            changes={"cap": [before, DEMO_CAP]},
            path=core.SEED_ACTOR.path,
        )
        return 1
    return 0


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _write(plan: Plan, result: core.SeedResult, earlier_events: int) -> None:
    usernames = {u for names in _REFERRERS.values() for u in names}
    usernames |= {*_CHAIRS, _PANEL_CLERK, "neighbourhood.officer"}
    users = core.users(sorted(usernames))
    agencies = {spec.key: core.agency(spec.key) for spec in core.AGENCIES}
    fallback_manager = users["officer.police"]
    events: list[AuditEvent] = []

    def audit(row, nominal=None):
        events.append(
            AuditEvent(
                username=core.SEED_USERNAME,
                action=AuditAction.COLLECTION,
                nominal=nominal,
                object_type=row._meta.label,
                object_id=str(row.pk),
                description=AUDIT_DESCRIPTION,
                path=core.SEED_ACTOR.path,
            )
        )

    # created_at, decided_at and recorded_at are set to "now" on insert; the history's own
    # times are written afterwards with bulk_update.
    meetings = [
        PanelMeeting(
            held_on=m.held_on,
            chair=users[m.chair],
            notes=m.notes,
            created_by=users[_PANEL_CLERK],
        )
        for m in plan.meetings
    ]
    PanelMeeting.objects.bulk_create(meetings)
    attendance = PanelMeeting.attending_agencies.through
    rows = []
    for meeting, planned in zip(meetings, plan.meetings, strict=True):
        meeting.created_at = _at(meeting.held_on, 16, 30)
        for key in ("police", "nps", "crc", *planned.partners):
            rows.append(attendance(panelmeeting_id=meeting.pk, agency_id=agencies[key].pk))
        audit(meeting)
    PanelMeeting.objects.bulk_update(meetings, ["created_at"])
    attendance.objects.bulk_create(rows)

    def decided_at(step: Step) -> datetime.datetime:
        return _at(meetings[step.panel].held_on, 10) + datetime.timedelta(minutes=3 * step.order)

    accepts = {
        id(proposal.period): proposal.steps[-1]
        for proposal in plan.proposals
        if proposal.status == ReferralStatus.ACCEPTED
    }
    memberships = []
    for period in plan.periods:
        someone = period.someone
        step = accepts[id(period)]
        chair = meetings[period.panel].chair
        period.row = CohortMembership(
            nominal=someone.nominal,
            stream=period.stream,
            national_category=period.category,
            lead_agency=agencies[someone.lead],
            entered_on=meetings[period.panel].held_on,
            status=period.status,
            exited_on=period.exited_on,
            exit_reason=period.exit_reason,
            exit_details=period.exit_details,
            cap_override_reason=period.override_reason,
            cap_overridden_by=chair if period.overridden else None,
            version=1 if period.status == MembershipStatus.ACTIVE else 2,
        )
        memberships.append(period.row)
        period.row.created_at = decided_at(step)
    created_at = [m.created_at for m in memberships]
    CohortMembership.objects.bulk_create(memberships, batch_size=500)
    for membership, when in zip(memberships, created_at, strict=True):
        membership.created_at = when
        audit(membership, membership.nominal)
    CohortMembership.objects.bulk_update(memberships, ["created_at"], batch_size=500)

    referrals = []
    created_at = []
    for proposal in plan.proposals:
        status = proposal.status
        deferrals = [s for s in proposal.steps if s.decision == Decision.DEFER]
        referral = Referral(
            nominal=proposal.someone.nominal,
            referring_agency=agencies[proposal.agency],
            referred_by=users[proposal.username],
            stream=proposal.stream,
            national_category=proposal.category,
            reasons=proposal.reasons,
            supporting_information=proposal.supporting,
            proposed_lead_agency=agencies[proposal.someone.lead],
            status=status,
            deferred_until=deferrals[-1].deferred_until if deferrals else None,
            membership=proposal.period.row if proposal.period else None,
            decided_at=(
                decided_at(proposal.steps[-1])
                if status in (ReferralStatus.ACCEPTED, ReferralStatus.REJECTED)
                else None
            ),
            version=1 + len(proposal.steps),
        )
        referrals.append(referral)
        created_at.append(_at(proposal.created_on, 9 + len(referrals) % 8, 7 * len(referrals) % 60))
    Referral.objects.bulk_create(referrals, batch_size=500)
    for referral, when in zip(referrals, created_at, strict=True):
        referral.created_at = when
        audit(referral, referral.nominal)
    Referral.objects.bulk_update(referrals, ["created_at"], batch_size=500)

    decisions = []
    when = []
    for proposal, referral in zip(plan.proposals, referrals, strict=True):
        for step in proposal.steps:
            decisions.append(
                PanelDecision(
                    referral=referral,
                    meeting=meetings[step.panel],
                    decision=step.decision,
                    reason=step.reason,
                    deferred_until=step.deferred_until,
                    decided_by=meetings[step.panel].chair,
                )
            )
            when.append(decided_at(step))
    PanelDecision.objects.bulk_create(decisions, batch_size=500)
    for decision, at in zip(decisions, when, strict=True):
        decision.decided_at = at
        audit(decision, decision.referral.nominal)
    PanelDecision.objects.bulk_update(decisions, ["decided_at"], batch_size=500)

    engagements = []
    when = []
    for period in plan.periods:
        recorder = period.someone.manager_id or fallback_manager.pk
        for status, on, note in period.engagement:
            engagements.append(
                Engagement(
                    nominal=period.someone.nominal,
                    status=status,
                    on=on,
                    note=note,
                    recorded_by_id=recorder,
                )
            )
            when.append(_at(on, 15 + len(engagements) % 3, len(engagements) * 11 % 60))
    Engagement.objects.bulk_create(engagements, batch_size=500)
    for engagement, at in zip(engagements, when, strict=True):
        engagement.recorded_at = at
        audit(engagement, engagement.nominal)
    Engagement.objects.bulk_update(engagements, ["recorded_at"], batch_size=500)

    AuditEvent.objects.bulk_create(events, batch_size=500)
    result.created.update(
        {
            "panel meetings": len(meetings),
            "referrals": len(referrals),
            "panel decisions": len(decisions),
            "cohort memberships": len(memberships),
            "engagement records": len(engagements),
            "audit events": len(events) + earlier_events,
        }
    )
