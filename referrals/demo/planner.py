"""Planning the demo's history: who joined at which panel, who left and came back, who was
deferred or rejected, and who waits for the next panel today. The plan depends only on the
people, a seeded random generator and the day of the seed, so it is the same on every run of
that day."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from cohorts.models import ExitReason, MembershipStatus
from iom import demo as core
from referrals.models import Decision

from .shape import (
    _ATTENDANCE,
    _CHAIRS,
    _DAY,
    _REFERRERS,
    ACCEPTANCE_WEIGHTS,
    DEFERRED_DUE,
    DEFERRED_LATER,
    DEFERRED_THEN_ACCEPTED,
    DEVOLVED_EXITS_FROM_NPT,
    EXIT_REASONS,
    EXIT_WEIGHTS,
    IN_CUSTODY,
    MIN_ABSENCE,
    MIN_STAY,
    OPEN_AGAIN,
    OPEN_NEW,
    RE_ENTRIES,
    REJECTED_AFTER_EXIT,
    REJECTED_ONLY,
    REJECTED_THEN_ACCEPTED,
    Exit,
    Meeting,
    Period,
    Plan,
    Proposal,
    Someone,
    Step,
    allocate,
    panel_dates,
)
from .steps import Steps
from .texts import _AT_CAP_NOTE, _FULL_NOTE, _MEETING_NOTES, _TAKEOVER_NOTE


class Planner(Steps):
    """Plans two years of the panel to ``today`` from the people and ``rng`` alone."""

    def __init__(self, rng: random.Random, people: list[Someone], cap: int, today: datetime.date):
        self.rng = rng
        self.people = people
        self.cap = cap
        self.today = today
        self.panels = panel_dates(today)
        self.periods: list[Period] = []
        self.proposals: list[Proposal] = []

    # -- the people's stories --

    def plan(self) -> Plan:
        exits, outside, members = self.cast()
        first_periods = self.acceptances(exits, members)
        self.first_referrals(first_periods)
        self.referred_again(exits)
        self.outsiders(outside)
        self.referrers()
        meetings = self.meetings()
        overrides = self.agenda_and_cap(meetings)
        self.statuses()
        self.write_texts()
        self.proposals.sort(key=lambda proposal: proposal.created_on)
        return Plan(meetings, self.periods, self.proposals, overrides)

    def cast(self) -> tuple[list[Exit], dict[str, list[Someone]], list[Someone]]:
        """Who left the cohort (when and why, and who came back), who is not a member today,
        and who is."""
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
        return exits, outside, members

    def acceptances(self, exits: list[Exit], members: list[Someone]) -> list[Period]:
        """Which panel accepted each period on the cohort; the first periods of each person."""
        rng = self.rng
        returns = [e for e in exits if e.returns]
        total = len(members) + len(exits) + len(returns)
        remaining = allocate(total, ACCEPTANCE_WEIGHTS)

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
        return first_periods

    def first_referrals(self, first_periods: list[Period]) -> None:
        """The referrals that made the first periods: some deferred first, some after an
        earlier referral was rejected."""
        rng = self.rng
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

    def referred_again(self, exits: list[Exit]) -> None:
        """People who left and were referred again: some awaiting the panel now, some
        rejected."""
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
            self.proposal(exit_.someone, self.weekday_between(start, self.today - _DAY), exit_.on)
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

    def outsiders(self, outside: dict[str, list[Someone]]) -> None:
        """People who are not members: rejected, deferred, or waiting for the next panel."""
        rng = self.rng
        last = len(self.panels) - 1
        for someone in outside["rejected"]:
            self.rejected(someone, rng.randint(3, last - 1))
        for n, someone in enumerate(outside["due"]):
            j = last - 1 if n == 0 else rng.choice((last - 1, last))
            proposal = self.proposal(someone, self.created_before(j))
            due = self.weekday_between(self.panels[last] + 7 * _DAY, self.today - 2 * _DAY)
            if j == last - 1 and n == 0:  # deferred twice: the hearing was adjourned
                first = self.weekday_between(
                    self.panels[j] + 14 * _DAY, self.panels[last] - 2 * _DAY
                )
                proposal.steps.append(Step(j, Decision.DEFER, deferred_until=first))
                j = last
            proposal.steps.append(Step(j, Decision.DEFER, deferred_until=due))
        for someone in outside["later"]:
            proposal = self.proposal(someone, self.created_before(last))
            until = self.weekday_between(self.today + 40 * _DAY, self.today + 100 * _DAY)
            proposal.steps.append(Step(last, Decision.DEFER, "later", until))
        for someone in outside["open"]:
            self.proposal(
                someone,
                self.weekday_between(self.panels[last] + _DAY, self.today - _DAY),
            )

    def referrers(self) -> None:
        """Who made each referral, and the release date of the prison's referrals."""
        rng = self.rng
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
                    decided = self.panels[last_step.panel] if last_step else self.today
                    proposal.release_on = decided + rng.randint(10, 70) * _DAY

    def exits(self) -> list[Exit]:
        rng = self.rng
        reasons = [reason for reason, n in EXIT_REASONS for _ in range(n)]
        rng.shuffle(reasons)
        earliest = self.panels[0] + MIN_STAY
        dates = []
        for k, n in enumerate(allocate(len(reasons), EXIT_WEIGHTS)):
            month = self.panels[k].replace(day=1)
            end = (month + 32 * _DAY).replace(day=1) - _DAY
            for _ in range(n):
                dates.append(
                    self.weekday_between(max(month, earliest), min(end, self.today - _DAY))
                )
        exits = [Exit(on, reason) for on, reason in zip(sorted(dates), reasons, strict=True)]
        latest_return = self.panels[-2] - MIN_ABSENCE
        for reason, n in RE_ENTRIES.items():
            candidates = [e for e in exits if e.reason == reason and e.on <= latest_return]
            for exit_ in rng.sample(candidates, min(n, len(candidates))):
                exit_.returns = True
        return exits

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
        in_custody = [p for p in current if (releases.get(id(p)) or self.today) > self.today]
        candidates = [
            p
            for p in current
            if p.someone.has_been_in_prison
            and not p.someone.devolved
            and p not in in_custody
            and self.panels[p.panel] <= self.today - 30 * _DAY
        ]
        in_custody += rng.sample(
            candidates, max(0, min(len(candidates), IN_CUSTODY - len(in_custody)))
        )
        for period in in_custody:
            period.status = MembershipStatus.IN_CUSTODY
            self.custody(period, releases.get(id(period)))

    def custody(self, period: Period, release_on: datetime.date | None) -> None:
        """When a member in custody went in, and when most of them come out: a prison
        referral's release date, or one in the next four months (none for some on remand)."""
        rng = self.rng
        entered = self.panels[period.panel]
        if release_on:  # referred by the prison before release: inside since before the panel
            period.custody_from = entered - rng.randint(90, 400) * _DAY
        else:
            period.custody_from = self.weekday_between(
                entered + 14 * _DAY, max(entered + 14 * _DAY, self.today - 5 * _DAY)
            )
            if rng.random() < 0.75:
                release_on = self.today + rng.randint(5, 120) * _DAY
        period.release_on = release_on

    # -- the words --
